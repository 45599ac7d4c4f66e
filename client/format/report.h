// Reports for a case or a release: the data every report format is built
// from, and the writers for SARIF 2.1.0, JUnit XML, Markdown and a
// self-contained HTML page. Pure functions of ReportData: no I/O besides the
// output stream, so they are unit-tested on hand-made data.
#ifndef RA_CLIENT_FORMAT_REPORT_H_
#define RA_CLIENT_FORMAT_REPORT_H_

#include <map>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "redaction_audit/v1/audit_service.pb.h"

namespace ra::cli {

// One document of the report.
struct ReportDocument {
  std::string doc_number;   // "C05788291"
  std::string case_number;  // "F-2014-20439"
  std::string file;         // artifact path, as submitted
  std::string release;      // may be empty
  std::string disposition;  // "FULL", "PART", "DENIED", "NONE" or ""
  // Exemption use as parsed: stamp codes, and marks per canonical code.
  // Empty when unknown (report built from the store alone).
  std::vector<std::string> stamp_codes;
  std::map<std::string, int> marks_by_code;
  bool parsed = false;      // stamp_codes/marks_by_code are known
  std::string error;        // non-empty: the daemon rejected the document
};

struct ReportData {
  std::string title;      // e.g. "Case F-2014-20439"
  std::string generated;  // RFC 3339 UTC time the report was made
  std::string pack;       // rule pack "name@version"
  std::vector<::redaction_audit::v1::Rule> rules;
  std::vector<ReportDocument> documents;
  std::vector<::redaction_audit::v1::Finding> findings;
  // Last review note per finding name (for waivers and false positives).
  std::map<std::string, std::string> notes;
  // Findings whose "DOC FINGERPRINT" key is here are accepted by a baseline.
  std::set<std::string> baseline;
  // Findings at or above this severity fail, unless suppressed.
  ::redaction_audit::v1::Severity fail_on = ::redaction_audit::v1::ERROR;
};

// "cases/C/documents/D/findings/N" -> "D" (and "C" into `case_number`).
std::string DocNumberOf(const std::string& finding_name,
                        std::string* case_number = nullptr);
// The baseline key of a finding: "CASE/DOC FINGERPRINT".
std::string BaselineKey(const ::redaction_audit::v1::Finding& f);
// Why a finding does not count: "waived", "false-positive", "fixed",
// "baseline", or "" when it counts.
std::string SuppressionOf(const ReportData& data,
                          const ::redaction_audit::v1::Finding& f);
// Not suppressed and at or above data.fail_on.
bool IsFailing(const ReportData& data, const ::redaction_audit::v1::Finding& f);

// SARIF 2.1.0: one run; rules with help text; results with artifact URI and
// region, partialFingerprints, and review decisions (and baseline entries)
// as suppressions. `fixed` findings are left out.
void WriteSarif(const ReportData& data, const std::string& tool_version,
                std::ostream& out);

// JUnit XML: a <testsuite> per release (or case), a <testcase> per
// document; failing findings make a <failure>, a rejected document an
// <error>, other findings are listed in <system-out>.
void WriteJUnit(const ReportData& data, std::ostream& out);

// GitHub-flavoured Markdown for a pull-request comment: totals, failing
// findings first (at most `max_rows` rows), counts by rule.
void WriteMarkdown(const ReportData& data, std::ostream& out, int max_rows = 50);

// One HTML page, no external assets: inline CSS, inline SVG charts
// (findings by rule and severity, exemption use by release and document,
// review progress) and a sortable, filterable findings table (inline JS;
// the table is readable without it).
void WriteHtml(const ReportData& data, std::ostream& out);

// Exemption use of the report's documents whose codes are known
// (ReportDocument::parsed): the data behind the HTML chart "exemption use
// by release and document", its Markdown tables and its JSON.
struct ExemptionUse {
  struct Release {
    std::string name;  // "(no release)" for documents without one
    int documents = 0;
    std::map<std::string, int> citing;  // code -> documents whose stamp cites it
    std::map<std::string, int> marks;   // code -> marks in the text
  };
  std::vector<std::string> codes;  // every code cited or marked, sorted
  std::vector<Release> releases;   // by name
  std::vector<const ReportDocument*> documents;  // known ones, report order
};
ExemptionUse SummarizeExemptions(const ReportData& data);
// {"codes":[...],"by_release":[{"release","documents","citing":{code:n},
// "marks":{code:n}}],"by_document":[{"document","case","release",
// "disposition","stamp_codes":[...],"marks":{code:n}}]}
std::string ExemptionUseJson(const ExemptionUse& use);
// A report document from the store's DocumentExemptions.
ReportDocument FromDocumentExemptions(const ::redaction_audit::v1::DocumentExemptions& d);

// Escapes & < > " ' for HTML and XML text and attributes; invalid UTF-8
// becomes U+FFFD and control characters (not allowed in XML 1.0) a space.
std::string XmlEscape(const std::string& s);

// "info", "warning", "error"; "open", "confirmed", "fixed", "waived",
// "false-positive".
const char* SeverityName(::redaction_audit::v1::Severity s);
const char* StatusName(::redaction_audit::v1::FindingStatus s);
// "FULL", "PART", "DENIED", "NONE".
const char* DispositionName(::redaction_audit::v1::Disposition d);

}  // namespace ra::cli

#endif  // RA_CLIENT_FORMAT_REPORT_H_
