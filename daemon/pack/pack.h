// Loading, validating and compiling a rule pack (rules/*.textproto, schema
// proto/redaction_audit/v1/rule_pack.proto) into an immutable RulePack that
// parse/ and check/ read. Compile once at load, read from any thread.
#ifndef RA_PACK_PACK_H_
#define RA_PACK_PACK_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "model/finding.h"

namespace re2 {
class RE2;
}

namespace ra {

// A catalog entry.
struct ExemptionInfo {
  std::string code;      // canonical, e.g. "(b)(6)"
  std::string title;
  std::string citation;
  bool requires_qualifier = false;
  std::string superseded_by;  // e.g. "1.4(b)" for E.O. 12958's "1.5(b)"
};

// A statute a (b)(3) withholding may cite.
struct StatuteInfo {
  std::string name;      // "CIA Act"
  std::string citation;  // "50 U.S.C. 3507"
};

// A compiled custom pattern rule ("custom.*").
struct PatternRuleInfo {
  std::string id;
  std::string pattern;
  std::string message;
  bool ignore_case = false;
  std::shared_ptr<const re2::RE2> regex;
};

// Settings of the visible-personal-data rules.
struct PiiConfig {
  std::vector<std::string> allowed_domains;  // lower-cased; "*.gov" or "state.gov"
  absl::flat_hash_set<std::string> allowed_values;  // folded, see FoldPiiValue
  Severity escalated_severity = Severity::kError;
  std::vector<std::string> allowed_phone_prefixes;  // digits only
  bool phones_need_context = false;
};

// Settings of the date rules.
struct LegalConfig {
  int max_classification_years = 25;
  std::vector<std::string> duration_exemptions;  // upper-cased, e.g. "25X1"
  int deliberative_process_years = 25;
};

// What a printed spelling stands for.
struct CodeMatch {
  std::string code;     // canonical catalog code
  bool ocr_variant = false;
  std::string dialect;  // dialect name
  // Layout of the spelling's dialect (rule_pack.proto Dialect fields 4-6).
  bool read_inline = false;  // placement INLINE: also read inside body text
  int margin_gap = 0;        // 0: the parser's default
  int margin_column = 0;     // 0: the parser's default
};

// A compiled withheld-page sheet (rule_pack.proto WithheldPageSheet).
struct WithheldSheetInfo {
  std::string title;      // normalized: white space folded to one space, upper-cased
  std::string page_word;  // upper-cased
  std::vector<std::string> duplicate_words;  // upper-cased
};

// Effective settings of one rule.
struct RuleConfig {
  bool enabled = true;
  Severity severity = Severity::kError;
};

class RulePack {
 public:
  // Loads every `*.textproto` file of `dir` (file-name order) and what they
  // import. Errors name file:line:column and what is wrong.
  static absl::StatusOr<std::shared_ptr<const RulePack>> LoadFolder(
      const std::string& dir);
  // Loads one file and its imports.
  static absl::StatusOr<std::shared_ptr<const RulePack>> LoadFile(
      const std::string& path);

  // Folds a printed code for lookup: drops white space, upper-cases.
  static std::string NormalizeSpelling(std::string_view printed);
  // The bytes NormalizeSpelling drops, and what it makes of the others.
  static bool IsFoldedSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  }
  static char FoldedByte(char c) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }

  // The code a printed spelling stands for; nullptr when unknown.
  const CodeMatch* Lookup(std::string_view printed) const;
  // False when no spelling starts with `c` (folded like Lookup folds it):
  // Lookup finds nothing for a word starting with it.
  bool MayStartSpelling(char c) const {
    return spelling_filter_.MayStartWith(FoldedByte(c));
  }
  // The catalog entry of a canonical code; nullptr when unknown.
  const ExemptionInfo* FindExemption(std::string_view code) const;
  // For an unknown printed code: the known spelling nearest to it (one edit
  // away), or empty.
  std::string Suggest(std::string_view printed) const;
  // True when `word` may follow a code as its qualifier ("CIA").
  bool IsQualifier(std::string_view word) const;
  // True when `word` is a code suffix of some dialect ("-1" for "-#").
  bool IsCodeSuffix(std::string_view word) const;
  // Length of the code suffix `word` ends with ("b6-1" -> 2), 0 if none.
  size_t CodeSuffixLength(std::string_view word) const;
  // True when `c` separates codes of a list (',' always).
  bool IsListSeparator(char c) const {
    return c == ',' || (!list_separators_.empty() && list_separators_.find(c) != std::string::npos);
  }
  // True when `word` is OCR debris a dialect lets trail a margin code
  // ("I"; rule_pack.proto Dialect.trailing_debris). The parser asks about
  // the last field of nearly every line: one that starts with a byte no
  // debris key starts with (white space aside, which the fold drops) is
  // rejected here, before it is folded.
  bool IsTrailingDebris(std::string_view word) const {
    if (!word.empty() && !IsFoldedSpace(word[0]) &&
        !debris_filter_.MayStartWith(FoldedByte(word[0]))) {
      return false;
    }
    return IsTrailingDebrisFolded(word);
  }
  // True when `word` is a clipped code ("(b)") of some dialect.
  bool IsClipped(std::string_view word) const;
  // Smallest margin_gap set by a dialect (0 when none sets one).
  int min_margin_gap() const { return min_margin_gap_; }
  // True when some dialect reads marks inside body text.
  bool has_inline_dialect() const { return has_inline_dialect_; }
  // Withheld-page sheets of the pack's dialects.
  const std::vector<WithheldSheetInfo>& withheld_sheets() const { return sheets_; }

  // Effective configuration of a rule id of RuleCatalog() or of a custom
  // pattern rule.
  RuleConfig Rule(std::string_view id) const;

  // The statute a (b)(3) qualifier names ("CIA"); nullptr when unknown.
  const StatuteInfo* FindStatute(std::string_view qualifier) const;
  bool has_statutes() const { return !statute_index_.empty(); }
  const std::vector<PatternRuleInfo>& patterns() const { return patterns_; }
  const PiiConfig& pii() const { return pii_; }
  const LegalConfig& legal() const { return legal_; }
  // True when findings with this fingerprint are suppressed by the pack.
  bool IsSuppressed(std::string_view fingerprint) const;
  // Suppressed fingerprint -> reason.
  const absl::flat_hash_map<std::string, std::string>& suppressions() const {
    return suppressions_;
  }
  // Folds a personal-data value for allowlist comparison: lower-case; for
  // values with 7 or more digits and no '@', digits only.
  static std::string FoldPiiValue(std::string_view value);

  const std::string& name() const { return name_; }
  const std::string& version() const { return version_; }
  const std::vector<ExemptionInfo>& exemptions() const { return exemptions_; }
  // Files the pack was loaded from, in load order.
  const std::vector<std::string>& files() const { return files_; }

 private:
  friend class PackBuilder;
  RulePack() = default;

  // What the keys of one normalized set (spellings, qualifiers, debris,
  // clipped spellings) can start with and how long they can be: the parser
  // asks about every word it sees, and most are rejected on these before
  // they are folded and hashed.
  struct KeyFilter {
    uint64_t first[4] = {0, 0, 0, 0};  // bit b: some key starts with byte b
    size_t max_size = 0;               // longest key
    bool has_empty = false;            // "" is a key

    void Add(std::string_view key);
    bool MayStartWith(char c) const {
      const unsigned char u = static_cast<unsigned char>(c);
      return (first[u >> 6] >> (u & 63)) & 1;
    }
  };
  // IsTrailingDebris without its first-byte shortcut.
  bool IsTrailingDebrisFolded(std::string_view word) const;
  // Fills the filters from the sets; called once the pack is complete.
  void BuildKeyFilters();
  // NormalizeSpelling of `printed` into `buf` (64 bytes); false when no key
  // that `filter` describes can be the result.
  static bool NormalizeFor(const KeyFilter& filter, std::string_view printed, char* buf,
                           size_t* n);

  std::string name_;
  std::string version_;
  std::vector<std::string> files_;
  std::vector<ExemptionInfo> exemptions_;
  absl::flat_hash_map<std::string, size_t> exemption_index_;
  absl::flat_hash_map<std::string, CodeMatch> spellings_;  // normalized key
  absl::flat_hash_set<std::string> qualifiers_;            // upper-cased
  absl::flat_hash_map<std::string, RuleConfig> rules_;
  std::vector<StatuteInfo> statutes_;
  absl::flat_hash_map<std::string, size_t> statute_index_;  // normalized spelling
  std::vector<PatternRuleInfo> patterns_;
  PiiConfig pii_;
  LegalConfig legal_;
  absl::flat_hash_map<std::string, std::string> suppressions_;
  std::vector<std::string> code_suffixes_;  // normalized patterns, '#' = digits
  std::string list_separators_;
  absl::flat_hash_set<std::string> clipped_;  // normalized
  absl::flat_hash_set<std::string> debris_;   // normalized trailing debris
  KeyFilter spelling_filter_, qualifier_filter_, clipped_filter_, debris_filter_;
  bool has_inline_dialect_ = false;
  int min_margin_gap_ = 0;
  std::vector<WithheldSheetInfo> sheets_;
};

}  // namespace ra

#endif  // RA_PACK_PACK_H_
