#!/usr/bin/env bash
# The git pre-commit hook (deploy/ci/pre-commit) against the real daemon:
# a clean document commits, one with an unmarked stamp code is refused, and
# a baseline lets it through.
#   tests/reports/pre_commit_test.sh BUILD_DIR
set -euo pipefail
build=$1
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
"$build/daemon/redaction-auditd" --listen "unix:$work/s.sock" --db "$work/audit.sqlite" \
  --rules "$here/rules/state" 2>"$work/auditd.log" &
daemon=$!
trap 'kill -TERM $daemon 2>/dev/null || true; wait $daemon 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do [[ -S $work/s.sock ]] && break; sleep 0.1; done
export REDACTION_AUDIT_SERVER=unix:$work/s.sock REDACTION_AUDIT_BIN=$build/client/redaction-audit
fail() { echo "FAIL: $*" >&2; exit 1; }
repo=$work/repo
git init -q "$repo"
cd "$repo"
git config user.email test@example.org && git config user.name test
git config redaction-audit.case F-2014-20439
git config redaction-audit.failOn warning
ln -s "$here/deploy/ci/pre-commit" .git/hooks/pre-commit

# A document without findings commits.
cp "$here/tests/fixtures/sample-release/HRCEmail_JulyWeb/C05763949.txt" .
git add C05763949.txt
git commit -qm clean 2>"$work/clean.err" || { cat "$work/clean.err"; fail "clean document refused"; }

# A document with a warning (B5 in the stamp, never marked) is refused.
cp "$here/tests/fixtures/sample-release/Clinton_Email_August_Release/C05768760.txt" .
git add C05768760.txt
if git commit -qm defect 2>"$work/defect.err"; then fail "defective document committed"; fi
grep -q "redaction audit failed" "$work/defect.err" || { cat "$work/defect.err"; fail "no hook message"; }
grep -q "stamp.code-not-marked" <("$REDACTION_AUDIT_BIN" findings --document C05768760 --format csv) \
  || fail "the hook did not audit the staged document"

# With a baseline accepting today's findings, it commits.
"$REDACTION_AUDIT_BIN" check C05768760.txt --case F-2014-20439 --fail-on warning --quiet \
  --write-baseline .redaction-audit-baseline >/dev/null || true
git commit -qm "defect, baselined" 2>"$work/baselined.err" || { cat "$work/baselined.err"; fail "baseline ignored"; }
[[ $(git rev-list --count HEAD) -eq 2 ]] || fail "expected 2 commits"
echo PASS
