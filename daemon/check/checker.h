// check: the per-document rules. Document model + release metadata + rule
// pack -> findings. Pure: no I/O, no clock; thread-safe.
//
// Rules (ids in pack/rule_catalog.h):
//   mark.code-not-stamped      code marked at a site, missing from the stamp
//   stamp.code-not-marked      stamped code never marked at a site
//   stamp.full-with-marks      RELEASE IN FULL but codes are marked
//   stamp.part-without-codes   RELEASE IN PART with no code anywhere
//   stamp.missing              no release stamp
//   mark.unknown-code          malformed / unknown / OCR-variant code
//   metadata.*                 page headers vs release metadata and each other
#ifndef RA_CHECK_CHECKER_H_
#define RA_CHECK_CHECKER_H_

#include <string>
#include <string_view>
#include <vector>

#include "model/document.h"
#include "model/finding.h"
#include "pack/pack.h"

namespace ra {

// Runs every enabled rule of `pack` on `doc`. Findings come with severity
// from the pack and a fingerprint (see Fingerprint()), ordered by line.
std::vector<Finding> CheckDocument(const Document& doc,
                                   const ReleaseMetadata& metadata,
                                   const RulePack& pack);

// Stable fingerprint: hex digest of rule id, key (what the finding is
// about: a code, a printed value) and the ordinal of that key among the
// rule's findings in the document. No line numbers, so line shifts keep it.
std::string Fingerprint(std::string_view rule_id, std::string_view key,
                        int ordinal);

}  // namespace ra

#endif  // RA_CHECK_CHECKER_H_
