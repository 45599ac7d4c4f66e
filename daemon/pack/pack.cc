#include "pack/pack.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "model/status_macros.h"
#include "pack/rule_catalog.h"
#include "re2/re2.h"
#include "redaction_audit/v1/rule_pack.pb.h"

namespace ra {
namespace fs = std::filesystem;
namespace pb = ::redaction_audit::v1;

namespace {

// Collects the first TextFormat error as "file:line:column: message".
class FirstErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  explicit FirstErrorCollector(std::string file) : file_(std::move(file)) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (error_.empty()) {
      error_ = absl::StrCat(file_, ":", line + 1, ":", column + 1, ": ", message);
    }
  }
  const std::string& error() const { return error_; }

 private:
  std::string file_;
  std::string error_;
};

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat(path, ": cannot open rule pack file"));
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Severity FromProto(pb::Severity s) {
  switch (s) {
    case pb::INFO:
      return Severity::kInfo;
    case pb::WARNING:
      return Severity::kWarning;
    case pb::ERROR:
      return Severity::kError;
    default:
      return Severity::kUnspecified;
  }
}

}  // namespace

// Accumulates pack files into a RulePack, validating as it goes.
class PackBuilder {
 public:
  PackBuilder() : pack_(new RulePack()) {}

  absl::Status AddFile(const std::string& path) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(fs::path(path), ec);
    const std::string key = ec ? path : canonical.string();
    if (std::find(stack_.begin(), stack_.end(), key) != stack_.end()) {
      std::string cycle;
      for (const auto& s : stack_) absl::StrAppend(&cycle, s, " -> ");
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":1:1: import cycle: ", cycle, key));
    }
    if (loaded_.contains(key)) return absl::OkStatus();
    RA_ASSIGN_OR_RETURN(std::string text, ReadFile(path));

    pb::RulePack proto;
    google::protobuf::TextFormat::Parser parser;
    FirstErrorCollector errors(path);
    google::protobuf::TextFormat::ParseInfoTree tree;
    parser.RecordErrorsTo(&errors);
    parser.WriteLocationsTo(&tree);
    if (!parser.ParseFromString(text, &proto)) {
      return absl::InvalidArgumentError(
          errors.error().empty() ? absl::StrCat(path, ": cannot parse rule pack")
                                 : errors.error());
    }
    stack_.push_back(key);
    const fs::path dir = fs::path(path).parent_path();
    for (int i = 0; i < proto.imports_size(); ++i) {
      const fs::path imported = dir / proto.imports(i);
      if (!fs::exists(imported)) {
        stack_.pop_back();
        return absl::InvalidArgumentError(absl::StrCat(
            Where(path, tree, "imports", i), ": imported file not found: ",
            imported.string()));
      }
      std::error_code iec;
      const fs::path imported_key = fs::weakly_canonical(imported, iec);
      if (!iec && std::find(stack_.begin(), stack_.end(), imported_key.string()) !=
                      stack_.end()) {
        std::string cycle;
        for (const auto& st : stack_) absl::StrAppend(&cycle, st, " -> ");
        stack_.pop_back();
        return absl::InvalidArgumentError(
            absl::StrCat(Where(path, tree, "imports", i), ": import cycle: ", cycle,
                         imported_key.string()));
      }
      absl::Status s = AddFile(imported.string());
      if (!s.ok()) {
        stack_.pop_back();
        return s;
      }
    }
    stack_.pop_back();
    loaded_.insert(key);
    pack_->files_.push_back(path);
    return Merge(path, proto, tree);
  }

  std::shared_ptr<const RulePack> Finish() {
    if (pack_->name_.empty()) pack_->name_ = "unnamed";
    pack_->BuildKeyFilters();
    return std::shared_ptr<const RulePack>(std::move(pack_));
  }

 private:
  // "file:line:column" of field `field` (repeated index `index`) in `tree`.
  static std::string Where(const std::string& file,
                           const google::protobuf::TextFormat::ParseInfoTree& tree,
                           const std::string& field, int index,
                           const google::protobuf::Descriptor* desc =
                               pb::RulePack::descriptor()) {
    const auto* fd = desc->FindFieldByName(field);
    if (fd == nullptr) return file;
    auto loc = tree.GetLocation(fd, fd->is_repeated() ? index : -1);
    if (loc.line < 0) return file;
    return absl::StrCat(file, ":", loc.line + 1, ":", loc.column + 1);
  }

  // Location of field `field` of the `index`-th element of `parent`.
  static std::string WhereNested(
      const std::string& file,
      const google::protobuf::TextFormat::ParseInfoTree& tree,
      const std::string& parent, int index,
      const google::protobuf::Descriptor* child_desc, const std::string& field,
      int child_index = -1) {
    const auto* pfd = pb::RulePack::descriptor()->FindFieldByName(parent);
    const auto* sub = tree.GetTreeForNested(pfd, index);
    if (sub == nullptr) return Where(file, tree, parent, index);
    const auto* fd = child_desc->FindFieldByName(field);
    auto loc = sub->GetLocation(fd, fd->is_repeated() ? child_index : -1);
    if (loc.line < 0) return Where(file, tree, parent, index);
    return absl::StrCat(file, ":", loc.line + 1, ":", loc.column + 1);
  }

  absl::Status Merge(const std::string& path, const pb::RulePack& proto,
                     const google::protobuf::TextFormat::ParseInfoTree& tree) {
    if (!proto.name().empty()) pack_->name_ = proto.name();
    if (!proto.version().empty()) pack_->version_ = proto.version();

    for (int i = 0; i < proto.exemptions_size(); ++i) {
      const pb::Exemption& e = proto.exemptions(i);
      const std::string where = WhereNested(path, tree, "exemptions", i,
                                            pb::Exemption::descriptor(), "code");
      if (e.code().empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": exemption without a code"));
      }
      if (pack_->exemption_index_.contains(e.code())) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": exemption \"", e.code(), "\" defined twice"));
      }
      pack_->exemption_index_[e.code()] = pack_->exemptions_.size();
      if (!e.superseded_by().empty() &&
          !pack_->exemption_index_.contains(e.superseded_by())) {
        return absl::InvalidArgumentError(absl::StrCat(
            WhereNested(path, tree, "exemptions", i, pb::Exemption::descriptor(),
                        "superseded_by"),
            ": exemption \"", e.code(), "\" is superseded by unknown code \"",
            e.superseded_by(), "\""));
      }
      pack_->exemptions_.push_back({e.code(), e.title(), e.citation(),
                                    e.requires_qualifier(), e.superseded_by()});
    }
    RA_RETURN_IF_ERROR(MergeExtras(path, proto, tree));

    for (int i = 0; i < proto.dialects_size(); ++i) {
      const pb::Dialect& d = proto.dialects(i);
      const auto* dsub = tree.GetTreeForNested(
          pb::RulePack::descriptor()->FindFieldByName("dialects"), i);
      for (int j = 0; j < d.spellings_size(); ++j) {
        const pb::Spelling& s = d.spellings(j);
        std::string where = Where(path, tree, "dialects", i);
        if (dsub != nullptr) {
          const auto* fd = pb::Dialect::descriptor()->FindFieldByName("spellings");
          auto loc = dsub->GetLocation(fd, j);
          if (loc.line >= 0) {
            where = absl::StrCat(path, ":", loc.line + 1, ":", loc.column + 1);
          }
        }
        if (!pack_->exemption_index_.contains(s.code())) {
          return absl::InvalidArgumentError(
              absl::StrCat(where, ": spelling \"", s.text(), "\" of dialect \"",
                           d.name(), "\" names unknown code \"", s.code(), "\""));
        }
        const std::string key = RulePack::NormalizeSpelling(s.text());
        if (key.empty()) {
          return absl::InvalidArgumentError(
              absl::StrCat(where, ": empty spelling in dialect \"", d.name(), "\""));
        }
        if (d.placement() == pb::INLINE && key[0] != '(') {
          return absl::InvalidArgumentError(absl::StrCat(
              where, ": spelling \"", s.text(), "\" of INLINE dialect \"", d.name(),
              "\" must start with \"(\""));
        }
        CodeMatch match{s.code(), s.ocr_variant(), d.name()};
        match.read_inline = d.placement() == pb::INLINE;
        match.margin_gap = d.margin_gap();
        match.margin_column = d.margin_column();
        auto [it, inserted] = pack_->spellings_.try_emplace(key, std::move(match));
        if (!inserted && it->second.code != s.code()) {
          return absl::InvalidArgumentError(absl::StrCat(
              where, ": spelling \"", s.text(), "\" maps to \"", s.code(),
              "\" but dialect \"", it->second.dialect, "\" maps it to \"",
              it->second.code, "\""));
        }
      }
      for (const std::string& q : d.qualifiers()) {
        pack_->qualifiers_.insert(RulePack::NormalizeSpelling(q));
      }
      RA_RETURN_IF_ERROR(MergeLayout(path, tree, i, d));
    }

    for (int i = 0; i < proto.rules_size(); ++i) {
      const pb::RuleSetting& r = proto.rules(i);
      const std::string where = WhereNested(path, tree, "rules", i,
                                            pb::RuleSetting::descriptor(), "id");
      const RuleInfo* info = FindRuleInfo(r.id());
      const bool custom = pattern_ids_.contains(r.id());
      if (info == nullptr && !custom) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": unknown rule id \"", r.id(), "\""));
      }
      RuleConfig& cfg = pack_->rules_[r.id()];
      if (cfg.severity == Severity::kUnspecified && info != nullptr) {
        cfg.severity = info->default_severity;
      }
      if (r.severity() != pb::SEVERITY_UNSPECIFIED) cfg.severity = FromProto(r.severity());
      if (r.has_enabled()) cfg.enabled = r.enabled();
    }
    return absl::OkStatus();
  }

  // Statutes, personal-data and date settings, pattern rules, suppressions.
  absl::Status MergeExtras(const std::string& path, const pb::RulePack& proto,
                           const google::protobuf::TextFormat::ParseInfoTree& tree) {
    for (int i = 0; i < proto.statutes_size(); ++i) {
      const pb::Statute& st = proto.statutes(i);
      const std::string where = WhereNested(path, tree, "statutes", i,
                                            pb::Statute::descriptor(), "name");
      if (st.name().empty() || st.spellings_size() == 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            where, ": a statute needs a name and at least one spelling"));
      }
      const size_t index = pack_->statutes_.size();
      pack_->statutes_.push_back({st.name(), st.citation()});
      for (const std::string& sp : st.spellings()) {
        pack_->statute_index_[RulePack::NormalizeSpelling(sp)] = index;
      }
    }
    if (proto.has_pii()) {
      const pb::PiiSettings& pii = proto.pii();
      for (const std::string& d : pii.allowed_domains()) {
        pack_->pii_.allowed_domains.push_back(absl::AsciiStrToLower(d));
      }
      for (const std::string& v : pii.allowed_values()) {
        pack_->pii_.allowed_values.insert(RulePack::FoldPiiValue(v));
      }
      for (const std::string& prefix : pii.allowed_phone_prefixes()) {
        pack_->pii_.allowed_phone_prefixes.push_back(RulePack::FoldPiiValue(prefix));
      }
      if (pii.phones_need_context()) pack_->pii_.phones_need_context = true;
      if (pii.escalated_severity() != pb::SEVERITY_UNSPECIFIED) {
        pack_->pii_.escalated_severity = FromProto(pii.escalated_severity());
      }
    }
    if (proto.has_legal()) {
      const pb::LegalSettings& legal = proto.legal();
      if (legal.max_classification_years() < 0 ||
          legal.deliberative_process_years() < 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            Where(path, tree, "legal", -1), ": year counts must not be negative"));
      }
      if (legal.max_classification_years() > 0) {
        pack_->legal_.max_classification_years = legal.max_classification_years();
      }
      if (legal.deliberative_process_years() > 0) {
        pack_->legal_.deliberative_process_years = legal.deliberative_process_years();
      }
      for (const std::string& x : legal.duration_exemptions()) {
        pack_->legal_.duration_exemptions.push_back(absl::AsciiStrToUpper(x));
      }
    }
    for (int i = 0; i < proto.patterns_size(); ++i) {
      const pb::PatternRule& p = proto.patterns(i);
      const std::string where_id = WhereNested(path, tree, "patterns", i,
                                               pb::PatternRule::descriptor(), "id");
      if (!absl::StartsWith(p.id(), "custom.") || p.id().size() <= 7) {
        return absl::InvalidArgumentError(absl::StrCat(
            where_id, ": pattern rule id \"", p.id(),
            "\" must start with \"custom.\""));
      }
      if (pattern_ids_.contains(p.id())) {
        return absl::InvalidArgumentError(absl::StrCat(
            where_id, ": pattern rule \"", p.id(), "\" defined twice"));
      }
      RE2::Options options;
      options.set_log_errors(false);
      options.set_case_sensitive(!p.ignore_case());
      auto regex = std::make_shared<const RE2>(p.pattern(), options);
      if (p.pattern().empty() || !regex->ok()) {
        return absl::InvalidArgumentError(absl::StrCat(
            WhereNested(path, tree, "patterns", i, pb::PatternRule::descriptor(),
                        "pattern"),
            ": invalid RE2 pattern of rule \"", p.id(), "\": ",
            p.pattern().empty() ? "empty pattern" : regex->error()));
      }
      pattern_ids_.insert(p.id());
      pack_->patterns_.push_back({p.id(), p.pattern(), p.message(),
                                  p.ignore_case(), std::move(regex)});
      RuleConfig& cfg = pack_->rules_[p.id()];
      cfg.severity = p.severity() == pb::SEVERITY_UNSPECIFIED
                         ? Severity::kError
                         : FromProto(p.severity());
    }
    for (int i = 0; i < proto.suppressions_size(); ++i) {
      const pb::Suppression& sup = proto.suppressions(i);
      const std::string where = WhereNested(path, tree, "suppressions", i,
                                            pb::Suppression::descriptor(),
                                            "fingerprint");
      if (sup.fingerprint().empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": suppression without a fingerprint"));
      }
      if (sup.reason().empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            where, ": suppression of ", sup.fingerprint(), " needs a reason"));
      }
      pack_->suppressions_[absl::AsciiStrToLower(sup.fingerprint())] = sup.reason();
    }
    return absl::OkStatus();
  }

  // Location of field `field` (repeated index `index`, -1 if singular) of
  // dialect `d` of the file.
  static std::string WhereInDialect(const std::string& file,
                                    const google::protobuf::TextFormat::ParseInfoTree& tree,
                                    int d, const std::string& field, int index = -1) {
    return WhereNested(file, tree, "dialects", d, pb::Dialect::descriptor(), field, index);
  }

  // Validates and compiles the layout fields (4-10) of dialect `i`.
  absl::Status MergeLayout(const std::string& path,
                           const google::protobuf::TextFormat::ParseInfoTree& tree, int i,
                           const pb::Dialect& d) {
    auto error = [&](const std::string& field, int index, absl::string_view what) {
      return absl::InvalidArgumentError(absl::StrCat(WhereInDialect(path, tree, i, field, index),
                                                     ": dialect \"", d.name(), "\": ", what));
    };
    if (d.placement() == pb::INLINE) pack_->has_inline_dialect_ = true;
    if (d.margin_gap() < 0 || d.margin_gap() > 40) {
      return error("margin_gap", -1, "margin_gap must be between 0 and 40");
    }
    if (d.margin_gap() > 0 &&
        (pack_->min_margin_gap_ == 0 || d.margin_gap() < pack_->min_margin_gap_)) {
      pack_->min_margin_gap_ = d.margin_gap();
    }
    if (d.margin_column() < 0 || d.margin_column() > 200) {
      return error("margin_column", -1, "margin_column must be between 0 and 200");
    }
    for (int j = 0; j < d.code_suffixes_size(); ++j) {
      const std::string key = RulePack::NormalizeSpelling(d.code_suffixes(j));
      if (key.empty() || key.find_first_not_of('#') == std::string::npos) {
        return error("code_suffixes", j, "a code suffix needs a printed character besides \"#\"");
      }
      for (char c : key) {
        if (std::isalpha(static_cast<unsigned char>(c))) {
          return error("code_suffixes", j, "a code suffix may not contain letters");
        }
      }
      pack_->code_suffixes_.push_back(key);
    }
    for (char c : d.list_separators()) {
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '(' || c == ')' ||
          std::isspace(static_cast<unsigned char>(c))) {
        return error("list_separators", -1,
                     absl::StrCat("list separator '", std::string(1, c),
                                  "' may not be a letter, digit, parenthesis or space"));
      }
      if (!pack_->IsListSeparator(c)) pack_->list_separators_.push_back(c);
    }
    for (int j = 0; j < d.clipped_spellings_size(); ++j) {
      const std::string key = RulePack::NormalizeSpelling(d.clipped_spellings(j));
      if (key.empty()) return error("clipped_spellings", j, "empty clipped spelling");
      if (pack_->spellings_.contains(key)) {
        return error("clipped_spellings", j,
                     absl::StrCat("clipped spelling \"", d.clipped_spellings(j),
                                  "\" is also a full spelling"));
      }
      pack_->clipped_.insert(key);
    }
    for (int j = 0; j < d.trailing_debris_size(); ++j) {
      const std::string key = RulePack::NormalizeSpelling(d.trailing_debris(j));
      if (key.empty() || key.size() > 3) {
        return error("trailing_debris", j, "trailing debris must be 1 to 3 bytes");
      }
      if (pack_->spellings_.contains(key) || pack_->qualifiers_.contains(key)) {
        return error("trailing_debris", j,
                     absl::StrCat("trailing debris \"", d.trailing_debris(j),
                                  "\" is also a spelling or a qualifier"));
      }
      pack_->debris_.insert(key);
    }
    if (d.has_withheld_page_sheet()) {
      const pb::WithheldPageSheet& w = d.withheld_page_sheet();
      if (w.title().empty() || w.page_word().empty()) {
        return error("withheld_page_sheet", -1, "withheld_page_sheet needs a title and a page_word");
      }
      WithheldSheetInfo info;
      for (char c : w.title()) {
        const unsigned char u = static_cast<unsigned char>(c);
        if (std::isspace(u)) {
          if (!info.title.empty() && info.title.back() != ' ') info.title.push_back(' ');
        } else {
          info.title.push_back(static_cast<char>(std::toupper(u)));
        }
      }
      while (!info.title.empty() && info.title.back() == ' ') info.title.pop_back();
      info.page_word = RulePack::NormalizeSpelling(w.page_word());
      for (const std::string& dw : w.duplicate_words()) {
        info.duplicate_words.push_back(RulePack::NormalizeSpelling(dw));
      }
      pack_->sheets_.push_back(std::move(info));
    }
    return absl::OkStatus();
  }

  std::unique_ptr<RulePack> pack_;
  absl::flat_hash_set<std::string> pattern_ids_;
  std::vector<std::string> stack_;
  absl::flat_hash_set<std::string> loaded_;
};

absl::StatusOr<std::shared_ptr<const RulePack>> RulePack::LoadFile(
    const std::string& path) {
  PackBuilder builder;
  RA_RETURN_IF_ERROR(builder.AddFile(path));
  return builder.Finish();
}

absl::StatusOr<std::shared_ptr<const RulePack>> RulePack::LoadFolder(
    const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::NotFoundError(
        absl::StrCat(dir, ": rule pack folder does not exist"));
  }
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".textproto") {
      files.push_back(entry.path().string());
    }
  }
  if (ec) {
    return absl::InternalError(absl::StrCat(dir, ": ", ec.message()));
  }
  if (files.empty()) {
    return absl::NotFoundError(
        absl::StrCat(dir, ": no *.textproto rule pack files"));
  }
  std::sort(files.begin(), files.end());
  PackBuilder builder;
  for (const std::string& f : files) RA_RETURN_IF_ERROR(builder.AddFile(f));
  return builder.Finish();
}

std::string RulePack::NormalizeSpelling(std::string_view printed) {
  std::string out;
  out.reserve(printed.size());
  for (char c : printed) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isspace(u)) continue;
    out.push_back(static_cast<char>(std::toupper(u)));
  }
  return out;
}

void RulePack::KeyFilter::Add(std::string_view key) {
  if (key.empty()) {
    has_empty = true;
    return;
  }
  const unsigned char u = static_cast<unsigned char>(key[0]);
  first[u >> 6] |= uint64_t{1} << (u & 63);
  max_size = std::max(max_size, key.size());
}

void RulePack::BuildKeyFilters() {
  for (const auto& [key, match] : spellings_) spelling_filter_.Add(key);
  for (const std::string& key : qualifiers_) qualifier_filter_.Add(key);
  for (const std::string& key : clipped_) clipped_filter_.Add(key);
  for (const std::string& key : debris_) debris_filter_.Add(key);
}

namespace {
constexpr size_t kMaxFolded = 64;  // no key is longer; longer words match none

// NormalizeSpelling into `buf` (kMaxFolded bytes), without allocating;
// false when the folded text would not fit (no key is that long).
bool NormalizeInto(std::string_view printed, char* buf, size_t* n) {
  size_t k = 0;
  for (char c : printed) {
    if (RulePack::IsFoldedSpace(c)) continue;
    if (k == kMaxFolded) return false;
    buf[k++] = RulePack::FoldedByte(c);
  }
  *n = k;
  return true;
}
}  // namespace

// NormalizeSpelling of `printed` into `buf` (kMaxFolded bytes), without
// allocating; false when no key of `filter` can be the result: its first
// byte starts none, or it is longer than every key. Stops as soon as it
// knows.
bool RulePack::NormalizeFor(const KeyFilter& filter, std::string_view printed, char* buf,
                            size_t* n) {
  const size_t cap = std::min(kMaxFolded, filter.max_size);
  size_t k = 0;
  for (char c : printed) {
    if (IsFoldedSpace(c)) continue;
    if (k == cap) return false;
    buf[k] = FoldedByte(c);
    if (k == 0 && !filter.MayStartWith(buf[0])) return false;
    ++k;
  }
  if (k == 0 && !filter.has_empty) return false;
  *n = k;
  return true;
}

const CodeMatch* RulePack::Lookup(std::string_view printed) const {
  // Called for every candidate code of every line: no allocation.
  char buf[kMaxFolded];
  size_t n = 0;
  if (!NormalizeFor(spelling_filter_, printed, buf, &n)) return nullptr;
  auto it = spellings_.find(absl::string_view(buf, n));
  return it == spellings_.end() ? nullptr : &it->second;
}

const ExemptionInfo* RulePack::FindExemption(std::string_view code) const {
  // (The map's string hash and equality take a view: no string a look-up.)
  auto it = exemption_index_.find(absl::string_view(code.data(), code.size()));
  return it == exemption_index_.end() ? nullptr : &exemptions_[it->second];
}

namespace {
// True when a and b are at most one edit (substitution, insertion,
// deletion) apart.
bool WithinOneEdit(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (a.size() == b.size()) return a.substr(i + 1) == b.substr(i + 1);
  return a.substr(i) == b.substr(i + 1);
}
}  // namespace

std::string RulePack::Suggest(std::string_view printed) const {
  const std::string key = NormalizeSpelling(printed);
  std::string best;
  for (const auto& [spelling, match] : spellings_) {
    if (match.ocr_variant) continue;
    if (WithinOneEdit(key, spelling) && (best.empty() || spelling < best)) {
      best = spelling;
    }
  }
  return best;
}

bool RulePack::IsQualifier(std::string_view word) const {
  char buf[kMaxFolded];
  size_t n = 0;
  if (!NormalizeFor(qualifier_filter_, word, buf, &n)) return false;
  return qualifiers_.contains(absl::string_view(buf, n));
}

namespace {
// True when `key` (normalized) matches suffix pattern `pattern` ('#': one or
// more digits).
bool MatchesSuffix(std::string_view key, std::string_view pattern) {
  size_t k = 0;
  for (size_t p = 0; p < pattern.size(); ++p) {
    if (pattern[p] == '#') {
      const size_t start = k;
      while (k < key.size() && std::isdigit(static_cast<unsigned char>(key[k]))) ++k;
      if (k == start) return false;
    } else {
      if (k >= key.size() || key[k] != pattern[p]) return false;
      ++k;
    }
  }
  return k == key.size();
}
}  // namespace

bool RulePack::IsCodeSuffix(std::string_view word) const {
  if (code_suffixes_.empty()) return false;
  char buf[kMaxFolded];
  size_t n = 0;
  if (!NormalizeInto(word, buf, &n)) return false;
  const std::string_view key(buf, n);
  for (const std::string& p : code_suffixes_) {
    if (MatchesSuffix(key, p)) return true;
  }
  return false;
}

size_t RulePack::CodeSuffixLength(std::string_view word) const {
  if (code_suffixes_.empty()) return 0;
  // Suffixes are short: try the last few bytes, longest first.
  const size_t max = std::min<size_t>(word.size() - (word.empty() ? 0 : 1), 8);
  for (size_t n = max; n > 0; --n) {
    const std::string_view tail = word.substr(word.size() - n);
    if (std::isspace(static_cast<unsigned char>(tail[0]))) continue;
    if (IsCodeSuffix(tail)) return n;
  }
  return 0;
}

bool RulePack::IsTrailingDebrisFolded(std::string_view word) const {
  char buf[kMaxFolded];
  size_t n = 0;
  return NormalizeFor(debris_filter_, word, buf, &n) &&
         debris_.contains(absl::string_view(buf, n));
}

bool RulePack::IsClipped(std::string_view word) const {
  char buf[kMaxFolded];
  size_t n = 0;
  return NormalizeFor(clipped_filter_, word, buf, &n) &&
         clipped_.contains(absl::string_view(buf, n));
}

const StatuteInfo* RulePack::FindStatute(std::string_view qualifier) const {
  auto it = statute_index_.find(NormalizeSpelling(qualifier));
  return it == statute_index_.end() ? nullptr : &statutes_[it->second];
}

bool RulePack::IsSuppressed(std::string_view fingerprint) const {
  return suppressions_.contains(absl::AsciiStrToLower(
      absl::string_view(fingerprint.data(), fingerprint.size())));
}

std::string RulePack::FoldPiiValue(std::string_view value) {
  std::string lower, digits;
  bool at = false;
  for (char c : value) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '@') at = true;
    if (std::isdigit(u)) digits.push_back(c);
    if (!std::isspace(u)) lower.push_back(static_cast<char>(std::tolower(u)));
  }
  return (!at && digits.size() >= 7) ? digits : lower;
}

RuleConfig RulePack::Rule(std::string_view id) const {
  auto it = rules_.find(absl::string_view(id.data(), id.size()));
  if (it != rules_.end()) return it->second;
  const RuleInfo* info = FindRuleInfo(id);
  return RuleConfig{true, info ? info->default_severity : Severity::kError};
}

}  // namespace ra
