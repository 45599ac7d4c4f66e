// Gathering what reports need from the daemon: the findings of a case or a
// release, the rules in force, and the review notes of suppressed findings.
#ifndef RA_CLIENT_COMMANDS_REPORT_DATA_H_
#define RA_CLIENT_COMMANDS_REPORT_DATA_H_

#include <ostream>
#include <string>

#include "cli.h"
#include "format/report.h"

namespace ra::cli {

// Fills data->rules and data->pack from ListRules.
absl::Status FetchRules(Connection& conn, ReportData* data);

// Appends every stored document of `case_number` (of `release`, if not
// empty) to data->documents with its latest version's exemption use
// (GetCaseReport with include_documents); `report`, when not null, gets the
// whole case report. Call before FetchFindings.
absl::Status FetchDocuments(Connection& conn, const std::string& case_number,
                            const std::string& release, ReportData* data,
                            ::redaction_audit::v1::CaseReport* report = nullptr);

// Appends every stored finding of `case_number` (and `release`, if not
// empty) to data->findings, all pages, oldest first; documents are derived
// from them.
absl::Status FetchFindings(Connection& conn, const std::string& case_number,
                           const std::string& release, ReportData* data);

// Fills data->notes with the latest review note of each waived or
// false-positive finding.
absl::Status FetchNotes(Connection& conn, ReportData* data);

// Reads a baseline file: one "CASE/DOC FINGERPRINT" per line; blank lines
// and text after '#' are ignored.
absl::Status ReadBaseline(const std::string& path, ReportData* data);
// Writes a baseline accepting every finding of `data` that is not fixed.
absl::Status WriteBaseline(const std::string& path, const ReportData& data);

// Writes `data` in `format` ("sarif", "junit", "markdown", "html", "csv",
// "json" or "table" for the findings) to `path`, or stdout for "" or "-".
absl::Status WriteReport(const ReportData& data, const std::string& format,
                         const std::string& path);

// Writes `text` to `path`, or stdout for "" or "-".
absl::Status WriteText(const std::string& text, const std::string& path);

// Current UTC time, RFC 3339.
std::string NowRfc3339();

}  // namespace ra::cli

#endif  // RA_CLIENT_COMMANDS_REPORT_DATA_H_
