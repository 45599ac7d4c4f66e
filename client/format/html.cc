// The self-contained HTML report: one file, no external assets, readable
// offline. Charts are inline SVG drawn here; the findings table is plain
// HTML, made sortable and filterable by a small inline script.
#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "format/report.h"

namespace ra::cli {
namespace v1 = ::redaction_audit::v1;

namespace {

const char* SeverityColor(int s) {
  switch (s) {
    case v1::ERROR:
      return "#c62828";
    case v1::WARNING:
      return "#ef8f00";
    default:
      return "#1e73be";
  }
}

const char* StatusColor(const std::string& s) {
  if (s == "open") return "#9e9e9e";
  if (s == "confirmed") return "#b71c1c";
  if (s == "waived") return "#f9a825";
  if (s == "false-positive") return "#1565c0";
  return "#2e7d32";  // fixed
}

const char* CodeColor(size_t i) {
  static const char* const kPalette[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2",
                                         "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                                         "#9c755f", "#bab0ac"};
  return kPalette[i % 10];
}

// A horizontal stacked bar chart: one row per label, one segment per series.
struct BarRow {
  std::string label;
  std::vector<std::pair<std::string, int>> segments;  // (series, value)
};

void StackedBars(std::ostream& out, const std::string& id, const std::string& title,
                 const std::vector<BarRow>& rows,
                 const std::vector<std::pair<std::string, std::string>>& legend,
                 const std::map<std::string, std::string>& colors) {
  const int label_w = 270, bar_w = 420, row_h = 22, top = 30;
  int max_total = 1;
  for (const BarRow& r : rows) {
    int t = 0;
    for (const auto& s : r.segments) t += s.second;
    max_total = std::max(max_total, t);
  }
  const int height = top + row_h * static_cast<int>(rows.size()) + 10;
  out << "<svg id=\"" << id << "\" class=\"chart\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" "
      << "width=\"" << label_w + bar_w + 60 << "\" height=\"" << height << "\" "
      << "viewBox=\"0 0 " << label_w + bar_w + 60 << " " << height << "\">"
      << "<title>" << XmlEscape(title) << "</title>";
  int lx = label_w;
  for (const auto& [name, color] : legend) {
    out << "<rect x=\"" << lx << "\" y=\"6\" width=\"12\" height=\"12\" fill=\"" << color
        << "\"/><text x=\"" << lx + 16 << "\" y=\"16\" class=\"legend\">" << XmlEscape(name)
        << "</text>";
    lx += 24 + static_cast<int>(name.size()) * 7;
  }
  int y = top;
  for (const BarRow& r : rows) {
    out << "<g class=\"bar\"><text x=\"" << label_w - 6 << "\" y=\"" << y + 15
        << "\" text-anchor=\"end\">" << XmlEscape(r.label) << "</text>";
    double x = label_w;
    int total = 0;
    for (const auto& [series, value] : r.segments) {
      if (value <= 0) continue;
      const double w = static_cast<double>(bar_w) * value / max_total;
      auto c = colors.find(series);
      out << absl::StrFormat(
          "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"%s\"><title>%s: %d</title></rect>",
          x, y + 2, std::max(w, 1.0), c == colors.end() ? "#777" : c->second,
          XmlEscape(series), value);
      x += w;
      total += value;
    }
    out << absl::StrFormat("<text x=\"%.1f\" y=\"%d\">%d</text></g>", x + 4, y + 15, total);
    y += row_h;
  }
  out << "</svg>\n";
}

constexpr char kGridConsistent[] = "#2e7d32";
constexpr char kGridNotMarked[] = "#c77c02";
constexpr char kGridNotCited[] = "#b71c1c";

// Documents (rows) x exemption codes (columns): what the stamp cites and
// how many marks the text carries for each code.
void ExemptionGrid(std::ostream& out, const std::vector<const ReportDocument*>& docs,
                   const std::vector<std::string>& codes) {
  const int label_w = 130, cell_w = 58, cell_h = 18, top = 34;
  const int width = label_w + cell_w * static_cast<int>(codes.size()) + 10;
  const int height = top + cell_h * static_cast<int>(docs.size()) + 6;
  out << "<svg id=\"chart-exemptions-documents\" class=\"chart\" role=\"img\" "
      << "xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\""
      << height << "\" viewBox=\"0 0 " << width << " " << height << "\">"
      << "<title>Exemption use by document</title>";
  for (size_t c = 0; c < codes.size(); ++c) {
    out << "<text x=\"" << label_w + cell_w * c + cell_w / 2 << "\" y=\"24\" "
        << "text-anchor=\"middle\">" << XmlEscape(codes[c]) << "</text>";
  }
  int y = top;
  for (const ReportDocument* d : docs) {
    out << "<g class=\"doc-row\"><text x=\"" << label_w - 6 << "\" y=\"" << y + 13
        << "\" text-anchor=\"end\">" << XmlEscape(d->doc_number) << "</text>";
    const std::set<std::string> stamp(d->stamp_codes.begin(), d->stamp_codes.end());
    for (size_t c = 0; c < codes.size(); ++c) {
      auto m = d->marks_by_code.find(codes[c]);
      const int marks = m == d->marks_by_code.end() ? 0 : m->second;
      const bool cited = stamp.count(codes[c]) > 0;
      if (!cited && marks == 0) continue;
      // Cited and marked: green; cited, no mark: amber; marked, not cited:
      // red (darker than the code palette, so they do not read as codes).
      const char* fill = cited ? (marks > 0 ? kGridConsistent : kGridNotMarked)
                               : kGridNotCited;
      out << "<rect x=\"" << label_w + cell_w * c + 2 << "\" y=\"" << y << "\" width=\""
          << cell_w - 4 << "\" height=\"" << cell_h - 3 << "\" fill=\"" << fill
          << "\"><title>" << XmlEscape(d->doc_number) << " " << XmlEscape(codes[c])
          << (cited ? ": in stamp, " : ": not in stamp, ") << marks
          << " mark(s)</title></rect><text x=\"" << label_w + cell_w * c + cell_w / 2
          << "\" y=\"" << y + 12 << "\" text-anchor=\"middle\" class=\"cell\">" << marks
          << "</text>";
    }
    out << "</g>";
    y += cell_h;
  }
  out << "</svg>\n";
}

constexpr char kStyle[] = R"css(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#222;background:#fafafa}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.meta{color:#666}.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px 16px;min-width:110px}
.card b{display:block;font-size:22px}.fail b{color:#c62828}.pass b{color:#2e7d32}
.chart{background:#fff;border:1px solid #ddd;border-radius:6px;max-width:100%;height:auto}
.chart text{font-size:12px;fill:#333}.chart .cell{fill:#fff;font-weight:600}
.note{color:#666;font-style:italic}
table{border-collapse:collapse;background:#fff;width:100%;font-size:13px}
th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#eee;cursor:pointer;user-select:none;position:sticky;top:0}
th[aria-sort=ascending]::after{content:" \25B2"}th[aria-sort=descending]::after{content:" \25BC"}
tr.failing td:first-child{border-left:4px solid #c62828}
.sev-error{color:#c62828;font-weight:600}.sev-warning{color:#b26a00}.sev-info{color:#1e73be}
.controls{margin:8px 0;display:flex;gap:8px;flex-wrap:wrap}
.controls input{flex:1;min-width:220px;padding:4px}code{font-size:12px}
)css";

constexpr char kScript[] = R"js(
(function(){
var table=document.getElementById('findings');if(!table)return;
var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);
var text=document.getElementById('filter-text'),sev=document.getElementById('filter-severity'),
st=document.getElementById('filter-status'),count=document.getElementById('shown-count');
function apply(){var q=text.value.toLowerCase(),n=0;rows.forEach(function(r){
var ok=(!q||r.textContent.toLowerCase().indexOf(q)>=0)&&(!sev.value||r.dataset.severity===sev.value)
&&(!st.value||r.dataset.status===st.value);r.hidden=!ok;if(ok)n++;});
count.textContent=n+' of '+rows.length+' findings shown';}
[text,sev,st].forEach(function(e){e.addEventListener('input',apply);e.addEventListener('change',apply);});
Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,i){th.addEventListener('click',function(){
var asc=th.getAttribute('aria-sort')!=='ascending';Array.prototype.forEach.call(th.parentNode.cells,function(c){c.removeAttribute('aria-sort');});
th.setAttribute('aria-sort',asc?'ascending':'descending');var num=th.dataset.type==='number';
rows.sort(function(a,b){var x=a.cells[i].dataset.key||a.cells[i].textContent,y=b.cells[i].dataset.key||b.cells[i].textContent;
var c=num?(parseFloat(x)||0)-(parseFloat(y)||0):x.localeCompare(y);return asc?c:-c;});
rows.forEach(function(r){body.appendChild(r);});});});
apply();})();
)js";

}  // namespace

void WriteHtml(const ReportData& data, std::ostream& out) {
  // Tallies.
  std::map<std::string, std::map<int, int>> by_rule;
  std::map<std::string, int> by_status;
  int failing = 0;
  for (const v1::Finding& f : data.findings) {
    ++by_status[StatusName(f.status())];
    if (f.status() != v1::FIXED) ++by_rule[f.rule()][f.severity()];
    if (IsFailing(data, f)) ++failing;
  }
  int rejected = 0;
  for (const ReportDocument& d : data.documents) rejected += d.error.empty() ? 0 : 1;
  const int reviewed = by_status["confirmed"] + by_status["waived"] +
                       by_status["false-positive"] + by_status["fixed"];
  const int total = static_cast<int>(data.findings.size());
  const bool failed = failing > 0 || rejected > 0;

  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      << "<title>Redaction audit: " << XmlEscape(data.title) << "</title><style>" << kStyle
      << "</style></head>\n<body>\n<h1>Redaction audit: " << XmlEscape(data.title)
      << "</h1>\n<p class=\"meta\">Generated " << XmlEscape(data.generated);
  if (!data.pack.empty()) out << " with rule pack " << XmlEscape(data.pack);
  out << ". Fails on findings at or above <b>" << SeverityName(data.fail_on)
      << "</b> that are not waived, false positives, fixed or in the baseline.</p>\n";

  out << "<div class=\"cards\" id=\"summary\">"
      << "<div class=\"card " << (failed ? "fail" : "pass") << "\"><b id=\"verdict\">"
      << (failed ? "FAIL" : "PASS") << "</b>verdict</div>"
      << "<div class=\"card\"><b>" << data.documents.size() << "</b>documents</div>"
      << "<div class=\"card\"><b>" << total << "</b>findings</div>"
      << "<div class=\"card fail\"><b>" << failing << "</b>failing</div>"
      << "<div class=\"card\"><b>" << rejected << "</b>rejected documents</div>"
      << "<div class=\"card\"><b>" << (total ? reviewed * 100 / total : 100)
      << "%</b>reviewed</div></div>\n";

  // Findings by rule and severity.
  out << "<h2>Findings by rule and severity</h2>\n";
  std::vector<BarRow> rule_rows;
  const std::map<std::string, std::string> sev_colors = {
      {"error", SeverityColor(v1::ERROR)},
      {"warning", SeverityColor(v1::WARNING)},
      {"info", SeverityColor(v1::INFO)}};
  for (auto& [rule, sev] : by_rule) {
    rule_rows.push_back({rule,
                         {{"error", sev[v1::ERROR]},
                          {"warning", sev[v1::WARNING]},
                          {"info", sev[v1::INFO]}}});
  }
  if (rule_rows.empty()) {
    out << "<p class=\"note\">No findings.</p>\n";
  } else {
    StackedBars(out, "chart-rules", "Findings by rule and severity", rule_rows,
                {{"error", sev_colors.at("error")},
                 {"warning", sev_colors.at("warning")},
                 {"info", sev_colors.at("info")}},
                sev_colors);
  }

  // Review progress.
  out << "<h2>Review progress</h2>\n";
  std::vector<std::pair<std::string, std::string>> status_legend;
  std::map<std::string, std::string> status_colors;
  BarRow progress{absl::StrCat(reviewed, " of ", total, " reviewed"), {}};
  for (const char* s : {"fixed", "confirmed", "waived", "false-positive", "open"}) {
    status_legend.push_back({s, StatusColor(s)});
    status_colors[s] = StatusColor(s);
    progress.segments.push_back({s, by_status[s]});
  }
  StackedBars(out, "chart-review", "Review progress", {progress}, status_legend,
              status_colors);

  // Exemption use.
  out << "<h2>Exemption use by release and document</h2>\n";
  const ExemptionUse use = SummarizeExemptions(data);
  if (use.documents.empty()) {
    out << "<p class=\"note\" id=\"exemptions-unknown\">Exemption use is not known "
           "for these documents: they were stored by a daemon older than schema "
           "version 3; audit them again to record it.</p>\n";
  } else {
    std::map<std::string, std::string> code_colors;
    std::vector<std::pair<std::string, std::string>> code_legend;
    for (size_t i = 0; i < use.codes.size(); ++i) {
      code_colors[use.codes[i]] = CodeColor(i);
      code_legend.push_back({use.codes[i], CodeColor(i)});
    }
    std::vector<BarRow> release_rows;
    for (const ExemptionUse::Release& r : use.releases) {
      BarRow row{r.name, {}};
      for (const std::string& c : use.codes) {
        auto n = r.citing.find(c);
        row.segments.push_back({c, n == r.citing.end() ? 0 : n->second});
      }
      release_rows.push_back(row);
    }
    out << "<p>Documents whose release stamp cites each exemption, by release.</p>\n";
    StackedBars(out, "chart-exemptions-release", "Exemption use by release",
                release_rows, code_legend, code_colors);
    const size_t kMaxDocs = 60;
    std::vector<const ReportDocument*> shown = use.documents;
    if (shown.size() > kMaxDocs) shown.resize(kMaxDocs);
    out << "<p>Per document: the number is the marks in the text for each code; "
        << "<span style=\"color:" << kGridConsistent << "\">&#9632;</span> cited and marked, "
        << "<span style=\"color:" << kGridNotMarked
        << "\">&#9632;</span> cited in the stamp but never marked, <span style=\"color:"
        << kGridNotCited << "\">&#9632;</span> marked but not cited."
        << (use.documents.size() > kMaxDocs
                ? absl::StrCat(" First ", kMaxDocs, " of ", use.documents.size(),
                               " documents.")
                : std::string())
        << "</p>\n";
    ExemptionGrid(out, shown, use.codes);
  }

  // The findings table.
  out << "<h2>Findings</h2>\n<div class=\"controls\">"
      << "<input id=\"filter-text\" type=\"search\" placeholder=\"Filter: rule, "
         "document, message...\" aria-label=\"filter\">"
      << "<select id=\"filter-severity\" aria-label=\"severity\"><option value=\"\">all "
         "severities</option><option>error</option><option>warning</option>"
         "<option>info</option></select>"
      << "<select id=\"filter-status\" aria-label=\"status\"><option value=\"\">all "
         "statuses</option><option>open</option><option>confirmed</option>"
         "<option>waived</option><option>false-positive</option><option>fixed</option>"
         "</select><span id=\"shown-count\" class=\"meta\"></span></div>\n"
      << "<table id=\"findings\"><thead><tr><th data-type=\"number\">id</th>"
         "<th>severity</th><th>rule</th><th>document</th><th>release</th>"
         "<th data-type=\"number\">page</th><th data-type=\"number\">line</th>"
         "<th>message</th><th>evidence</th><th>status</th></tr></thead><tbody>\n";
  for (const v1::Finding& f : data.findings) {
    const std::string id = f.name().substr(f.name().rfind('/') + 1);
    const std::string why = SuppressionOf(data, f);
    out << "<tr class=\"" << (IsFailing(data, f) ? "failing" : "") << "\" data-severity=\""
        << SeverityName(f.severity()) << "\" data-status=\"" << StatusName(f.status())
        << "\"><td>" << XmlEscape(id) << "</td><td class=\"sev-"
        << SeverityName(f.severity()) << "\" data-key=\"" << f.severity() << "\">"
        << SeverityName(f.severity()) << "</td><td><code>" << XmlEscape(f.rule())
        << "</code></td><td>" << XmlEscape(DocNumberOf(f.name())) << "</td><td>"
        << XmlEscape(f.release()) << "</td><td>" << f.location().page() << "</td><td>"
        << f.location().line() << "</td><td>" << XmlEscape(f.message()) << "</td><td><code>"
        << XmlEscape(f.evidence()) << "</code></td><td>" << StatusName(f.status());
    auto note = data.notes.find(f.name());
    if (note != data.notes.end() && !note->second.empty()) {
      out << "<br><small>" << XmlEscape(note->second) << "</small>";
    }
    if (why == "baseline") out << " <small>(baseline)</small>";
    out << "</td></tr>\n";
  }
  out << "</tbody></table>\n<script>" << kScript << "</script>\n</body></html>\n";
}

}  // namespace ra::cli
