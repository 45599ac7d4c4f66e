#!/usr/bin/env bash
# Performance, measured against the machine's floor in the same run.
#   tests/bench/run.sh CORPUS_FOLDER [BUILD_DIR]
# CORPUS_FOLDER holds clinton-dev.tar.gz and clinton-dev-manifest.csv (e.g.
# ../shared/corpus). Prints:
#   1. floor: ripgrep scanning the unpacked corpus for exemption-code patterns
#      (median of 5 runs);
#   2. engine: ingest + parse + checks in process, one core (engine_bench);
#   3. end to end: a fresh daemon on an empty database (timed from when it
#      serves), `redaction-audit audit`
#      of every document with the manifest: wall time, documents/s, daemon peak
#      memory, and the ratio to the floor (median of 3 runs);
#   4. queries: ListFindings p50/p99 over a store of 1,000,000 findings
#      (store_bench; set RA_BENCH_QUERIES=0 to skip, it takes minutes).
set -euo pipefail
corpus=$(cd "$1" && pwd)
build=$(cd "${2:-build}" && pwd)
here=$(cd "$(dirname "$0")/../.." && pwd)
docs=$build/corpus-docs
"$here/tests/corpus/unpack.sh" "$corpus" "$docs"
ndocs=$(($(wc -l <"$docs/manifest.csv") - 1))
mb=$(du -sm --apparent-size "$docs" | cut -f1)

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }

echo "== 1. floor: rg over $ndocs documents ($mb MB)"
floor=$(for _ in 1 2 3 4 5; do
  s=$(now); rg -c -e 'B[0-9]' -e '\(b\) ?\([0-9]\)' -e '1\.4 ?\([A-Ha-h]\)' "$docs" >/dev/null || true
  echo "$(now) - $s" | bc; done | median)
echo "floor: $floor s (median of 5)"

echo "== 2. engine: ingest + parse + checks, one core"
"$build/tests/bench/engine_bench" "$docs" --benchmark_filter=IngestParseCheck \
  --benchmark_repetitions=3 --benchmark_report_aggregates_only=true 2>&1 | grep -E "median|documents"

echo "== 3. end to end: fresh daemon, audit of all documents with the manifest"
runs=()
for i in 1 2 3; do
  work=$(mktemp -d)
  /usr/bin/time -f "%M" -o "$work/daemon.rss" "$build/daemon/redaction-auditd" \
    --listen "unix:$work/s.sock" --db "$work/audit.sqlite" --rules "$here/rules/state" \
    2>"$work/auditd.log" &
  tpid=$!
  # The socket appears before the store is open: the clock starts once the
  # daemon logs that it is serving.
  for _ in $(seq 300); do
    grep -q "event=serving" "$work/auditd.log" 2>/dev/null && break
    kill -0 $tpid 2>/dev/null || break  # it exited
    sleep 0.02
  done
  if ! grep -q "event=serving" "$work/auditd.log"; then
    echo "run.sh: $build/daemon/redaction-auditd did not start serving; its log ends:" >&2
    tail -3 "$work/auditd.log" >&2
    exit 1
  fi
  s=$(now)
  rc=0
  REDACTION_AUDIT_SERVER=unix:$work/s.sock "$build/client/redaction-audit" audit "$docs" \
    --manifest "$docs/manifest.csv" --quiet >"$work/audit.out" 2>&1 || rc=$?
  wall=$(echo "$(now) - $s" | bc)
  # Exit 1 is findings at or above --fail-on; a run that did not audit
  # every document is no measurement.
  if (( rc > 1 )) || ! grep -q "^audited $ndocs documents" "$work/audit.out"; then
    echo "run.sh: the audit failed (exit $rc):" >&2
    head -3 "$work/audit.out" >&2
    exit 1
  fi
  kill -TERM "$(pgrep -P $tpid)" 2>/dev/null || true
  wait $tpid || true
  rss=$(tail -1 "$work/daemon.rss")
  echo "run $i: $wall s, $(echo "$ndocs / $wall" | bc) documents/s, daemon peak RSS $((rss / 1024)) MB; $(head -1 "$work/audit.out")"
  runs+=("$wall")
  rm -rf "$work"
done
e2e=$(printf '%s\n' "${runs[@]}" | median)
echo "end to end: $e2e s (median of 3) = $(echo "scale=1; $e2e / $floor" | bc) x floor"

if [[ ${RA_BENCH_QUERIES:-1} != 0 ]]; then
  echo "== 4. queries: ListFindings at 1,000,000 findings (store_bench)"
  work=$(mktemp -d)
  "$build/tests/bench/store_bench" "$work" 50000 20
  rm -rf "$work"
fi
