#!/usr/bin/env bash
# Validates the SARIF reports with the official validator (SARIF
# Multitool's `validate` verb, installed into tests/npm by deploy/setup.sh)
# and checks what they carry.
#   tests/reports/validate_sarif.sh OUT_DIR
set -euo pipefail
out=$1
here=$(cd "$(dirname "$0")/../.." && pwd)
tool=$here/tests/npm/node_modules/.bin/sarif-multitool
[[ -x $tool ]] || { echo "FAIL: $tool missing: run deploy/setup.sh" >&2; exit 1; }
source "$out/counts.env"
for f in check report; do
  log=$out/$f.validation.sarif
  rm -f "$log"
  "$tool" validate "$out/$f.sarif" --output "$log" >"$out/$f.validation.txt"
  # The validator's own SARIF log: any result of level "error" is a failure.
  python3 - "$log" "$out/$f.sarif" "$f" "$findings" "$waived" <<'PY'
import json, sys
log, sarif, kind, findings, waived = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
errors = [r for run in json.load(open(log))["runs"] for r in run.get("results", [])
          if r.get("level", "warning") == "error"]
for r in errors:
    print("validator error:", r["ruleId"], r["message"].get("text", r["message"]), file=sys.stderr)
assert not errors, f"{sarif}: {len(errors)} validator errors"
doc = json.load(open(sarif))
assert doc["version"] == "2.1.0"
run = doc["runs"][0]
rules = run["tool"]["driver"]["rules"]
assert rules and all(r["help"]["text"] and r["shortDescription"]["text"] for r in rules)
results = run["results"]
assert results, "no results"
for r in results:
    loc = r["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"].endswith(".txt"), loc
    assert loc["region"]["startLine"] >= 1
    assert r["partialFingerprints"]["redactionAudit/v1"]
    assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
if kind == "report":
    assert len(results) == findings, (len(results), findings)
    sup = [r for r in results if r.get("suppressions")]
    assert len(sup) == 2, f"expected the waiver and the false positive as suppressions, got {len(sup)}"
    waiver = [r for r in sup if r["properties"]["finding"].endswith("/" + waived)]
    assert waiver and "margin" in waiver[0]["suppressions"][0]["justification"], waiver
else:
    assert not any(r.get("suppressions") for r in results)
    assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("tests/fixtures/sample-release/") for r in results)
print(f"{sarif}: valid SARIF 2.1.0, {len(results)} results, {len(rules)} rules")
PY
done
echo PASS
