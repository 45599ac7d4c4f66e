#include "check/pii.h"

#include <algorithm>
#include <optional>
#include <array>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "pack/rule_catalog.h"
#include "re2/re2.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace ra {
namespace {

// What a cheap scan of a line tells: a detector runs only on lines that
// could hold its identifier, so most lines never reach RE2.
struct LineStats {
  int digits = 0;
  bool at = false;      // '@'
  bool hyphen = false;  // '-'
  bool b = false;       // 'b' or 'B' (DOB, birth, born)
  bool p = false;       // 'p' or 'P' (passport)
};

// Bits of the characters Scan looks for, by byte value.
enum : uint8_t { kDigit = 1, kAt = 2, kHyphen = 4, kLetterB = 8, kLetterP = 16 };
constexpr std::array<uint8_t, 256> kScanClass = [] {
  std::array<uint8_t, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = kDigit;
  t['@'] = kAt;
  t['-'] = kHyphen;
  t['b'] = t['B'] = kLetterB;
  t['p'] = t['P'] = kLetterP;
  return t;
}();

// One table lookup a byte, no branches; with SSE2 (every x86-64), sixteen
// bytes at a time first.
LineStats Scan(std::string_view line) {
  int digits = 0;
  uint8_t seen = 0;
  size_t i = 0;
#ifdef __SSE2__
  const __m128i zero_char = _mm_set1_epi8('0');
  const __m128i nine = _mm_set1_epi8(9);
  const __m128i case_bit = _mm_set1_epi8(0x20);
  const __m128i at = _mm_set1_epi8('@');
  const __m128i hyphen = _mm_set1_epi8('-');
  const __m128i lower_b = _mm_set1_epi8('b');
  const __m128i lower_p = _mm_set1_epi8('p');
  __m128i any_at = _mm_setzero_si128(), any_hyphen = any_at, any_b = any_at, any_p = any_at;
  // Digits counted per byte lane (0xff per digit subtracted), summed
  // before a lane can overflow.
  __m128i lane_digits = _mm_setzero_si128();
  int rounds = 0;
  auto add_lanes = [&] {
    const __m128i sums = _mm_sad_epu8(lane_digits, _mm_setzero_si128());
    digits += _mm_cvtsi128_si32(sums) + _mm_cvtsi128_si32(_mm_srli_si128(sums, 8));
    lane_digits = _mm_setzero_si128();
    rounds = 0;
  };
  for (; i + 16 <= line.size(); i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(line.data() + i));
    // (unsigned)(c - '0') <= 9
    const __m128i d = _mm_sub_epi8(x, zero_char);
    const __m128i is_digit = _mm_cmpeq_epi8(_mm_min_epu8(d, nine), d);
    lane_digits = _mm_sub_epi8(lane_digits, is_digit);
    if (++rounds == 255) add_lanes();
    const __m128i folded = _mm_or_si128(x, case_bit);  // 'B' -> 'b', 'P' -> 'p'
    any_at = _mm_or_si128(any_at, _mm_cmpeq_epi8(x, at));
    any_hyphen = _mm_or_si128(any_hyphen, _mm_cmpeq_epi8(x, hyphen));
    any_b = _mm_or_si128(any_b, _mm_cmpeq_epi8(folded, lower_b));
    any_p = _mm_or_si128(any_p, _mm_cmpeq_epi8(folded, lower_p));
  }
  add_lanes();
  if (_mm_movemask_epi8(any_at) != 0) seen |= kAt;
  if (_mm_movemask_epi8(any_hyphen) != 0) seen |= kHyphen;
  if (_mm_movemask_epi8(any_b) != 0) seen |= kLetterB;
  if (_mm_movemask_epi8(any_p) != 0) seen |= kLetterP;
#endif
  for (; i < line.size(); ++i) {
    const uint8_t k = kScanClass[static_cast<unsigned char>(line[i])];
    digits += k & kDigit;
    seen |= k;
  }
  LineStats st;
  st.digits = digits;
  st.at = (seen & kAt) != 0;
  st.hyphen = (seen & kHyphen) != 0;
  st.b = (seen & kLetterB) != 0;
  st.p = (seen & kLetterP) != 0;
  return st;
}

struct Detector {
  PiiKind kind;
  const RE2* regex;  // group 1 is the identifier
  // True when group 1 is the whole match: the match alone is asked for,
  // which RE2 finds with its DFAs, without the slower submatch engine.
  bool whole;
  // False when the line cannot match `regex` (fewer digits than the
  // shortest match, a required character missing).
  bool (*may_match)(const LineStats&);
};

const std::vector<Detector>& Detectors() {
  static const auto* const kDetectors = [] {
    auto* d = new std::vector<Detector>;
    d->push_back({PiiKind::kEmail,
                  new RE2(R"(([A-Za-z0-9][A-Za-z0-9._%+'-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}))"), true,
                  [](const LineStats& st) { return st.at; }});
    d->push_back({PiiKind::kSsn,
                  new RE2(R"((?:^|[^\d-])((?:00[1-9]|0[1-9]\d|[1-578]\d\d|6[0-57-9]\d|66[0-57-9])-\d\d-\d{4})(?:$|[^\d-]))"), false,
                  [](const LineStats& st) { return st.digits >= 9 && st.hyphen; }});
    d->push_back({PiiKind::kPhone,
                  new RE2(R"((?:^|[^\d\w/-])((?:\+?1[ .-]?)?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}|\+\d{2,3}[ .-]\d{1,4}(?:[ .-]\d{2,4}){2,4})(?:$|[^\d\w/-]))"), false,
                  [](const LineStats& st) { return st.digits >= 7; }});
    d->push_back({PiiKind::kBirthDate,
                  new RE2(R"((?i)(?:\bDOB|\bD\.O\.B\.?|date of birth|birth ?date|\bborn(?: on)?)\s*[:\-]?\s*((?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})|(?:[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4})|(?:\d{1,2} [A-Z][a-z]{2,8} \d{4})))"), false,
                  [](const LineStats& st) { return st.digits >= 4 && st.b; }});
    d->push_back({PiiKind::kPassport,
                  new RE2(R"((?i)passport\s*(?:no\.?|number|num\.?|#)?\s*[:#]?\s*([A-Z]{0,2}\d{6,9}))"), false,
                  [](const LineStats& st) { return st.digits >= 6 && st.p; }});
    return d;
  }();
  return *kDetectors;
}

// Field labels whose value is a kind of identifier.
const RE2& EmptyLabel() {
  static const RE2* const kRe = new RE2(
      R"((?i)^\s*(e-?mail|mail|phone|ph|tel|telephone|cell|cell phone|mobile|fax|home|ssn|social security(?: no\.?| number)?|dob|date of birth|passport(?: no\.?| number)?)\s*[:.#]?\s*(?:\(?B6\)?)?\s*$)");
  return *kRe;
}

// False when `line` cannot match EmptyLabel: after its leading whitespace
// it does not start with one of the label words (compared without case).
// A non-ASCII byte where a word is compared is left to RE2, whose (?i)
// also folds letters such as U+017F into 's'. Saves running RE2 on almost
// every short line.
bool MayBeEmptyLabel(std::string_view line) {
  static constexpr std::string_view kStarts[] = {
      "e-mail", "email", "mail", "ph",  "tel", "cell", "mobile", "fax",
      "home",   "ssn",   "social security", "dob", "date of birth", "passport"};
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\n' ||
                             line[i] == '\f' || line[i] == '\r')) {
    ++i;
  }
  const std::string_view rest = line.substr(i);
  if (rest.empty()) return false;
  // Most lines are rejected by their first letter.
  switch (absl::ascii_tolower(static_cast<unsigned char>(rest[0]))) {
    case 'e': case 'm': case 'p': case 't': case 'c': case 'f': case 'h': case 's': case 'd':
      break;
    default:
      if (static_cast<unsigned char>(rest[0]) < 0x80) return false;
  }
  for (const std::string_view start : kStarts) {
    size_t k = 0;
    for (; k < start.size() && k < rest.size(); ++k) {
      const unsigned char c = static_cast<unsigned char>(rest[k]);
      if (c >= 0x80) return true;
      if (absl::ascii_tolower(c) != start[k]) break;
    }
    if (k == start.size()) return true;
  }
  return false;
}

PiiKind KindOfLabel(const std::string& label) {
  const std::string l = absl::AsciiStrToLower(label);
  if (absl::StrContains(l, "mail")) return PiiKind::kEmail;
  if (l == "ssn" || absl::StartsWith(l, "social")) return PiiKind::kSsn;
  if (l == "dob" || absl::StartsWith(l, "date of")) return PiiKind::kBirthDate;
  if (absl::StartsWith(l, "passport")) return PiiKind::kPassport;
  return PiiKind::kPhone;
}

// True when a and b are equal or one substitution, insertion or deletion
// apart (OCR: "state.gove", "state.goy" for "state.gov").
bool NearlyEqual(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (a.size() == b.size()) return i == a.size() || a.substr(i + 1) == b.substr(i + 1);
  return a.substr(i) == b.substr(i + 1);
}

// Allowed when the domain matches an allowlist entry, tolerating one OCR
// misread character in the final label ("*.gov" allows "state.goy").
bool DomainAllowed(const std::string& domain, const PiiConfig& pii) {
  const size_t dot = domain.rfind('.');
  const std::string_view head =
      dot == std::string::npos ? std::string_view() : std::string_view(domain).substr(0, dot);
  const std::string_view tld =
      dot == std::string::npos ? std::string_view(domain) : std::string_view(domain).substr(dot + 1);
  for (const std::string& a : pii.allowed_domains) {
    if (absl::StartsWith(a, "*.")) {
      const std::string_view suffix = std::string_view(a).substr(2);
      if (suffix.find('.') == std::string_view::npos) {
        if (NearlyEqual(tld, suffix)) return true;
      } else if (absl::EndsWith(domain, a.substr(1)) || domain == suffix) {
        return true;
      }
    } else if (domain == a || absl::EndsWith(domain, absl::StrCat(".", a)) ||
               NearlyEqual(domain, a)) {
      return true;
    }
  }
  (void)head;
  return false;
}

bool PersonalPhoneContext(std::string_view line) {
  static const RE2* const kRe =
      new RE2(R"((?i)\b(cell|mobile|home|personal|private|bb)\b)");
  return RE2::PartialMatch(re2::StringPiece(line.data(), line.size()), *kRe);
}

std::string_view RuleOf(PiiKind kind) {
  switch (kind) {
    case PiiKind::kEmail:
      return rule_id::kPiiEmail;
    case PiiKind::kPhone:
      return rule_id::kPiiPhone;
    case PiiKind::kSsn:
      return rule_id::kPiiSsn;
    case PiiKind::kBirthDate:
      return rule_id::kPiiBirthDate;
    case PiiKind::kPassport:
      return rule_id::kPiiPassport;
  }
  return rule_id::kPiiPhone;
}

// Lines of page headers (their numbers are not personal data), by line
// number: one pass over the headers rather than one a line.
std::vector<bool> HeaderLines(const Document& doc) {
  std::vector<bool> out(doc.lines.size() + 1, false);
  for (const PageHeader& h : doc.page_headers) {
    if (h.line >= 1 && h.line < static_cast<int>(out.size())) out[h.line] = true;
  }
  return out;
}

}  // namespace

std::string_view PiiKindName(PiiKind kind) {
  switch (kind) {
    case PiiKind::kEmail:
      return "email";
    case PiiKind::kPhone:
      return "phone";
    case PiiKind::kSsn:
      return "ssn";
    case PiiKind::kBirthDate:
      return "birth-date";
    case PiiKind::kPassport:
      return "passport";
  }
  return "";
}

namespace {

// A document's RedactedPiiKinds, computed on first use (a pass over every
// line), so a document that needs them never pays twice and one that does
// not never pays.
class LazyRedactedKinds {
 public:
  explicit LazyRedactedKinds(const Document& doc) : doc_(doc) {}
  const std::vector<PiiKind>& Get() {
    if (!kinds_.has_value()) kinds_ = RedactedPiiKinds(doc_);
    return *kinds_;
  }

 private:
  const Document& doc_;
  std::optional<std::vector<PiiKind>> kinds_;
};

// FindVisiblePii sharing the document's redacted kinds with the caller.
std::vector<PiiSpan> FindVisiblePiiWith(const Document& doc, const RulePack& pack,
                                        LazyRedactedKinds& redacted) {
  std::vector<PiiSpan> out;
  const PiiConfig& pii = pack.pii();
  const std::vector<bool> header_lines = HeaderLines(doc);
  for (int l = 0; l < doc.line_count(); ++l) {
    if (header_lines[l + 1]) continue;
    const re2::StringPiece line(doc.lines[l].data(), doc.lines[l].size());
    const LineStats stats = Scan(doc.lines[l]);
    std::vector<std::pair<int, int>> taken;  // [begin, end) of earlier kinds
    for (const Detector& d : Detectors()) {
      if (!d.may_match(stats)) continue;
      re2::StringPiece input = line;
      re2::StringPiece id;
      // FindAndConsume(&input, regex, &id), or the same with the whole
      // match as the identifier.
      auto next = [&] {
        if (!d.whole) return RE2::FindAndConsume(&input, *d.regex, &id);
        if (!d.regex->Match(input, 0, input.size(), RE2::UNANCHORED, &id, 1)) return false;
        input.remove_prefix(static_cast<size_t>(id.end() - input.data()));
        return true;
      };
      while (next()) {
        const int col = static_cast<int>(id.data() - line.data());
        const int end = col + static_cast<int>(id.size());
        const bool overlaps = std::any_of(taken.begin(), taken.end(), [&](auto r) {
          return col < r.second && r.first < end;
        });
        if (overlaps || id.empty()) continue;
        std::string text(id.data(), id.size());
        if (d.kind == PiiKind::kEmail) {
          const std::string domain = absl::AsciiStrToLower(text.substr(text.find('@') + 1));
          if (DomainAllowed(domain, pii)) continue;
        }
        const std::string folded = RulePack::FoldPiiValue(text);
        if (pii.allowed_values.contains(folded)) continue;
        if (d.kind == PiiKind::kPhone &&
            std::any_of(pii.allowed_phone_prefixes.begin(),
                        pii.allowed_phone_prefixes.end(), [&](const std::string& p) {
                          return absl::StartsWith(folded, p) ||
                                 absl::StartsWith(folded, absl::StrCat("1", p));
                        })) {
          continue;
        }
        taken.push_back({col, end});
        out.push_back({d.kind, l + 1, col, std::move(text)});
        if (input.empty()) break;
      }
    }
  }
  const bool any_phone = std::any_of(out.begin(), out.end(), [](const PiiSpan& s) {
    return s.kind == PiiKind::kPhone;
  });
  if (pii.phones_need_context && any_phone) {
    const std::vector<PiiKind>& kinds = redacted.Get();
    const bool phones_redacted =
        std::find(kinds.begin(), kinds.end(), PiiKind::kPhone) != kinds.end();
    out.erase(std::remove_if(out.begin(), out.end(),
                             [&](const PiiSpan& s) {
                               return s.kind == PiiKind::kPhone && !phones_redacted &&
                                      !PersonalPhoneContext(doc.lines[s.line - 1]);
                             }),
              out.end());
  }
  std::sort(out.begin(), out.end(), [](const PiiSpan& a, const PiiSpan& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  return out;
}

}  // namespace

std::vector<PiiSpan> FindVisiblePii(const Document& doc, const RulePack& pack) {
  LazyRedactedKinds redacted(doc);
  return FindVisiblePiiWith(doc, pack, redacted);
}

std::vector<PiiKind> RedactedPiiKinds(const Document& doc) {
  std::vector<PiiKind> out;
  auto add = [&](PiiKind k) {
    if (std::find(out.begin(), out.end(), k) == out.end()) out.push_back(k);
  };
  for (const std::string_view raw : doc.lines) {
    std::string_view trimmed = raw;
    while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\t')) {
      trimmed.remove_suffix(1);
    }
    // An empty label ("Phone:", "Social Security No.: (B6)") is short.
    // (A loop: find_first_not_of calls memchr once a byte.)
    size_t text_start = 0;
    while (text_start < trimmed.size() &&
           (trimmed[text_start] == ' ' || trimmed[text_start] == '\t')) {
      ++text_start;
    }
    if (text_start < trimmed.size() && trimmed.size() - text_start <= 48 &&
        MayBeEmptyLabel(raw)) {
      const re2::StringPiece line(raw.data(), raw.size());
      std::string label;
      if (RE2::FullMatch(line, EmptyLabel(), &label)) add(KindOfLabel(label));
    }
    if (absl::EndsWith(absl::string_view(trimmed.data(), trimmed.size()), "[mailto") ||
        absl::EndsWith(absl::string_view(trimmed.data(), trimmed.size()), "[mailto:")) {
      add(PiiKind::kEmail);
    }
  }
  return out;
}

namespace check_internal {

void CheckPersonalData(const Document& doc, Emitter& emit) {
  const RulePack& pack = emit.pack();
  LazyRedactedKinds lazy(doc);
  const std::vector<PiiSpan> spans = FindVisiblePiiWith(doc, pack, lazy);
  if (spans.empty()) return;
  const std::vector<PiiKind>& redacted = lazy.Get();
  bool b6 = false;
  for (const Mark& m : doc.stamp.codes) b6 = b6 || m.code == "(b)(6)";
  for (const Mark& m : doc.marks) b6 = b6 || m.code == "(b)(6)";
  for (const PiiSpan& s : spans) {
    const bool same_kind =
        std::find(redacted.begin(), redacted.end(), s.kind) != redacted.end();

    Finding* f = emit.Add(RuleOf(s.kind), RulePack::FoldPiiValue(s.text));
    if (f == nullptr) continue;
    f->line = s.line;
    f->page = doc.PageOfLine(s.line);
    f->column = s.column;
    f->length = static_cast<int>(s.text.size());
    f->evidence = s.text;
    std::string why;
    if (same_kind) {
      why = absl::StrCat("; other ", A(PiiKindName(s.kind)),
                         " identifiers are redacted in this document");
    } else if (b6) {
      why = "; the document withholds personal data under (b)(6)";
    }
    if (!why.empty()) {
      f->severity = std::max(f->severity, pack.pii().escalated_severity);
    }
    f->message = absl::StrCat(A(PiiKindName(s.kind)), " \"", s.text,
                              "\" is visible", why);
  }
}

}  // namespace check_internal
}  // namespace ra
