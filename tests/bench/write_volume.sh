#!/bin/bash
# What the daemon writes for one full audit: a fresh daemon on an empty
# database, `redaction-audit audit` of every document of DOCS_FOLDER (an
# unpacked corpus with manifest.csv, e.g. BUILD/corpus-docs after run.sh),
# then the daemon's /proc/<pid>/io: wchar (bytes handed to write/pwrite)
# and write_bytes (bytes sent to the disk), and the database size.
# Usage: tests/bench/write_volume.sh DOCS_FOLDER [BUILD]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
docs=$1
build=${2:-$here/build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/daemon/redaction-auditd" --listen "unix:$work/s.sock" --db "$work/audit.sqlite" \
  --rules "$here/rules/state" 2>"$work/auditd.log" &
pid=$!
for _ in $(seq 100); do [[ -S $work/s.sock ]] && break; sleep 0.1; done
REDACTION_AUDIT_SERVER=unix:$work/s.sock "$build/client/redaction-audit" audit "$docs" \
  --manifest "$docs/manifest.csv" --quiet >"$work/audit.out" 2>&1 || true
grep -E "^(wchar|write_bytes):" "/proc/$pid/io"
kill -TERM "$pid"
wait "$pid" || true
echo "database: $(du -cb "$work"/audit.sqlite* | tail -1 | cut -f1) bytes; $(head -1 "$work/audit.out")"
