#!/usr/bin/env bash
# Starts redaction-auditd on a temporary unix socket and runs the load
# program against it.
#   tests/load/run_load.sh DAEMON LOAD SOURCE_DIR SECONDS [CLIENTS]
set -euo pipefail
daemon=$1 load=$2 src=$3 seconds=$4 clients=${5:-16}
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
"$daemon" --listen "unix:$dir/s.sock" --db "$dir/audit.sqlite" --rules "$src/rules/state" \
  2> "$dir/auditd.log" &
pid=$!
# The socket opens before the daemon serves (health NOT_SERVING while it
# loads rules and migrates): wait for its event=serving line.
for _ in $(seq 100); do grep -q "event=serving" "$dir/auditd.log" && break; sleep 0.1; done
"$load" "unix:$dir/s.sock" "$dir/audit.sqlite" "$src/tests/fixtures/sample-release" "$seconds" "$clients"
