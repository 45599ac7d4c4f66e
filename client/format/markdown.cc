// Markdown output for a pull-request or merge-request comment.
#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "format/report.h"

namespace ra::cli {
namespace v1 = ::redaction_audit::v1;

namespace {

// Text safe inside a Markdown table cell.
std::string Cell(const std::string& s) {
  // XmlEscape also fixes bad UTF-8; quotes need no escaping in Markdown.
  return absl::StrReplaceAll(XmlEscape(s), {{"&quot;", "\""},
                                            {"&#39;", "'"},
                                            {"|", "\\|"},
                                            {"\n", " "},
                                            {"`", "'"},
                                            {"*", "\\*"},
                                            {"_", "\\_"}});
}

}  // namespace

void WriteMarkdown(const ReportData& data, std::ostream& out, int max_rows) {
  std::map<std::string, int> by_status;
  std::map<std::string, std::map<int, int>> by_rule;
  std::vector<const v1::Finding*> failing, other;
  for (const v1::Finding& f : data.findings) {
    ++by_status[StatusName(f.status())];
    if (f.status() == v1::FIXED) continue;
    ++by_rule[f.rule()][f.severity()];
    (IsFailing(data, f) ? failing : other).push_back(&f);
  }
  int rejected = 0;
  for (const ReportDocument& d : data.documents) rejected += d.error.empty() ? 0 : 1;
  const bool failed = !failing.empty() || rejected > 0;

  out << "## Redaction audit: " << Cell(data.title) << "\n\n";
  out << (failed ? "**Failed**: " : "**Passed**: ") << failing.size()
      << " finding(s) at or above **" << SeverityName(data.fail_on)
      << "** not reviewed or baselined";
  if (rejected > 0) out << ", " << rejected << " document(s) rejected";
  out << ". " << data.documents.size() << " document(s), " << data.findings.size()
      << " finding(s)";
  if (!data.pack.empty()) out << ", rule pack `" << data.pack << "`";
  out << ".\n\n";

  out << "| status | findings |\n|---|---:|\n";
  for (const char* s : {"open", "confirmed", "waived", "false-positive", "fixed"}) {
    out << "| " << s << " | " << by_status[s] << " |\n";
  }
  out << "\n";

  std::vector<const v1::Finding*> rows = failing;
  rows.insert(rows.end(), other.begin(), other.end());
  if (!rows.empty()) {
    out << "| | severity | rule | document | page | line | message | status |\n"
        << "|---|---|---|---|---:|---:|---|---|\n";
    int shown = 0;
    for (const v1::Finding* f : rows) {
      if (shown++ >= max_rows) break;
      const std::string why = SuppressionOf(data, *f);
      out << "| " << (IsFailing(data, *f) ? "❌" : (why.empty() ? "⚠️" : "✔️")) << " | "
          << SeverityName(f->severity()) << " | `" << f->rule() << "` | "
          << Cell(DocNumberOf(f->name())) << " | " << f->location().page() << " | "
          << f->location().line() << " | " << Cell(f->message()) << " | "
          << StatusName(f->status()) << (why == "baseline" ? " (baseline)" : "")
          << " |\n";
    }
    if (static_cast<int>(rows.size()) > max_rows) {
      out << "\n_" << rows.size() - max_rows
          << " more finding(s) not shown; see the SARIF, JUnit or HTML report._\n";
    }
    out << "\n";
  }

  if (!by_rule.empty()) {
    out << "<details><summary>Findings by rule</summary>\n\n"
        << "| rule | error | warning | info |\n|---|---:|---:|---:|\n";
    for (auto& [rule, sev] : by_rule) {
      out << "| `" << rule << "` | " << sev[v1::ERROR] << " | " << sev[v1::WARNING]
          << " | " << sev[v1::INFO] << " |\n";
    }
    out << "\n</details>\n";
  }

  // Exemption use: per release, documents whose stamp cites each code and
  // marks in the text; then per document.
  const ExemptionUse use = SummarizeExemptions(data);
  if (use.documents.empty() || use.codes.empty()) return;
  out << "\n<details><summary>Exemption use by release</summary>\n\n"
      << "Each cell: documents whose release stamp cites the exemption / marks in "
         "the text.\n\n| release | documents |";
  for (const std::string& c : use.codes) out << " " << Cell(c) << " |";
  out << "\n|---|---:|";
  for (size_t i = 0; i < use.codes.size(); ++i) out << "---:|";
  out << "\n";
  auto count = [](const std::map<std::string, int>& m, const std::string& k) {
    auto it = m.find(k);
    return it == m.end() ? 0 : it->second;
  };
  for (const ExemptionUse::Release& r : use.releases) {
    out << "| " << Cell(r.name) << " | " << r.documents << " |";
    for (const std::string& c : use.codes) {
      out << " " << count(r.citing, c) << " / " << count(r.marks, c) << " |";
    }
    out << "\n";
  }
  out << "\n</details>\n\n<details><summary>Exemption use by document</summary>\n\n"
      << "| document | release | stamp cites | marks in the text |\n|---|---|---|---|\n";
  int shown = 0;
  for (const ReportDocument* d : use.documents) {
    if (shown++ >= max_rows) break;
    std::string marks;
    for (const auto& [c, n] : d->marks_by_code) {
      absl::StrAppend(&marks, marks.empty() ? "" : ", ", c, " \u00d7", n);
    }
    out << "| " << Cell(d->doc_number) << " | " << Cell(d->release) << " | "
        << Cell(absl::StrJoin(d->stamp_codes, ", ")) << " | " << Cell(marks) << " |\n";
  }
  if (static_cast<int>(use.documents.size()) > max_rows) {
    out << "\n_" << use.documents.size() - max_rows << " more document(s) not shown._\n";
  }
  out << "\n</details>\n";
}

}  // namespace ra::cli
