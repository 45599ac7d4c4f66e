#include "check/legal_rules.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "check/dates.h"
#include "pack/rule_catalog.h"
#include "re2/re2.h"

namespace ra::check_internal {
namespace {

std::string Shown(const Mark& m) { return m.printed.empty() ? m.code : m.printed; }

// Stamp codes then body marks, as pointers (`for (const Mark* m :
// AllMarks(doc))`), without a list made per loop.
class AllMarks {
 public:
  class Iterator {
   public:
    Iterator(const Document& doc, size_t i) : doc_(&doc), i_(i) {}
    const Mark* operator*() const {
      const size_t stamped = doc_->stamp.codes.size();
      return i_ < stamped ? &doc_->stamp.codes[i_] : &doc_->marks[i_ - stamped];
    }
    Iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator!=(const Iterator& other) const { return i_ != other.i_; }

   private:
    const Document* doc_;
    size_t i_;
  };

  explicit AllMarks(const Document& doc) : doc_(doc) {}
  Iterator begin() const { return Iterator(doc_, 0); }
  Iterator end() const { return Iterator(doc_, doc_.stamp.codes.size() + doc_.marks.size()); }

 private:
  const Document& doc_;
};

// The current code a (possibly superseded) code stands for.
std::string Current(const RulePack& pack, const std::string& code) {
  const ExemptionInfo* e = pack.FindExemption(code);
  return e != nullptr && !e->superseded_by.empty() ? e->superseded_by : code;
}

bool IsReason(const std::string& code) { return code.rfind("1.", 0) == 0; }

void Place(Finding* f, const Document& doc, int line) {
  f->line = line;
  f->page = doc.PageOfLine(line);
}

// True when the classification block's lines print a duration exemption
// ("25X1", "50X1-HUM") of the pack.
bool HasDurationExemption(const Document& doc, const Classification& c,
                          const LegalConfig& legal) {
  const int first = std::max(1, c.line);
  const int last = std::min(doc.line_count(), c.line + 3);
  for (int l = first; l <= last; ++l) {
    const std::string upper = absl::AsciiStrToUpper(
        absl::string_view(doc.lines[l - 1].data(), doc.lines[l - 1].size()));
    for (const std::string& x : legal.duration_exemptions) {
      if (!x.empty() && upper.find(x) != std::string::npos) return true;
    }
  }
  return false;
}

void CheckB1(const Document& doc, const ReleaseMetadata& md, Emitter& emit) {
  const RulePack& pack = emit.pack();
  const Mark* first_b1 = nullptr;
  for (const Mark* m : AllMarks(doc)) {
    if (m->code == "(b)(1)" || IsReason(m->code)) {
      first_b1 = m;
      break;
    }
  }
  // Legacy numbering, wherever printed.
  for (const Mark* m : AllMarks(doc)) {
    const ExemptionInfo* e = pack.FindExemption(m->code);
    if (e == nullptr || e->superseded_by.empty()) continue;
    if (Finding* f = emit.Add(rule_id::kB1LegacyReason, m->code)) {
      At(f, doc, *m);
      f->evidence = Shown(*m);
      f->message = absl::StrCat("reason ", Shown(*m),
                                " uses the superseded E.O. 12958 numbering; read as ",
                                e->superseded_by, " of E.O. 13526");
    }
  }
  if (first_b1 == nullptr) return;
  if (!doc.classification.has_value()) {
    if (Finding* f = emit.Add(rule_id::kB1BlockMissing, "")) {
      At(f, doc, *first_b1);
      f->evidence = Shown(*first_b1);
      f->message = absl::StrCat(
          Shown(*first_b1), " withholds classified information but the document "
          "has no classification block (classified by, class, reason, "
          "declassify on)");
    }
    return;
  }
  const Classification& c = *doc.classification;
  std::vector<std::string> missing;
  if (c.level.empty()) missing.push_back("level (Class:)");
  if (c.classified_by.empty()) missing.push_back("classified by");
  if (c.reasons.empty()) missing.push_back("reason");
  if (c.declassify_on.empty()) missing.push_back("declassify on");
  if (!missing.empty()) {
    if (Finding* f = emit.Add(rule_id::kB1BlockIncomplete, "")) {
      Place(f, doc, c.line);
      f->message = absl::StrCat("the classification block lacks: ",
                                absl::StrJoin(missing, ", "));
    }
  }
  for (const std::string& r : c.reasons) {
    const ExemptionInfo* e = pack.FindExemption(r);
    if (e == nullptr || e->superseded_by.empty()) continue;
    if (Finding* f = emit.Add(rule_id::kB1LegacyReason, r)) {
      Place(f, doc, c.line);
      f->evidence = r;
      f->message = absl::StrCat("the classification block's reason ", r,
                                " uses the superseded E.O. 12958 numbering; read as ",
                                e->superseded_by);
    }
  }
  // Reasons both ways.
  std::set<std::string> block;
  for (const std::string& r : c.reasons) block.insert(Current(pack, r));
  std::set<std::string> marked_any;
  std::set<std::string> reported;
  for (const Mark* m : AllMarks(doc)) {
    if (!IsReason(m->code)) continue;
    const std::string code = Current(pack, m->code);
    marked_any.insert(code);
    if (block.count(code) || !reported.insert(code).second) continue;
    if (Finding* f = emit.Add(rule_id::kB1ReasonNotInBlock, code)) {
      At(f, doc, *m);
      f->evidence = Shown(*m);
      f->message = absl::StrCat(
          "reason ", Shown(*m), " is marked but the classification block (line ",
          c.line, ") lists only ", block.empty() ? "no reason" : absl::StrJoin(block, ", "));
    }
  }
  if (!c.reasons.empty()) {
    for (const std::string& code : block) {
      if (marked_any.count(code)) continue;
      if (Finding* f = emit.Add(rule_id::kB1BlockReasonNotMarked, code)) {
        Place(f, doc, c.line);
        f->evidence = code;
        f->message = absl::StrCat("the classification block gives reason ", code,
                                  " but no redaction is marked with it");
      }
    }
  }
  // Dates.
  const std::optional<Date> declass = ParseDate(c.declassify_on);
  if (!declass) return;
  if (const std::optional<Date> classified = ParseDate(c.classified_on)) {
    if (!(*classified < *declass)) {
      if (Finding* f = emit.Add(rule_id::kB1DeclassifyBeforeClassified, "")) {
        Place(f, doc, c.line);
        f->evidence = c.declassify_on;
        f->message = absl::StrCat("declassify on ", c.declassify_on,
                                  " is not after the classification date ",
                                  c.classified_on);
      }
    }
  }
  std::string source;
  const std::optional<Date> dated = DocumentDate(doc, md, &source);
  const LegalConfig& legal = pack.legal();
  if (dated && dated->PlusYears(legal.max_classification_years) < *declass &&
      !HasDurationExemption(doc, c, legal)) {
    if (Finding* f = emit.Add(rule_id::kB1DeclassifyTooLate, "")) {
      Place(f, doc, c.line);
      f->evidence = c.declassify_on;
      f->message = absl::StrCat(
          "declassify on ", c.declassify_on, " is more than ",
          legal.max_classification_years, " years after the document's date ",
          dated->Iso(), " (", source, ") and no 25X / 50X1-HUM / 50X2-WMD "
          "exemption is given");
    }
  }
}

void CheckQualifiers(const Document& doc, Emitter& emit) {
  const RulePack& pack = emit.pack();
  for (const Mark* m : AllMarks(doc)) {
    if (m->code == "(b)(3)") {
      if (m->qualifier.empty()) {
        if (Finding* f = emit.Add(rule_id::kB3StatuteMissing, "")) {
          At(f, doc, *m);
          f->evidence = Shown(*m);
          f->message = absl::StrCat("bare ", Shown(*m),
                                    ": a (b)(3) withholding must name its "
                                    "statute (e.g. \"B3 CIA\")");
        }
      } else if (pack.has_statutes() && pack.FindStatute(m->qualifier) == nullptr) {
        if (Finding* f = emit.Add(rule_id::kB3StatuteUnknown, m->qualifier)) {
          At(f, doc, *m);
          f->evidence = absl::StrCat(Shown(*m), " ", m->qualifier);
          f->message = absl::StrCat("(b)(3) statute \"", m->qualifier,
                                    "\" is not in the pack's statute list");
        }
      }
    } else if (m->code == "(b)(7)") {
      if (Finding* f = emit.Add(rule_id::kB7SubpartMissing, "")) {
        At(f, doc, *m);
        f->evidence = Shown(*m);
        f->message = absl::StrCat(Shown(*m),
                                  " without a subpart: (b)(7) withholdings must "
                                  "name (A)-(F), e.g. B7(C)");
      }
    }
  }
}

void CheckB5(const Document& doc, const ReleaseMetadata& md, Emitter& emit) {
  const Mark* first = nullptr;
  for (const Mark* m : AllMarks(doc)) {
    if (m->code == "(b)(5)") {
      first = m;
      break;
    }
  }
  if (first == nullptr || md.request_date.empty()) return;
  const std::optional<Date> requested = ParseDate(md.request_date);
  std::string source;
  const std::optional<Date> dated = DocumentDate(doc, md, &source);
  if (!requested || !dated) return;
  const int years = emit.pack().legal().deliberative_process_years;
  if (*requested < dated->PlusYears(years)) return;
  if (Finding* f = emit.Add(rule_id::kB5TooOld, "")) {
    At(f, doc, *first);
    f->evidence = Shown(*first);
    f->message = absl::StrCat(
        Shown(*first), " claimed but the record is dated ", dated->Iso(), " (",
        source, "), ", years, " years or more before the request date ",
        requested->Iso(), "; the deliberative-process privilege no longer applies");
  }
}

}  // namespace

void CheckLegal(const Document& doc, const ReleaseMetadata& md, Emitter& emit) {
  CheckB1(doc, md, emit);
  CheckQualifiers(doc, emit);
  CheckB5(doc, md, emit);
}

void CheckReleaseMetadata(const Document& doc, const ReleaseMetadata& md,
                          Emitter& emit) {
  const RulePack& pack = emit.pack();
  if (md.disposition.has_value() && doc.stamp.disposition != Disposition::kNone &&
      *md.disposition != doc.stamp.disposition) {
    if (Finding* f = emit.Add(rule_id::kDispositionMismatch, "")) {
      Place(f, doc, doc.stamp.line);
      f->evidence = std::string(DispositionName(doc.stamp.disposition));
      f->message = absl::StrCat("the release metadata says ",
                                A(DispositionName(*md.disposition)),
                                " but the stamp says ",
                                A(DispositionName(doc.stamp.disposition)));
    }
  }
  if (md.page_count > 0 && doc.page_count() > 0 && md.page_count != doc.page_count()) {
    if (Finding* f = emit.Add(rule_id::kPageCountMismatch, "")) {
      f->page = 1;
      f->evidence = std::to_string(doc.page_count());
      f->message = absl::StrCat("the release metadata gives ", md.page_count,
                                " pages but the document has ", doc.page_count());
    }
  }
  if (md.claimed_exemptions.empty()) return;
  std::set<std::string> claimed;
  for (std::string c : md.claimed_exemptions) {
    const CodeMatch* m = pack.Lookup(c);
    if (m == nullptr && c.find(' ') != std::string::npos) {
      m = pack.Lookup(c.substr(0, c.find(' ')));
    }
    claimed.insert(m != nullptr ? Current(pack, m->code) : c);
  }
  std::set<std::string> applied;
  std::vector<const Mark*> first_of;
  for (const Mark* m : AllMarks(doc)) {
    if (m->code.empty()) continue;
    const std::string code = Current(pack, m->code);
    if (applied.insert(code).second) first_of.push_back(m);
  }
  for (const std::string& c : claimed) {
    if (applied.count(c)) continue;
    if (Finding* f = emit.Add(rule_id::kClaimedNotApplied, c)) {
      f->page = 1;
      f->evidence = c;
      f->message = absl::StrCat("the release metadata claims ", c,
                                " but neither the stamp nor any mark applies it");
    }
  }
  for (const Mark* m : first_of) {
    const std::string code = Current(pack, m->code);
    if (claimed.count(code)) continue;
    if (IsReason(code) && claimed.count("(b)(1)")) continue;  // reasons of (b)(1)
    if (Finding* f = emit.Add(rule_id::kAppliedNotClaimed, code)) {
      At(f, doc, *m);
      f->evidence = Shown(*m);
      f->message = absl::StrCat(Shown(*m), " is applied but the release metadata "
                                "claims only ", absl::StrJoin(claimed, ", "));
    }
  }
}

void CheckPatterns(const Document& doc, Emitter& emit) {
  for (const PatternRuleInfo& p : emit.pack().patterns()) {
    for (int l = 0; l < doc.line_count(); ++l) {
      const re2::StringPiece line(doc.lines[l].data(), doc.lines[l].size());
      size_t pos = 0;
      re2::StringPiece match;
      while (pos <= line.size() &&
             p.regex->Match(line, pos, line.size(), RE2::UNANCHORED, &match, 1)) {
        const size_t col = static_cast<size_t>(match.data() - line.data());
        const std::string text(match.data(), match.size());
        if (Finding* f = emit.Add(p.id, text)) {
          Place(f, doc, l + 1);
          f->column = static_cast<int>(col);
          f->length = static_cast<int>(match.size());
          f->evidence = text;
          f->message = p.message.empty()
                           ? absl::StrCat("text \"", text, "\" matches pattern ",
                                          p.pattern, " of rule ", p.id)
                           : absl::StrCat(p.message, ": \"", text, "\"");
        }
        pos = col + std::max<size_t>(match.size(), 1);
      }
    }
  }
}

}  // namespace ra::check_internal
