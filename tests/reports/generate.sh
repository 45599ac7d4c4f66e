#!/usr/bin/env bash
# Produces every report on the sample release through the real daemon and
# CLI, for the validator tests that follow (ctest fixture "reports"):
#   tests/reports/generate.sh BUILD_DIR OUT_DIR
# OUT_DIR gets check.{sarif,xml,md,html,out}, report.{sarif,xml,html,csv,md,json},
# counts.env (numbers the other tests assert) and auditd.log.
set -euo pipefail
build=$1 out=$2
here=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$out" && mkdir -p "$out"
"$build/daemon/redaction-auditd" --listen "unix:$out/s.sock" --db "$out/audit.sqlite" \
  --rules "$here/rules/state" 2>"$out/auditd.log" &
daemon=$!
trap 'kill -TERM $daemon 2>/dev/null || true; wait $daemon 2>/dev/null || true' EXIT
for _ in $(seq 100); do [[ -S $out/s.sock ]] && break; sleep 0.1; done
export REDACTION_AUDIT_SERVER=unix:$out/s.sock
cli=$build/client/redaction-audit
fail() { echo "FAIL: $*" >&2; exit 1; }

# Relative paths, as a CI job run from the repository root would pass them.
cd "$here"
release=tests/fixtures/sample-release
set +e
$cli check "$release" --manifest "$release/manifest.csv" --sarif "$out/check.sarif" \
  --junit "$out/check.xml" --markdown "$out/check.md" --html "$out/check.html" \
  >"$out/check.out" 2>"$out/check.err"
rc=$?
set -e
[[ $rc -eq 1 ]] || fail "check on the sample release exited $rc, expected 1 (errors)"
grep -q "^FAIL$" "$out/check.out" || fail "check printed no FAIL verdict"

# Review decisions, then the case reports from the store.
# (findings exits 1 when it lists errors.)
errors=$($cli findings --case F-2014-20439 --severity error --format csv --limit 2 || [[ $? -eq 1 ]])
first=$(sed -n 2p <<<"$errors" | cut -d, -f1)
second=$(sed -n 3p <<<"$errors" | cut -d, -f1)
[[ -n $first && -n $second ]] || fail "expected two error findings, got: $errors"
$cli review "$first" --status waived --note "exemption printed on the original page margin" \
  --reviewer records-officer >/dev/null
$cli review "$second" --status false-positive --note "OCR noise" --reviewer records-officer >/dev/null
for f in sarif junit html csv markdown; do
  ext=$f; [[ $f == junit ]] && ext=xml; [[ $f == markdown ]] && ext=md
  # --fail-on warning: the open warnings fail once both errors are reviewed.
  $cli report --case F-2014-20439 --format $f --fail-on warning --output "$out/report.$ext" \
    || [[ $? -eq 1 ]]
done
# The case summary as JSON carries exemption use by release and document,
# from the store.
$cli report --case F-2014-20439 --format json >"$out/report.json" || [[ $? -eq 1 ]]
python3 - "$out/report.json" "$release/manifest.csv" <<'PY' || fail "report --format json: exemption use"
import csv, json, sys
report = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2])))
use = report["exemption_use"]
assert {r["release"] for r in use["by_release"]} == {r["release"] for r in rows}, use["by_release"]
assert sum(r["documents"] for r in use["by_release"]) == len(rows)
docs = {d["document"]: d for d in use["by_document"]}
assert set(docs) == {r["doc_number"] for r in rows}
assert "(b)(6)" in use["codes"]
cited = [d for d in docs.values() if d["stamp_codes"]]
assert cited and all(d["disposition"] in ("PART", "FULL", "DENIED", "NONE") for d in docs.values())
PY
findings=$( ($cli findings --case F-2014-20439 --format csv --limit 100000 || [[ $? -eq 1 ]]) | tail -n +2 | wc -l)
documents=$(($(wc -l <"$release/manifest.csv") - 1))
cat >"$out/counts.env" <<EOT
findings=$findings
documents=$documents
waived=$first
false_positive=$second
EOT
echo "generated reports for $documents documents, $findings findings in $out"
