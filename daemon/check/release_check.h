// check: the release-level rules. The documents a release's manifest lists
// against the documents stored for the release's case -> findings about
// documents missing on either side. Pure: no I/O, no clock; thread-safe.
//
// Rules (ids in pack/rule_catalog.h):
//   release.document-not-submitted   listed in the manifest, never submitted
//   release.document-not-in-manifest submitted, not listed in the manifest
#ifndef RA_CHECK_RELEASE_CHECK_H_
#define RA_CHECK_RELEASE_CHECK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "model/finding.h"
#include "pack/pack.h"

namespace ra {

// A document a release manifest lists.
struct ListedDocument {
  std::string doc_number;  // required
  std::string release;     // may be empty (a manifest without that column)
  std::string file;        // `file` column, may be empty
  int manifest_line = 0;   // 1-based line of the row in the manifest
};

// A document stored for the case.
struct KnownDocument {
  std::string doc_number;
  std::string release;     // empty when it was submitted without one
  bool submitted = false;  // true when at least one version is stored
};

// A release-level finding and the document it is about.
struct ReleaseFinding {
  std::string doc_number;
  std::string release;
  Finding finding;  // page/line 0; fingerprint set
};

// The outcome of one release check.
struct ReleaseCheck {
  // Ordered by doc number.
  std::vector<ReleaseFinding> findings;
  // Doc numbers whose release-level findings this check decides (every
  // listed one and every known one in scope), sorted: a stored
  // release-level finding of one of them that the check did not produce
  // again is fixed.
  std::vector<std::string> checked;
  // Distinct doc numbers the manifest rows list.
  int64_t listed = 0;
};

// Compares `listed` with `known` (every document stored for the case).
// The check covers the releases the rows name; a row naming none makes it
// cover the whole case. A known document is in scope when its release is
// covered or it has none.
// Listed doc numbers never submitted give release.document-not-submitted;
// submitted documents in scope that no row lists give
// release.document-not-in-manifest. Fingerprints depend on the rule and the
// doc number only, so re-running the check on the same gap gives the same
// fingerprint. Disabled rules and suppressed fingerprints give nothing.
ReleaseCheck CheckRelease(const std::vector<ListedDocument>& listed,
                          const std::vector<KnownDocument>& known,
                          const RulePack& pack);

}  // namespace ra

#endif  // RA_CHECK_RELEASE_CHECK_H_
