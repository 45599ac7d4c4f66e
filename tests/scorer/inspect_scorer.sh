#!/usr/bin/env bash
# The parse stage measured end to end: starts the real daemon on a temp unix
# socket, runs the real CLI `redaction-audit inspect --format json` over the
# labeled documents and scores its JSON Lines against the labels; exits 1
# when a figure falls under the thresholds.
#   tests/scorer/inspect_scorer.sh BUILD_DIR LABELS.jsonl ROOT [RULES_DIR]
set -euo pipefail
build=$1 labels=$2 root=$3
here=$(cd "$(dirname "$0")/../.." && pwd)
rules=${4:-$here/rules/state}
work=$(mktemp -d "${TMPDIR:-/tmp}/ra-inspect-scorer.XXXXXX")
daemon=
cleanup() {
  if [[ -n $daemon ]]; then kill -TERM "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
"$build/daemon/redaction-auditd" --listen "unix:$work/s.sock" --db "$work/audit.sqlite" \
  --rules "$rules" 2>"$work/auditd.log" &
daemon=$!
for _ in $(seq 100); do [[ -S $work/s.sock ]] && break; sleep 0.1; done
if [[ ! -S $work/s.sock ]]; then
  echo "FAIL: daemon did not start" >&2; cat "$work/auditd.log" >&2; exit 1
fi
export REDACTION_AUDIT_SERVER=unix:$work/s.sock
# The labeled files, in label order, from the "file" member of each line.
mapfile -t files < <(sed -n 's/^{"file": *"\([^"]*\)".*/\1/p' "$labels")
if ((${#files[@]} == 0)); then echo "FAIL: no labeled files in $labels" >&2; exit 1; fi
paths=()
for f in "${files[@]}"; do paths+=("$root/$f"); done
"$build/client/redaction-audit" inspect --format json "${paths[@]}" >"$work/inspect.jsonl"
echo "inspect: $(wc -l <"$work/inspect.jsonl") documents"
"$build/tests/scorer/parse_scorer" --inspect-json "$work/inspect.jsonl" "$labels" \
  --rules "$rules" --check
