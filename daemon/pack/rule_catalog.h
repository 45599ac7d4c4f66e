// The rules this build implements: stable ids, default severities and what
// each checks. Rule packs may only name these ids (check/ implements them).
#ifndef RA_PACK_RULE_CATALOG_H_
#define RA_PACK_RULE_CATALOG_H_

#include <string_view>
#include <vector>

#include "model/finding.h"

namespace ra {

struct RuleInfo {
  std::string_view id;
  Severity default_severity;
  std::string_view description;
};

namespace rule_id {
inline constexpr std::string_view kMarkNotStamped = "mark.code-not-stamped";
inline constexpr std::string_view kStampNotMarked = "stamp.code-not-marked";
inline constexpr std::string_view kFullWithMarks = "stamp.full-with-marks";
inline constexpr std::string_view kPartWithoutCodes = "stamp.part-without-codes";
inline constexpr std::string_view kStampMissing = "stamp.missing";
inline constexpr std::string_view kUnknownCode = "mark.unknown-code";
inline constexpr std::string_view kCaseMismatch = "metadata.case-number-mismatch";
inline constexpr std::string_view kDocMismatch = "metadata.doc-number-mismatch";
inline constexpr std::string_view kDateMismatch = "metadata.release-date-mismatch";
inline constexpr std::string_view kHeadersDisagree = "metadata.page-headers-disagree";
inline constexpr std::string_view kHeaderOcrVariant = "metadata.header-ocr-variant";
// (b)(1) and E.O. 13526.
inline constexpr std::string_view kB1BlockMissing = "b1.classification-missing";
inline constexpr std::string_view kB1BlockIncomplete = "b1.classification-incomplete";
inline constexpr std::string_view kB1ReasonNotInBlock = "b1.reason-not-in-block";
inline constexpr std::string_view kB1BlockReasonNotMarked = "b1.block-reason-not-marked";
inline constexpr std::string_view kB1DeclassifyBeforeClassified =
    "b1.declassify-before-classified";
inline constexpr std::string_view kB1DeclassifyTooLate = "b1.declassify-beyond-limit";
inline constexpr std::string_view kB1LegacyReason = "b1.legacy-reason";
// (b)(3), (b)(5), (b)(7).
inline constexpr std::string_view kB3StatuteMissing = "b3.statute-missing";
inline constexpr std::string_view kB3StatuteUnknown = "b3.statute-unknown";
inline constexpr std::string_view kB5TooOld = "b5.deliberative-process-too-old";
inline constexpr std::string_view kB7SubpartMissing = "b7.subpart-missing";
// Visible personal data.
inline constexpr std::string_view kPiiEmail = "pii.email-visible";
inline constexpr std::string_view kPiiPhone = "pii.phone-visible";
inline constexpr std::string_view kPiiSsn = "pii.ssn-visible";
inline constexpr std::string_view kPiiBirthDate = "pii.birth-date-visible";
inline constexpr std::string_view kPiiPassport = "pii.passport-visible";
// Release metadata vs the document.
inline constexpr std::string_view kDispositionMismatch =
    "metadata.disposition-mismatch";
inline constexpr std::string_view kClaimedNotApplied =
    "metadata.claimed-exemption-not-applied";
inline constexpr std::string_view kAppliedNotClaimed =
    "metadata.applied-exemption-not-claimed";
inline constexpr std::string_view kPageCountMismatch = "metadata.page-count-mismatch";
inline constexpr std::string_view kPdfTextUnderBox = "pdf.text-under-box";
inline constexpr std::string_view kPdfUnappliedRedaction = "pdf.unapplied-redaction";
inline constexpr std::string_view kPdfMetadataText = "pdf.metadata-text";
inline constexpr std::string_view kPdfEmbeddedFile = "pdf.embedded-file";
inline constexpr std::string_view kPdfOutlineText = "pdf.outline-text";
inline constexpr std::string_view kPdfBoxesNotChecked = "pdf.boxes-not-checked";
// Cross-document rules (xdoc/).
inline constexpr std::string_view kXdocReleasedElsewhere = "xdoc.released-elsewhere";
inline constexpr std::string_view kXdocWithheldElsewhere = "xdoc.withheld-elsewhere";
inline constexpr std::string_view kXdocExemptionDiffers = "xdoc.exemption-differs";
inline constexpr std::string_view kXdocDispositionDiffers = "xdoc.disposition-differs";
// Release-level rules (check/release_check.h).
inline constexpr std::string_view kReleaseNotSubmitted =
    "release.document-not-submitted";
inline constexpr std::string_view kReleaseNotInManifest =
    "release.document-not-in-manifest";
}  // namespace rule_id

// Every rule, in a stable order.
const std::vector<RuleInfo>& RuleCatalog();
// nullptr when `id` is not a rule of this build.
const RuleInfo* FindRuleInfo(std::string_view id);

}  // namespace ra

#endif  // RA_PACK_RULE_CATALOG_H_
