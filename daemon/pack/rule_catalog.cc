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
      {rule_id::kB1BlockMissing, Severity::kError,
       "A (b)(1) withholding without a classification block (E.O. 13526 "
       "sec. 1.6: level, classified by, reason, declassify on)."},
      {rule_id::kB1BlockIncomplete, Severity::kError,
       "The classification block lacks the level, the classifier, the "
       "reason or the declassify-on date."},
      {rule_id::kB1ReasonNotInBlock, Severity::kError,
       "A 1.4(x) reason is marked in the body but not listed in the "
       "classification block's reasons."},
      {rule_id::kB1BlockReasonNotMarked, Severity::kWarning,
       "A reason of the classification block is never marked in the body."},
      {rule_id::kB1DeclassifyBeforeClassified, Severity::kError,
       "The declassify-on date is not after the classification date."},
      {rule_id::kB1DeclassifyTooLate, Severity::kError,
       "The declassify-on date is more than 25 years (pack: legal.max_"
       "classification_years) after the document's date and no 25X / 50X1-HUM "
       "/ 50X2-WMD exemption is given."},
      {rule_id::kB1LegacyReason, Severity::kWarning,
       "A classification reason uses the superseded E.O. 12958 numbering "
       "(1.5(x)); accepted as the matching 1.4(x)."},
      {rule_id::kB3StatuteMissing, Severity::kError,
       "A (b)(3) mark does not name the statute it relies on."},
      {rule_id::kB3StatuteUnknown, Severity::kWarning,
       "A (b)(3) mark names a statute that is not in the pack's list."},
      {rule_id::kB5TooOld, Severity::kError,
       "(b)(5) claimed for a record 25 years or older on the request date; the "
       "deliberative-process privilege does not apply (FOIA Improvement Act of "
       "2016)."},
      {rule_id::kB7SubpartMissing, Severity::kError,
       "A (b)(7) mark without its subpart (A)-(F)."},
      {rule_id::kPiiEmail, Severity::kWarning,
       "A personal e-mail address (domain not on the pack's allowlist) is "
       "visible."},
      {rule_id::kPiiPhone, Severity::kWarning, "A phone number is visible."},
      {rule_id::kPiiSsn, Severity::kError,
       "A Social Security number is visible."},
      {rule_id::kPiiBirthDate, Severity::kWarning,
       "A date of birth is visible."},
      {rule_id::kPiiPassport, Severity::kWarning,
       "A passport number is visible."},
      {rule_id::kDispositionMismatch, Severity::kError,
       "The release metadata's disposition differs from the stamp."},
      {rule_id::kClaimedNotApplied, Severity::kWarning,
       "The release metadata claims an exemption that neither the stamp nor "
       "any mark shows."},
      {rule_id::kAppliedNotClaimed, Severity::kWarning,
       "The stamp or a mark applies an exemption that the release metadata "
       "does not claim."},
      {rule_id::kPageCountMismatch, Severity::kError,
       "The release metadata's page count differs from the pages found."},
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
      {rule_id::kPdfBoxesNotChecked, Severity::kWarning,
       "PDF pages were not rendered within the time budget (or the renderer "
       "failed): their text was audited, but text under boxes was not "
       "checked on them."},
      {rule_id::kXdocReleasedElsewhere, Severity::kError,
       "Text withheld at a redaction site (a mark, or a gap where a copy of "
       "the same passage has words) is printed in another document."},
      {rule_id::kXdocWithheldElsewhere, Severity::kWarning,
       "Text printed here is withheld in another document's copy of the same "
       "passage (the mirror of xdoc.released-elsewhere)."},
      {rule_id::kXdocExemptionDiffers, Severity::kWarning,
       "Two documents withhold the same passage under different exemption "
       "codes."},
      {rule_id::kXdocDispositionDiffers, Severity::kWarning,
       "The same content appears under two doc numbers with different "
       "release dispositions."},
      {rule_id::kReleaseNotSubmitted, Severity::kError,
       "A document the release manifest lists was never submitted: none of "
       "its checks ran, so the release is not fully audited."},
      {rule_id::kReleaseNotInManifest, Severity::kWarning,
       "A document stored for the release (or its case) is not listed in the "
       "release manifest: the manifest is incomplete or the document belongs "
       "to another release."},
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
