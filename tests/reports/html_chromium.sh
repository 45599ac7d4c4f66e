#!/usr/bin/env bash
# Opens the HTML reports in headless Chromium (Debian's `chromium`, installed
# by deploy/setup.sh), offline: dumps the DOM after the inline script ran and
# checks the charts and the table, and takes a screenshot.
#   tests/reports/html_chromium.sh OUT_DIR
set -euo pipefail
out=$1
source "$out/counts.env"
browser=$(command -v chromium || true)
[[ -n $browser ]] || { echo "FAIL: chromium missing: run deploy/setup.sh" >&2; exit 1; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chrome() {
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --disable-dev-shm-usage \
    --user-data-dir="$profile" "$@" 2>>"$out/chromium.log"
}
for f in check report; do
  chrome --dump-dom "file://$out/$f.html" >"$out/$f.dom.html"
  chrome --screenshot="$out/$f.png" --window-size=1200,1400 --hide-scrollbars "file://$out/$f.html" >/dev/null
  python3 - "$out/$f.dom.html" "$out/$f.png" "$f" "$findings" <<'PY'
import re, struct, sys
dom_path, png, kind, findings = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
dom = open(dom_path, encoding="utf-8").read()
assert "<svg" in dom and 'id="chart-rules"' in dom, "no findings-by-rule chart"
assert 'id="chart-review"' in dom, "no review-progress chart"
assert dom.count('<g class="bar">') >= 2
# No external assets: nothing loaded from elsewhere.
assert not re.search(r'(src|href)="(https?:)?//', dom), "external asset referenced"
tbody = dom.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
rows = tbody.count("<tr")
# The inline script ran: it wrote the count of rows shown.
m = re.search(r'id="shown-count"[^>]*>(\d+) of (\d+) findings shown<', dom)
assert m, "the table script did not run"
assert int(m.group(1)) == int(m.group(2)) == rows, m.groups()
# Exemption use by release and document: from the submitted documents
# (check) and from the store (report) alike.
assert 'id="chart-exemptions-release"' in dom, f"{kind}: no exemption-by-release chart"
assert 'id="chart-exemptions-documents"' in dom, f"{kind}: no exemption-by-document chart"
assert 'id="exemptions-unknown"' not in dom
release_chart = dom.split('id="chart-exemptions-release"', 1)[1].split("</svg>", 1)[0]
assert "HRCEmail_JuneWeb" in release_chart and "(b)(6)" in release_chart, kind
grid = dom.split('id="chart-exemptions-documents"', 1)[1].split("</svg>", 1)[0]
assert grid.count('class="doc-row"') >= 10, f"{kind}: exemption grid has too few documents"
assert "C05761178" in grid and "in stamp" in grid, kind
if kind == "report":
    assert rows == findings, (rows, findings)
    assert "waived" in tbody and "margin" in tbody
with open(png, "rb") as f:
    head = f.read(24)
assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", head[16:24])
assert (w, h) == (1200, 1400), (w, h)
print(f"{kind}.html: {rows} table rows, charts present, screenshot {w}x{h}")
PY
done
echo PASS
