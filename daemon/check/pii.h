// Internal to check/: visible personal data (pii.* rules). Finds personal
// e-mail addresses, phone numbers, SSNs, dates of birth and passport numbers
// left in the released text, and escalates their severity when the same kind
// of identifier is redacted elsewhere in the document (a "Phone:" label with
// nothing after it) or the document withholds under (b)(6).
#ifndef RA_CHECK_PII_H_
#define RA_CHECK_PII_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "check/emitter.h"
#include "model/document.h"

namespace re2 {
class RE2;
}  // namespace re2

namespace ra {

enum class PiiKind { kEmail, kPhone, kSsn, kBirthDate, kPassport };

// An identifier printed in the text.
struct PiiSpan {
  PiiKind kind;
  int line = 0;    // 1-based
  int column = 0;  // 0-based byte column
  std::string text;
  std::string folded;  // RulePack::FoldPiiValue(text)
};

// "email", "phone", "ssn", "birth-date", "passport".
std::string_view PiiKindName(PiiKind kind);

// Visible identifiers of `doc` that the pack does not allow (domains,
// values; phones without context when the pack asks for it), in text order.
std::vector<PiiSpan> FindVisiblePii(const Document& doc, const RulePack& pack);

// Kinds whose identifiers are redacted somewhere in `doc`: a field label
// ("Cell:", "E-mail:", "DOB:") followed by nothing or only an exemption
// code, or a "[mailto" cut off at the end of a line.
std::vector<PiiKind> RedactedPiiKinds(const Document& doc);

namespace check_internal {
void CheckPersonalData(const Document& doc, Emitter& emit);

// The pattern that finds identifiers of `kind` (group 1 is the identifier).
const re2::RE2& PiiPattern(PiiKind kind);

// The pre-filter FindVisiblePii asks before running PiiPattern(kind) on a
// line: false only when `line` cannot hold a match (a necessary condition
// read off the pattern; pii_test holds it to the pattern).
bool PiiLineMayMatch(PiiKind kind, std::string_view line);

// The leftmost match of PiiPattern(kEmail) in `text`, as RE2 finds it, or
// nullopt; found without RE2 (whose search cost ~2,000 instructions a
// line with an '@'). FindVisiblePii uses it; pii_test holds it to the
// pattern.
std::optional<std::string_view> FindEmail(std::string_view text);
}  // namespace check_internal

}  // namespace ra

#endif  // RA_CHECK_PII_H_
