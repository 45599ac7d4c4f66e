#!/usr/bin/env bash
# The main job, from a fresh clone: set up and build, start redaction-auditd
# on a new SQLite file, audit the bundled sample release (60 real State
# Department documents with their manifest), print the case report, then
# stop the daemon cleanly with SIGTERM. Leaves build/demo/audit.sqlite for
# a look with the CLI or sqlite3.
set -euo pipefail
cd "$(dirname "$0")/.."
deploy/setup.sh

demo=build/demo
rm -rf "$demo" && mkdir -p "$demo"
socket="unix:$PWD/$demo/auditd.sock"
build/daemon/redaction-auditd --listen "$socket" --db "$demo/audit.sqlite" \
  --rules rules/state 2>"$demo/auditd.log" &
daemon=$!
trap 'kill -TERM $daemon 2>/dev/null || true' EXIT
for _ in $(seq 50); do [[ -S $demo/auditd.sock ]] && break; sleep 0.1; done

export REDACTION_AUDIT_SERVER=$socket
cli=build/client/redaction-audit
echo "== audit of the sample release (tests/fixtures/sample-release)"
set +e
$cli audit tests/fixtures/sample-release --manifest tests/fixtures/sample-release/manifest.csv
echo "(audit exit code $?: 1 means findings at or above --fail-on error)"
echo
echo "== report"
$cli report --case F-2014-20439
echo
echo "== the first error findings"
$cli findings --case F-2014-20439 --severity error --limit 10
set -e

kill -TERM $daemon
wait $daemon
trap - EXIT
echo
echo "daemon stopped cleanly; database kept at $demo/audit.sqlite, log at $demo/auditd.log"
