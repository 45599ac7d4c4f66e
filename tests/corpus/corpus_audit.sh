#!/usr/bin/env bash
# The whole dev corpus through the real daemon and CLI: every document must
# be audited (none rejected), the report must print counts by rule, and a
# cross-check of the whole case must find the cross-document findings the
# batch stored, no more, no fewer.
#   tests/corpus/corpus_audit.sh CORPUS BUILD_DIR
set -euo pipefail
corpus=$1 build=$2
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$build/corpus-audit
docs=$build/corpus-docs
"$here/tests/corpus/unpack.sh" "$corpus" "$docs"
rm -rf "$work" && mkdir -p "$work"
"$build/daemon/redaction-auditd" --listen "unix:$work/s.sock" --db "$work/audit.sqlite" \
  --rules "$here/rules/state" 2>"$work/auditd.log" &
daemon=$!
trap 'kill -TERM $daemon 2>/dev/null || true; wait $daemon 2>/dev/null || true' EXIT
for _ in $(seq 100); do [[ -S $work/s.sock ]] && break; sleep 0.1; done
export REDACTION_AUDIT_SERVER=unix:$work/s.sock
cli=$build/client/redaction-audit
start=$(date +%s.%N)
set +e
$cli audit "$docs" --manifest "$docs/manifest.csv" --quiet >"$work/audit.out" 2>"$work/audit.err"
rc=$?
set -e
end=$(date +%s.%N)
cat "$work/audit.out"
echo "wall time: $(echo "$end - $start" | bc) s"
if [[ $rc -ne 0 && $rc -ne 1 ]]; then
  echo "FAIL: audit exited $rc" >&2; cat "$work/audit.err" >&2; exit 1
fi
expected=$(($(wc -l <"$docs/manifest.csv") - 1))
grep -q "audited $expected documents (0 already stored), 0 rejected" "$work/audit.out" || {
  echo "FAIL: expected all $expected documents audited and none rejected" >&2
  cat "$work/audit.err" >&2; exit 1; }
# The release check with the full manifest: every listed document was
# submitted and none is unlisted, so no release-level finding.
grep -q "release check of cases/F-2014-20439: $expected listed, 0 release-level findings" \
  "$work/audit.out" || {
  echo "FAIL: expected the release check to list $expected documents with no finding" >&2
  exit 1; }
$cli report --case F-2014-20439 >"$work/report.txt" || [[ $? -eq 1 ]]
cat "$work/report.txt"
grep -q "^stamp.code-not-marked" "$work/report.txt" || { echo "FAIL: report has no counts by rule" >&2; exit 1; }
# The cross-document findings the batch stored (each document checked
# against those audited before it) are those of a check of the whole case:
# nothing new, nothing closed.
$cli crosscheck --case F-2014-20439 >"$work/crosscheck.txt" || [[ $? -eq 1 ]]
cat "$work/crosscheck.txt"
grep -q "cross-document findings (0 new), 0 stored ones no longer found closed" \
  "$work/crosscheck.txt" || {
  echo "FAIL: the batch's cross-document findings differ from the whole-case check" >&2
  exit 1; }
kill -TERM $daemon; wait $daemon
trap - EXIT
grep -q "event=stopped" "$work/auditd.log" || { echo "FAIL: daemon did not stop cleanly" >&2; exit 1; }
echo PASS
