#include "pack/rule_catalog.h"

namespace ra {

const std::vector<RuleInfo>& RuleCatalog() {
  static const auto* const kRules = new std::vector<RuleInfo>{
      {rule_id::kMarkNotStamped, Severity::kError,
       "A code is marked at a redaction site but missing from the release "
       "stamp."},
      {rule_id::kStampNotMarked, Severity::kWarning,
       "A code in the release stamp is never marked at a redaction site; "
       "5 U.S.C. 552(b) asks for the exemption at the place of deletion."},
      {rule_id::kFullWithMarks, Severity::kError,
       "The stamp says RELEASE IN FULL but exemption codes are marked."},
      {rule_id::kPartWithoutCodes, Severity::kError,
       "The stamp says RELEASE IN PART but neither the stamp nor the body "
       "names an exemption."},
      {rule_id::kStampMissing, Severity::kWarning,
       "No release stamp was found in the document."},
      {rule_id::kUnknownCode, Severity::kError,
       "A printed exemption code is malformed or not in the pack's catalog."},
      {rule_id::kCaseMismatch, Severity::kError,
       "A page header's case number differs from the release metadata."},
      {rule_id::kDocMismatch, Severity::kError,
       "A page header's document number differs from the release metadata."},
      {rule_id::kDateMismatch, Severity::kError,
       "A page header's release date differs from the release metadata."},
      {rule_id::kHeadersDisagree, Severity::kError,
       "Page headers of one document disagree with each other."},
      {rule_id::kHeaderOcrVariant, Severity::kInfo,
       "A page header value differs from the release metadata only by "
       "look-alike characters (O/0, l/1, S/5, punctuation): most likely an "
       "OCR misreading of the text layer, not a wrong header."},
      {rule_id::kPdfTextUnderBox, Severity::kError,
       "PDF text-layer characters lie under an opaque box of one dark "
       "colour: the page hides them but anyone can copy them out."},
      {rule_id::kPdfUnappliedRedaction, Severity::kError,
       "A PDF redaction annotation was marked but never applied: the "
       "content under it is still in the file."},
      {rule_id::kPdfMetadataText, Severity::kWarning,
       "The PDF's Info dictionary or XMP metadata carries text that no page "
       "shows (a title, subject, keywords or author naming withheld "
       "content)."},
      {rule_id::kPdfEmbeddedFile, Severity::kWarning,
       "The PDF carries an embedded file, released along with the pages."},
      {rule_id::kPdfOutlineText, Severity::kWarning,
       "A PDF bookmark (outline entry) carries text that no page shows."},
  };
  return *kRules;
}

const RuleInfo* FindRuleInfo(std::string_view id) {
  for (const RuleInfo& r : RuleCatalog()) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

}  // namespace ra
