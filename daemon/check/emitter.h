// Internal to check/: collects findings of the rules, assigning severity
// from the pack and fingerprints (rule id + key + ordinal, no line numbers).
#ifndef RA_CHECK_EMITTER_H_
#define RA_CHECK_EMITTER_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "model/document.h"
#include "model/finding.h"
#include "pack/pack.h"

namespace ra::check_internal {

class Emitter {
 public:
  Emitter(const RulePack& pack, std::vector<Finding>* out)
      : pack_(pack), out_(out) {}

  // A new finding of `rule` about `key`; nullptr when the rule is disabled.
  Finding* Add(std::string_view rule, std::string_view key);

  const RulePack& pack() const { return pack_; }

 private:
  const RulePack& pack_;
  std::vector<Finding>* out_;
  absl::flat_hash_map<std::string, int> ordinals_;
  std::string material_;  // of the fingerprint being made
};

// Places `f` at mark `m`.
void At(Finding* f, const Document& doc, const Mark& m);

// absl::string_view of a std::string_view (StrCat needs it here).
inline absl::string_view A(std::string_view s) { return {s.data(), s.size()}; }

}  // namespace ra::check_internal

#endif  // RA_CHECK_EMITTER_H_
