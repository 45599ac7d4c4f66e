// Findings and parsed documents in the CLI's output formats.
#ifndef RA_CLIENT_FORMAT_FINDINGS_H_
#define RA_CLIENT_FORMAT_FINDINGS_H_

#include <ostream>
#include <string>
#include <vector>

#include "redaction_audit/v1/audit_service.pb.h"

namespace ra::cli {

// Writes findings as "table", "json" (JSON Lines: id, name, rule, severity,
// status, document, case, release, page, line, message, evidence,
// fingerprint, etag) or "csv" (same columns, with a header).
void WriteFindings(const std::vector<::redaction_audit::v1::Finding>& findings,
                   const std::string& format, std::ostream& out,
                   bool csv_header = true);

// The `inspect --format json` contract: one object per document with file,
// disposition, stamp_codes, marks [{page, line, code}], case_numbers,
// doc_numbers, release_dates, classification (null or {level, reasons,
// declassify_on, classified_by}), plus findings [{rule, severity, line,
// message}].
std::string InspectJson(const std::string& file,
                        const ::redaction_audit::v1::InspectDocumentResponse& r);

}  // namespace ra::cli

#endif  // RA_CLIENT_FORMAT_FINDINGS_H_
