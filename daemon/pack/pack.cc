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
        auto [it, inserted] = pack_->spellings_.try_emplace(
            key, CodeMatch{s.code(), s.ocr_variant(), d.name()});
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

const CodeMatch* RulePack::Lookup(std::string_view printed) const {
  auto it = spellings_.find(NormalizeSpelling(printed));
  return it == spellings_.end() ? nullptr : &it->second;
}

const ExemptionInfo* RulePack::FindExemption(std::string_view code) const {
  auto it = exemption_index_.find(std::string(code));
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
  return qualifiers_.contains(NormalizeSpelling(word));
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
  auto it = rules_.find(std::string(id));
  if (it != rules_.end()) return it->second;
  const RuleInfo* info = FindRuleInfo(id);
  return RuleConfig{true, info ? info->default_severity : Severity::kError};
}

}  // namespace ra
