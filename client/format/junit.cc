// JUnit XML output, the test-report format GitLab, Jenkins and most CI
// systems display: a testcase per document.
#include <map>

#include "absl/strings/str_cat.h"
#include "format/report.h"

namespace ra::cli {
namespace v1 = ::redaction_audit::v1;

namespace {

std::string FindingLine(const v1::Finding& f, const std::string& suppression) {
  std::string line = absl::StrCat(SeverityName(f.severity()), " ", f.rule(), " page ",
                                  f.location().page(), " line ", f.location().line(),
                                  ": ", f.message());
  if (!f.evidence().empty()) absl::StrAppend(&line, " [", f.evidence(), "]");
  absl::StrAppend(&line, " (", f.name(), ", ", StatusName(f.status()));
  if (!suppression.empty() && suppression != StatusName(f.status())) {
    absl::StrAppend(&line, ", ", suppression);
  }
  return line + ")\n";
}

struct CaseResult {
  const ReportDocument* doc = nullptr;
  std::string failures;  // lines of failing findings
  std::string others;    // lines of the other findings
  int failing = 0;
};

}  // namespace

void WriteJUnit(const ReportData& data, std::ostream& out) {
  // Documents by "CASE/DOC", then grouped into suites by release.
  std::map<std::string, CaseResult> by_doc;
  for (const ReportDocument& d : data.documents) {
    by_doc[absl::StrCat(d.case_number, "/", d.doc_number)].doc = &d;
  }
  std::vector<ReportDocument> extra;  // documents known only from findings
  extra.reserve(data.findings.size());
  for (const v1::Finding& f : data.findings) {
    std::string case_number;
    const std::string doc = DocNumberOf(f.name(), &case_number);
    CaseResult& r = by_doc[absl::StrCat(case_number, "/", doc)];
    if (r.doc == nullptr) {
      ReportDocument d;
      d.case_number = case_number;
      d.doc_number = doc;
      d.file = f.file_name();
      d.release = f.release();
      extra.push_back(d);
      r.doc = &extra.back();
    }
    if (f.status() == v1::FIXED) continue;
    if (IsFailing(data, f)) {
      ++r.failing;
      r.failures += FindingLine(f, "");
    } else {
      r.others += FindingLine(f, SuppressionOf(data, f));
    }
  }
  std::map<std::string, std::vector<const CaseResult*>> suites;
  for (const auto& [key, r] : by_doc) {
    const std::string suite = r.doc->release.empty()
                                  ? absl::StrCat("case ", r.doc->case_number)
                                  : r.doc->release;
    suites[suite].push_back(&r);
  }
  int tests = 0, failures = 0, errors = 0;
  for (const auto& [key, r] : by_doc) {
    ++tests;
    if (!r.doc->error.empty()) {
      ++errors;
    } else if (r.failing > 0) {
      ++failures;
    }
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites name=\"" << XmlEscape("redaction-audit " + data.title)
      << "\" tests=\"" << tests << "\" failures=\"" << failures << "\" errors=\""
      << errors << "\">\n";
  for (const auto& [suite, cases] : suites) {
    int s_fail = 0, s_err = 0;
    for (const CaseResult* r : cases) {
      if (!r->doc->error.empty()) {
        ++s_err;
      } else if (r->failing > 0) {
        ++s_fail;
      }
    }
    out << "  <testsuite name=\"" << XmlEscape(suite) << "\" tests=\"" << cases.size()
        << "\" failures=\"" << s_fail << "\" errors=\"" << s_err
        << "\" skipped=\"0\"";
    if (!data.generated.empty()) out << " timestamp=\"" << XmlEscape(data.generated) << "\"";
    out << ">\n";
    for (const CaseResult* r : cases) {
      const ReportDocument& d = *r->doc;
      out << "    <testcase classname=\"" << XmlEscape(absl::StrCat("cases.", d.case_number))
          << "\" name=\"" << XmlEscape(d.doc_number) << "\"";
      if (!d.file.empty()) out << " file=\"" << XmlEscape(d.file) << "\"";
      out << ">\n";
      if (!d.error.empty()) {
        out << "      <error message=\"" << XmlEscape(d.error)
            << "\" type=\"rejected\"/>\n";
      } else if (r->failing > 0) {
        out << "      <failure message=\""
            << XmlEscape(absl::StrCat(r->failing, " finding(s) at or above ",
                                      SeverityName(data.fail_on)))
            << "\" type=\"" << SeverityName(data.fail_on) << "\">"
            << XmlEscape(r->failures) << "</failure>\n";
      }
      if (!r->others.empty()) {
        out << "      <system-out>" << XmlEscape(r->others) << "</system-out>\n";
      }
      out << "    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace ra::cli
