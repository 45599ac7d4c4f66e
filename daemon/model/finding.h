// Findings: rule violations at a location, produced by check/, stored by
// store/, served by service/.
#ifndef RA_MODEL_FINDING_H_
#define RA_MODEL_FINDING_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/document.h"

namespace ra {

// Ordered: kInfo < kWarning < kError. Values match the API's Severity enum.
enum class Severity { kUnspecified = 0, kInfo = 1, kWarning = 2, kError = 3 };

// "info", "warning", "error".
std::string_view SeverityName(Severity s);
std::optional<Severity> ParseSeverity(std::string_view name);

// Review status. Values match the API's FindingStatus enum.
enum class FindingStatus {
  kUnspecified = 0,
  kOpen = 1,
  kConfirmed = 2,
  kFixed = 3,
  kWaived = 4,
  kFalsePositive = 5,
};

// "open", "confirmed", "fixed", "waived", "false-positive".
std::string_view FindingStatusName(FindingStatus s);
std::optional<FindingStatus> ParseFindingStatus(std::string_view name);

struct Finding {
  std::string rule_id;  // e.g. "stamp.code-not-marked"
  Severity severity = Severity::kError;
  std::string message;  // one line
  int page = 0;         // 1-based; 0 for document-level findings
  int line = 0;         // 1-based line in the input; 0 for document-level
  int column = 0;       // 0-based byte column
  int length = 0;       // bytes
  std::string evidence; // the text that triggered it
  // Stable across versions and line shifts: hex digest of the rule id, the
  // finding's key (e.g. the code) and its ordinal among equal keys.
  std::string fingerprint;
};

// Release metadata: what the release (request or manifest) says about a
// document. Empty strings and zero mean "not given".
struct ReleaseMetadata {
  std::string case_number;   // "F-2014-20439"
  std::string doc_number;    // "C05788291"
  std::string release;       // "HRCEmail_JuneWeb"
  std::string release_date;  // ISO 8601, "2015-06-30"
  std::string document_date; // ISO 8601
  // Date the FOIA request was received (the case's), ISO 8601; used by
  // the (b)(5) 25-year rule. Empty when unknown.
  std::string request_date;
  std::optional<Disposition> disposition;
  std::vector<std::string> claimed_exemptions;
  int page_count = 0;
};

}  // namespace ra

#endif  // RA_MODEL_FINDING_H_
