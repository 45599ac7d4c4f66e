#include "check/checker.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "check/pdf_rules.h"
#include "pack/rule_catalog.h"
#include "check/emitter.h"
#include "check/legal_rules.h"
#include "check/pii.h"
#include "util/sha256.h"

namespace ra {
namespace check_internal {

namespace {
// Fingerprint() of `*material` (rule id, '\x1f', key; the ordinal is
// appended to it).
std::string FingerprintOf(std::string* material, int ordinal) {
  absl::StrAppend(material, "\x1f", ordinal);
  std::string hex = Sha256Hex(*material);
  hex.resize(32);
  return hex;
}
}  // namespace

Finding* Emitter::Add(std::string_view rule, std::string_view key) {
  const RuleConfig cfg = pack_.Rule(rule);
  if (!cfg.enabled) return nullptr;
  // The ordinal's key is the start of the fingerprint's material, built in
  // a buffer the emitter keeps (no new string a finding); the map copies
  // it only for a key it has not seen.
  material_.assign(rule.data(), rule.size());
  material_.push_back('\x1f');
  material_.append(key.data(), key.size());
  const int ordinal =
      ordinals_.try_emplace(absl::string_view(material_), 0).first->second++;
  // Most documents have a finding or two: room for a few at the first.
  if (out_->empty()) out_->reserve(4);
  Finding& f = out_->emplace_back();
  f.rule_id.assign(rule.data(), rule.size());
  f.severity = cfg.severity;
  f.fingerprint = FingerprintOf(&material_, ordinal);
  return &f;
}

void At(Finding* f, const Document& doc, const Mark& m) {
  f->page = m.page > 0 ? m.page : doc.PageOfLine(m.line);
  f->line = m.line;
  f->column = m.column;
  f->length = m.length;
}

}  // namespace check_internal

namespace {
using check_internal::A;
using check_internal::At;
using check_internal::Emitter;

// The display form of a code for messages: the first printed spelling.
std::string Shown(const Mark& m) {
  return m.printed.empty() ? m.code : m.printed;
}

// Codes (canonical) of known marks in code order, each with the marks that
// carry it in document order. A sorted list: a document has few codes.
using CodeMarks =
    std::vector<std::pair<std::string_view, absl::InlinedVector<const Mark*, 2>>>;

// The first entry of `codes` whose code is not before `code`.
CodeMarks::iterator LowerBound(CodeMarks& codes, std::string_view code) {
  return std::lower_bound(
      codes.begin(), codes.end(), code,
      [](const CodeMarks::value_type& e, std::string_view c) { return e.first < c; });
}

CodeMarks ByCode(const std::vector<Mark>& marks) {
  CodeMarks out;
  for (const Mark& m : marks) {
    if (m.code.empty()) continue;
    auto it = LowerBound(out, m.code);
    if (it == out.end() || it->first != m.code) {
      it = out.emplace(it);
      it->first = m.code;
    }
    it->second.push_back(&m);
  }
  return out;
}

bool HasCode(CodeMarks& codes, std::string_view code) {
  const auto it = LowerBound(codes, code);
  return it != codes.end() && it->first == code;
}

void CheckStampAndMarks(const Document& doc, const RulePack& pack,
                        Emitter& emit) {
  const Stamp& stamp = doc.stamp;
  CodeMarks marked = ByCode(doc.marks);
  CodeMarks stamped = ByCode(stamp.codes);

  if (stamp.disposition == Disposition::kNone) {
    if (Finding* f = emit.Add(rule_id::kStampMissing, "")) {
      f->page = 1;
      f->message =
          "no release stamp (RELEASE IN FULL / IN PART / DENIED) was found";
    }
  }

  if (stamp.disposition == Disposition::kFull && !marked.empty()) {
    const Mark& first = *marked.begin()->second.front();
    std::vector<std::string> codes;
    for (const auto& [code, marks] : marked) codes.push_back(Shown(*marks[0]));
    if (Finding* f = emit.Add(rule_id::kFullWithMarks, "")) {
      At(f, doc, first);
      f->evidence = Shown(first);
      f->message = absl::StrCat(
          "stamped RELEASE IN FULL (line ", stamp.line,
          ") but exemption codes are marked: ", absl::StrJoin(codes, ", "));
    }
  }

  if (stamp.disposition == Disposition::kPart && marked.empty() &&
      stamped.empty()) {
    if (Finding* f = emit.Add(rule_id::kPartWithoutCodes, "")) {
      f->page = doc.PageOfLine(stamp.line);
      f->line = stamp.line;
      f->message =
          "stamped RELEASE IN PART but no exemption code is printed in the "
          "stamp or at any redaction site";
    }
  }

  // A marked code missing from the stamp. Only meaningful when a stamp
  // exists; a FULL stamp with marks is reported above instead.
  if (stamp.disposition == Disposition::kPart ||
      stamp.disposition == Disposition::kDenied) {
    for (const auto& [code, marks] : marked) {
      if (HasCode(stamped, code)) continue;
      if (Finding* f = emit.Add(rule_id::kMarkNotStamped, code)) {
        At(f, doc, *marks[0]);
        f->evidence = Shown(*marks[0]);
        f->message = absl::StrCat(
            "code ", Shown(*marks[0]), " is marked at line ", marks[0]->line,
            marks.size() > 1 ? absl::StrCat(" (and ", marks.size() - 1, " more)")
                             : std::string(),
            " but the release stamp does not list it");
      }
    }
    for (const auto& [code, marks] : stamped) {
      if (HasCode(marked, code)) continue;
      if (Finding* f = emit.Add(rule_id::kStampNotMarked, code)) {
        At(f, doc, *marks[0]);
        f->evidence = Shown(*marks[0]);
        f->message = absl::StrCat(
            "the release stamp lists ", Shown(*marks[0]),
            " but no redaction site is marked with it; 5 U.S.C. 552(b) asks "
            "for the exemption at the place of deletion");
      }
    }
  }

  auto unknown = [&](const Mark& m) {
    if (!m.code.empty() && !m.ocr_variant) return;
    if (Finding* f = emit.Add(rule_id::kUnknownCode, m.printed)) {
      At(f, doc, m);
      f->evidence = m.printed;
      std::string suggestion;
      if (!m.code.empty()) {
        suggestion = m.code;
        // Prefer a spelling of the document's dialect in the message.
        for (const Mark& other : doc.marks) {
          if (other.code == m.code && !other.ocr_variant) {
            suggestion = other.printed;
            break;
          }
        }
      } else {
        suggestion = m.suggestion;
      }
      f->message = absl::StrCat(
          "printed code \"", m.printed, "\" is not a known exemption code",
          suggestion.empty() ? "" : absl::StrCat("; did you mean ", suggestion, "?"));
    }
  };
  for (const Mark& m : stamp.codes) unknown(m);
  for (const Mark& m : doc.marks) unknown(m);
}

// "2015-06-30" -> "06/30/2015"; other input unchanged.
std::string IsoToUs(const std::string& iso) {
  if (iso.size() == 10 && iso[4] == '-' && iso[7] == '-') {
    return absl::StrCat(iso.substr(5, 2), "/", iso.substr(8, 2), "/",
                        iso.substr(0, 4));
  }
  return iso;
}

// Folds characters OCR confuses (O/0, l/I/1, S/5, B/8, Z/2) and drops
// punctuation, so that "CO5769584" and "C05769584", or "06;30/2015" and
// "06/30/2015", compare equal while any other digit change does not.
std::string OcrFold(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    switch (c) {
      case 'O': case 'o': case 'Q':
        c = '0';
        break;
      case 'l': case 'I': case 'i': case '!': case '|':
        c = '1';
        break;
      case 'S': case 's':
        c = '5';
        break;
      case 'B':
        c = '8';
        break;
      case 'Z': case 'z':
        c = '2';
        break;
      default:
        break;
    }
    if (std::isalnum(static_cast<unsigned char>(c))) out.push_back(c);
  }
  return out;
}

// True when `printed` is `expected` as OCR would misread it: equal after
// OcrFold, or with the same digits where only letters and punctuation
// differ ("V-2014-20439" for "F-2014-20439"). A changed digit is not.
bool OcrEquivalent(const std::string& printed, const std::string& expected) {
  const std::string a = OcrFold(printed), b = OcrFold(expected);
  if (a == b) return true;
  auto digits = [](const std::string& s) {
    std::string d;
    for (char c : s) {
      if (std::isdigit(static_cast<unsigned char>(c))) d.push_back(c);
    }
    return d;
  };
  const std::string db = digits(b);
  return db.size() >= 4 && digits(a) == db;
}

void CheckHeaders(const Document& doc, const ReleaseMetadata& md,
                  Emitter& emit) {
  struct Field {
    std::string_view rule;
    const char* what;
    const std::string& expected;
    std::string PageHeader::*member;
  };
  const std::string release_date = IsoToUs(md.release_date);
  const Field fields[] = {
      {rule_id::kCaseMismatch, "case number", md.case_number,
       &PageHeader::case_number},
      {rule_id::kDocMismatch, "doc number", md.doc_number,
       &PageHeader::doc_number},
      {rule_id::kDateMismatch, "release date", release_date,
       &PageHeader::release_date},
  };
  for (const Field& field : fields) {
    // Distinct printed values in order of first appearance; the headers
    // that print one are gathered only for a finding.
    absl::InlinedVector<const std::string*, 4> values;
    for (const PageHeader& h : doc.page_headers) {
      const std::string& v = h.*field.member;
      if (v.empty()) continue;
      if (std::none_of(values.begin(), values.end(),
                       [&](const std::string* p) { return *p == v; })) {
        values.push_back(&v);
      }
    }
    auto headers_of = [&](const std::string& value) {
      std::vector<const PageHeader*> hs;
      for (const PageHeader& h : doc.page_headers) {
        if (h.*field.member == value) hs.push_back(&h);
      }
      return hs;
    };
    auto pages_of = [](const std::vector<const PageHeader*>& hs) {
      std::vector<int> pages;
      for (const PageHeader* h : hs) {
        if (pages.empty() || pages.back() != h->page) pages.push_back(h->page);
      }
      return absl::StrJoin(pages, ", ");
    };
    if (!field.expected.empty()) {
      for (const std::string* value_of : values) {
        const std::string& value = *value_of;
        if (value == field.expected) continue;
        const bool ocr = OcrEquivalent(value, field.expected);
        if (Finding* f = emit.Add(ocr ? rule_id::kHeaderOcrVariant : field.rule, value)) {
          const std::vector<const PageHeader*> headers = headers_of(value);
          const PageHeader& h = *headers.front();
          f->page = h.page;
          f->line = h.line;
          f->evidence = value;
          f->message = absl::StrCat(
              "page header ", field.what, " \"", value, "\" on page",
              headers.size() > 1 ? "s " : " ", pages_of(headers),
              " differs from the release metadata's \"", field.expected, "\"",
              ocr ? " only by look-alike characters (likely OCR)" : "");
        }
      }
    } else if (values.size() > 1) {
      std::vector<std::string> parts;
      for (const std::string* value : values) {
        const std::vector<const PageHeader*> headers = headers_of(*value);
        parts.push_back(absl::StrCat("\"", *value, "\" on page",
                                     headers.size() > 1 ? "s " : " ",
                                     pages_of(headers)));
      }
      if (Finding* f = emit.Add(rule_id::kHeadersDisagree, field.what)) {
        const PageHeader& h = *headers_of(*values[1]).front();
        f->page = h.page;
        f->line = h.line;
        f->evidence = *values[1];
        f->message = absl::StrCat("page headers disagree on the ", field.what,
                                  ": ", absl::StrJoin(parts, "; "));
      }
    }
  }
}

}  // namespace

std::string Fingerprint(std::string_view rule_id, std::string_view key,
                        int ordinal) {
  std::string material = absl::StrCat(A(rule_id), "\x1f", A(key));
  return check_internal::FingerprintOf(&material, ordinal);
}

std::vector<Finding> CheckDocument(const Document& doc,
                                   const ReleaseMetadata& metadata,
                                   const RulePack& pack) {
  std::vector<Finding> findings;
  Emitter emit(pack, &findings);
  CheckStampAndMarks(doc, pack, emit);
  CheckHeaders(doc, metadata, emit);
  CheckPdf(doc, [&emit](std::string_view rule, std::string_view key) {
    return emit.Add(rule, key);
  });
  check_internal::CheckLegal(doc, metadata, emit);
  check_internal::CheckReleaseMetadata(doc, metadata, emit);
  check_internal::CheckPersonalData(doc, emit);
  check_internal::CheckPatterns(doc, emit);
  if (!pack.suppressions().empty()) {
    findings.erase(std::remove_if(findings.begin(), findings.end(),
                                  [&](const Finding& f) {
                                    return pack.IsSuppressed(f.fingerprint);
                                  }),
                   findings.end());
  }
  // (stable_sort takes a buffer even for one finding, the most common.)
  if (findings.size() > 1) {
    std::stable_sort(findings.begin(), findings.end(),
                     [](const Finding& a, const Finding& b) { return a.line < b.line; });
  }
  return findings;
}

}  // namespace ra
