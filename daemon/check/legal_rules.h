// Internal to check/: the rules that come from the statute and the
// executive order ((b)(1), (b)(3), (b)(5), (b)(7)), the release metadata
// rules (disposition, claimed exemptions, page count) and the pack's custom
// pattern rules. Called by CheckDocument().
#ifndef RA_CHECK_LEGAL_RULES_H_
#define RA_CHECK_LEGAL_RULES_H_

#include "check/emitter.h"
#include "model/document.h"
#include "model/finding.h"

namespace ra::check_internal {

// b1.*, b3.*, b5.*, b7.*.
void CheckLegal(const Document& doc, const ReleaseMetadata& md, Emitter& emit);
// metadata.disposition-mismatch, metadata.*-exemption-*, page count.
void CheckReleaseMetadata(const Document& doc, const ReleaseMetadata& md,
                          Emitter& emit);
// custom.* pattern rules of the pack.
void CheckPatterns(const Document& doc, Emitter& emit);

}  // namespace ra::check_internal

#endif  // RA_CHECK_LEGAL_RULES_H_
