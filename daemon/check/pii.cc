#include "check/pii.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <optional>

#include "absl/container/inlined_vector.h"
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

// Digit shapes the SSN and phone patterns need (see FindDigitShapes).
struct DigitShapes {
  bool ssn = false, phone = false;
};

// What one cheap pass over a line tells: a detector runs only on lines
// that could hold its identifier, so most lines never reach RE2.
struct LineStats {
  int digits = 0;
  bool at = false;         // '@'
  bool plus = false;       // '+'
  bool hyphen = false;     // '-'
  bool non_ascii = false;  // a byte >= 0x80
  DigitShapes shapes;      // only when SSN or phone counts are met
};

#ifdef __SSE2__
// 0xff in the lanes of `x` that hold an ASCII digit: (unsigned)(c - '0') <= 9.
__m128i DigitLanes(__m128i x) {
  const __m128i d = _mm_sub_epi8(x, _mm_set1_epi8('0'));
  return _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
}

// The sixteen bytes at p, or the n < 16 there followed by NULs (a byte no
// scan looks for).
__m128i LoadBlock(const char* p, size_t n) {
  if (n >= 16) return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  alignas(16) char rest[16] = {};
  std::memcpy(rest, p, n);
  return _mm_load_si128(reinterpret_cast<const __m128i*>(rest));
}

// The last block of a line of `size` >= 16 bytes whose first `done` bytes
// were read sixteen at a time (size - done < 16), without a copy: its
// last sixteen bytes, those read before as NULs. Lane k holds byte
// size - 16 + k.
__m128i LoadLastBlock(const char* p, size_t size, size_t done) {
  alignas(16) static const unsigned char kNewLanes[32] = {
      0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
      0,    0,    0,    0,    0,    0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  const __m128i last = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + size - 16));
  return _mm_and_si128(
      last, _mm_loadu_si128(reinterpret_cast<const __m128i*>(kNewLanes + (size - done))));
}
#endif

// Digits counted, the characters of LineStats looked for, sixteen bytes at
// a time with SSE2 (every x86-64).
LineStats Scan(std::string_view line) {
  LineStats st;
#ifdef __SSE2__
  __m128i any_at = _mm_setzero_si128(), any_plus = any_at, any_hyphen = any_at,
          any_high = any_at;
  // Digits counted per byte lane (0xff per digit subtracted), summed
  // before a lane can overflow.
  __m128i lane_digits = _mm_setzero_si128();
  int rounds = 0;
  auto add_lanes = [&] {
    const __m128i sums = _mm_sad_epu8(lane_digits, _mm_setzero_si128());
    st.digits += _mm_cvtsi128_si32(sums) + _mm_cvtsi128_si32(_mm_srli_si128(sums, 8));
    lane_digits = _mm_setzero_si128();
    rounds = 0;
  };
  auto add_block = [&](const __m128i x) {
    lane_digits = _mm_sub_epi8(lane_digits, DigitLanes(x));
    any_at = _mm_or_si128(any_at, _mm_cmpeq_epi8(x, _mm_set1_epi8('@')));
    any_plus = _mm_or_si128(any_plus, _mm_cmpeq_epi8(x, _mm_set1_epi8('+')));
    any_hyphen = _mm_or_si128(any_hyphen, _mm_cmpeq_epi8(x, _mm_set1_epi8('-')));
    any_high = _mm_or_si128(any_high, x);
    if (++rounds == 255) add_lanes();
  };
  size_t i = 0;
  for (; i + 16 <= line.size(); i += 16) {
    add_block(_mm_loadu_si128(reinterpret_cast<const __m128i*>(line.data() + i)));
  }
  if (i < line.size()) {
    add_block(line.size() >= 16 ? LoadLastBlock(line.data(), line.size(), i)
                                : LoadBlock(line.data(), line.size()));
  }
  add_lanes();
  st.at = _mm_movemask_epi8(any_at) != 0;
  st.plus = _mm_movemask_epi8(any_plus) != 0;
  st.hyphen = _mm_movemask_epi8(any_hyphen) != 0;
  st.non_ascii = _mm_movemask_epi8(any_high) != 0;
#else
  for (const char ch : line) {
    const unsigned char c = static_cast<unsigned char>(ch);
    st.digits += c >= '0' && c <= '9';
    st.at = st.at || c == '@';
    st.plus = st.plus || c == '+';
    st.hyphen = st.hyphen || c == '-';
    st.non_ascii = st.non_ascii || c >= 0x80;
  }
#endif
  return st;
}

// The lines of `doc` (index 0 is line 1) that hold an ASCII digit or an
// '@', in order: every detector's pattern needs one, so no other line is
// looked at again. One pass over the text when the lines are views into it (in
// order, as the parser makes them), skipping to the next line at a line's
// first hit; else line by line.
std::vector<int> LinesWithDigitOrAt(const Document& doc) {
  const std::vector<std::string_view>& lines = doc.lines;
  std::vector<int> out;
  if (lines.empty()) return out;
  out.reserve(lines.size());  // no growing in steps
  const std::string_view all(doc.text);
  auto holds = [](std::string_view s) {
    return std::any_of(s.begin(), s.end(),
                       [](char c) { return (c >= '0' && c <= '9') || c == '@'; });
  };
  auto each_line = [&] {
    for (size_t i = 0; i < lines.size(); ++i) {
      if (holds(lines[i])) out.push_back(static_cast<int>(i));
    }
  };
  if (!LinesAreViewsInOrder(doc)) {
    each_line();
    return out;
  }
#ifdef __SSE2__
  const char* const base = all.data();
  size_t p = static_cast<size_t>(lines.front().data() - base);
  size_t li = 0;
  auto hits = [](__m128i x) {
    return _mm_or_si128(DigitLanes(x), _mm_cmpeq_epi8(x, _mm_set1_epi8('@')));
  };
  while (p < all.size() && li < lines.size()) {
    // Sixty-four bytes without a hit are passed over in one round.
    if (p + 64 <= all.size()) {
      __m128i any = _mm_setzero_si128();
      for (size_t k = 0; k < 64; k += 16) {
        any = _mm_or_si128(any, hits(_mm_loadu_si128(reinterpret_cast<const __m128i*>(base + p + k))));
      }
      if (_mm_movemask_epi8(any) == 0) {
        p += 64;
        continue;
      }
    }
    const unsigned mask = static_cast<unsigned>(
        _mm_movemask_epi8(hits(LoadBlock(base + p, all.size() - p))));
    if (mask == 0) {
      p += 16;
      continue;
    }
    const size_t hit = p + static_cast<size_t>(__builtin_ctz(mask));
    // The first line ending after the hit; the hit is in it unless it
    // falls between lines (a dropped '\r').
    while (li < lines.size() &&
           static_cast<size_t>(lines[li].data() + lines[li].size() - base) <= hit) {
      ++li;
    }
    if (li == lines.size()) break;
    const size_t begin = static_cast<size_t>(lines[li].data() - base);
    if (hit < begin) {
      p = hit + 1;
      continue;
    }
    out.push_back(static_cast<int>(li));
    p = begin + lines[li].size();
    ++li;
  }
#else
  each_line();
#endif
  return out;
}


// True when line[pos, pos + word.size()) is `word` (lower-case ASCII
// letters and '.') compared without ASCII case.
bool NoCaseAt(std::string_view line, size_t pos, std::string_view word) {
  if (pos + word.size() > line.size()) return false;
  for (size_t k = 0; k < word.size(); ++k) {
    if (absl::ascii_tolower(static_cast<unsigned char>(line[pos + k])) != word[k]) return false;
  }
  return true;
}

// Calls at(i), in order, for each i where line[i] is `letter` (a
// lower-case ASCII letter) in either case, until it returns true; with
// SSE2, sixteen bytes compared at a time ((c | 0x20) == letter only for
// the letter's two cases).
template <typename F>
bool AnyLetterAt(std::string_view line, char letter, F at) {
#ifdef __SSE2__
  const __m128i case_bit = _mm_set1_epi8(0x20);
  const __m128i want = _mm_set1_epi8(letter);
  // Calls at() for the letters among the bytes from `first` (lane 0).
  auto block = [&](const __m128i x, size_t first) {
    unsigned mask = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_or_si128(x, case_bit), want)));
    for (; mask != 0; mask &= mask - 1) {
      if (at(first + static_cast<size_t>(__builtin_ctz(mask)))) return true;
    }
    return false;
  };
  size_t base = 0;
  for (; base + 16 <= line.size(); base += 16) {
    if (block(_mm_loadu_si128(reinterpret_cast<const __m128i*>(line.data() + base)), base)) {
      return true;
    }
  }
  if (base == line.size()) return false;
  if (line.size() < 16) return block(LoadBlock(line.data(), line.size()), 0);
  return block(LoadLastBlock(line.data(), line.size(), base), line.size() - 16);
#else
  for (size_t i = 0; i < line.size(); ++i) {
    if (absl::ascii_tolower(static_cast<unsigned char>(line[i])) == letter && at(i)) return true;
  }
  return false;
#endif
}

// The pre-filters below are necessary conditions read off the patterns in
// Detectors(): each is false only for a line no match can be found in.
// Digits (\d), '@', '+', '-', '.', ' ' and '(' are ASCII in UTF-8 and
// match only themselves, so a count or a shape of them is exact on any
// line. A literal word under (?i) can also match non-ASCII letters (RE2
// folds U+017F into 's', U+212A into 'k'), so a word test is made only on
// a line without non-ASCII bytes, where a match is ASCII and (?i) is the
// ASCII case. pii_test checks each against its pattern on generated text.

// Byte classes of sixteen bytes of a line from `base` (bit k for byte
// base + k; none past the end).
struct BlockMasks {
  uint32_t digit = 0, sep = 0, hyphen = 0, plus = 0;  // sep: ' ', '.', '-'
};

BlockMasks MasksAt(std::string_view line, size_t base) {
  BlockMasks m;
#ifdef __SSE2__
  const __m128i x = LoadBlock(line.data() + base, line.size() - base);
  const __m128i hyphen = _mm_cmpeq_epi8(x, _mm_set1_epi8('-'));
  const __m128i sep = _mm_or_si128(hyphen, _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(' ')),
                                                        _mm_cmpeq_epi8(x, _mm_set1_epi8('.'))));
  m.digit = static_cast<uint32_t>(_mm_movemask_epi8(DigitLanes(x)));
  m.sep = static_cast<uint32_t>(_mm_movemask_epi8(sep));
  m.hyphen = static_cast<uint32_t>(_mm_movemask_epi8(hyphen));
  m.plus = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('+'))));
#else
  for (size_t k = 0; k < 16 && base + k < line.size(); ++k) {
    const char c = line[base + k];
    const uint32_t bit = 1u << k;
    if (c >= '0' && c <= '9') m.digit |= bit;
    if (c == ' ' || c == '.' || c == '-') m.sep |= bit;
    if (c == '-') m.hyphen |= bit;
    if (c == '+') m.plus |= bit;
  }
#endif
  return m;
}

// The digit shapes of the SSN and phone patterns, looked for in windows
// of 32 bytes (the previous sixteen and the next sixteen, as bits 0-31)
// moved sixteen bytes at a time: a shape of at most seventeen bytes
// starting in the first half lies wholly in the window.
//   SSN: every area alternative is three digits, so a match holds
//     ddd-dd-dddd.
//   Phone: the first alternative ends with \d{3}[ .-]\d{4}, the second
//     starts with \+\d{2,3}.
DigitShapes FindDigitShapes(std::string_view line) {
  DigitShapes out;
  // Bit i of a shape's mask: the shape starts at byte i of the window. A
  // window without digits holds none.
  auto test = [&out](const BlockMasks& lo, const BlockMasks& hi) {
    if ((lo.digit | hi.digit) == 0) return;
    const uint32_t d = lo.digit | hi.digit << 16, sep = lo.sep | hi.sep << 16,
                   h = lo.hyphen | hi.hyphen << 16, plus = lo.plus | hi.plus << 16;
    const uint32_t d3 = d & d >> 1 & d >> 2;  // three digits
    const uint32_t d4 = d3 & d >> 3;          // four digits
    out.ssn = out.ssn || (d3 & h >> 3 & d >> 4 & d >> 5 & h >> 6 & d4 >> 7) != 0;
    out.phone = out.phone || (d3 & sep >> 3 & d4 >> 4) != 0 || (plus & d >> 1 & d >> 2) != 0;
  };
  BlockMasks prev;
  for (size_t base = 0; base < line.size() && !(out.ssn && out.phone); base += 16) {
    const BlockMasks next = MasksAt(line, base);
    test(prev, next);
    prev = next;
  }
  test(prev, BlockMasks());  // shapes starting in the last sixteen bytes
  return out;
}

// Birth date: every keyword alternative (DOB, D.O.B, date of birth,
// birth ?date, born) holds "dob", "d.o.b", "birth" or "born"; every date
// alternative four digits at least.
__attribute__((noinline)) bool HasBirthWord(std::string_view line) {
  return AnyLetterAt(line, 'b', [line](size_t i) {
    return NoCaseAt(line, i, "birth") || NoCaseAt(line, i, "born") ||
           (i >= 2 && NoCaseAt(line, i - 2, "dob")) || (i >= 4 && NoCaseAt(line, i - 4, "d.o.b"));
  });
}

// Passport: the pattern starts with the word.
__attribute__((noinline)) bool HasPassportWord(std::string_view line) {
  return AnyLetterAt(line, 'p', [line](size_t i) { return NoCaseAt(line, i, "passport"); });
}

bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Characters of the e-mail pattern's local part ([A-Za-z0-9._%+'-]) and
// domain labels ([A-Za-z0-9-]).
bool IsLocalChar(char c) {
  return IsAsciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '\'' ||
         c == '-';
}
bool IsLabelChar(char c) { return IsAsciiAlnum(c) || c == '-'; }

// Where the domain part of an e-mail match starting at text[i] (just after
// the '@') ends, or npos. The pattern's domain is
// [A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}: a label, then labels
// after dots, the last dot followed by two letters or more. No quantifier
// can stop inside a label (the next character would have to be a '.'), so
// the labels are whole; RE2, trying the most repetitions of (?:...)*
// first, ends the match in the last label that starts with two letters,
// after its leading letters ("b.com-x.org", but "b.co" of "b.co.u1").
size_t EmailDomainEnd(std::string_view text, size_t i) {
  size_t j = i;
  while (j < text.size() && IsLabelChar(text[j])) ++j;
  if (j == i) return std::string_view::npos;
  size_t end = std::string_view::npos;
  while (j < text.size() && text[j] == '.') {
    const size_t label = j + 1;
    size_t letters = label;
    while (letters < text.size() && IsAsciiAlpha(text[letters])) ++letters;
    j = letters;
    while (j < text.size() && IsLabelChar(text[j])) ++j;
    if (j == label) break;  // an empty label ends the repetitions
    if (letters - label >= 2) end = letters;
  }
  return end;
}

struct Detector {
  PiiKind kind;
  const RE2* regex;  // group 1 is the identifier
};

const std::vector<Detector>& Detectors() {
  static const auto* const kDetectors = [] {
    auto* d = new std::vector<Detector>;
    d->push_back({PiiKind::kEmail,
                  new RE2(R"(([A-Za-z0-9][A-Za-z0-9._%+'-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}))")});
    d->push_back({PiiKind::kSsn,
                  new RE2(R"((?:^|[^\d-])((?:00[1-9]|0[1-9]\d|[1-578]\d\d|6[0-57-9]\d|66[0-57-9])-\d\d-\d{4})(?:$|[^\d-]))")});
    d->push_back({PiiKind::kPhone,
                  new RE2(R"((?:^|[^\d\w/-])((?:\+?1[ .-]?)?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}|\+\d{2,3}[ .-]\d{1,4}(?:[ .-]\d{2,4}){2,4})(?:$|[^\d\w/-]))")});
    d->push_back({PiiKind::kBirthDate,
                  new RE2(R"((?i)(?:\bDOB|\bD\.O\.B\.?|date of birth|birth ?date|\bborn(?: on)?)\s*[:\-]?\s*((?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})|(?:[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4})|(?:\d{1,2} [A-Z][a-z]{2,8} \d{4})))")});
    d->push_back({PiiKind::kPassport,
                  new RE2(R"((?i)passport\s*(?:no\.?|number|num\.?|#)?\s*[:#]?\s*([A-Z]{0,2}\d{6,9}))")});
    return d;
  }();
  return *kDetectors;
}

// The counts an SSN match needs (nine digits, a '-') and a phone match
// (ten digits, or seven and a '+').
bool SsnCounts(const LineStats& st) { return st.digits >= 9 && st.hyphen; }
bool PhoneCounts(const LineStats& st) {
  return st.digits >= 10 || (st.digits >= 7 && st.plus);
}

// False when `line`, of stats `st`, cannot hold a match of `kind`'s
// pattern (see the pre-filters above). Inlined: asked five times a line,
// most answers are a count compared.
inline __attribute__((always_inline)) bool MayMatch(PiiKind kind, std::string_view line, const LineStats& st) {
  switch (kind) {
    case PiiKind::kEmail:
      return st.at;
    case PiiKind::kSsn:
      return SsnCounts(st) && st.shapes.ssn;
    case PiiKind::kPhone:
      return PhoneCounts(st) && st.shapes.phone;
    case PiiKind::kBirthDate:
      return st.digits >= 4 && (st.non_ascii || HasBirthWord(line));
    case PiiKind::kPassport:
      return st.digits >= 6 && (st.non_ascii || HasPassportWord(line));
  }
  return true;
}

// Scan(line), with the digit shapes when the SSN's or the phone's counts
// are met.
LineStats StatsOf(std::string_view line) {
  LineStats st = Scan(line);
  if (SsnCounts(st) || PhoneCounts(st)) st.shapes = FindDigitShapes(line);
  return st;
}

// Field labels whose value is a kind of identifier.
const RE2& EmptyLabel() {
  static const RE2* const kRe = new RE2(
      R"((?i)^\s*(e-?mail|mail|phone|ph|tel|telephone|cell|cell phone|mobile|fax|home|ssn|social security(?: no\.?| number)?|dob|date of birth|passport(?: no\.?| number)?)\s*[:.#]?\s*(?:\(?B6\)?)?\s*$)");
  return *kRe;
}

// The end of the run of blanks (the bytes `blank` accepts) at s[i]: runs
// of eight spaces are passed in one comparison (OCR text indents lines
// with dozens), so `blank` must accept ' '.
template <typename Blank>
size_t SkipBlanks(std::string_view s, size_t i, Blank blank) {
  assert(blank(' '));
  constexpr uint64_t kEightSpaces = 0x2020202020202020;
  uint64_t eight;
  while (i + 8 <= s.size()) {
    std::memcpy(&eight, s.data() + i, 8);
    if (eight != kEightSpaces) break;
    i += 8;
  }
  while (i < s.size() && blank(s[i])) ++i;
  return i;
}

// False when `line` cannot match EmptyLabel: after its leading whitespace
// it does not start with one of the label words (compared without case).
// A non-ASCII byte where a word is compared is left to RE2, whose (?i)
// also folds letters such as U+017F into 's'. Saves running RE2 on almost
// every short line.
bool MayBeEmptyLabel(std::string_view line) {
  // RE2's \s: space, \t, \n, \f, \r.
  const size_t i = SkipBlanks(line, 0, [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
  });
  const std::string_view rest = line.substr(i);
  if (rest.empty()) return false;
  if (static_cast<unsigned char>(rest[0]) >= 0x80) return true;
  // The label words by first letter; most lines are rejected by it.
  auto starts = [rest](std::initializer_list<std::string_view> words) {
    for (const std::string_view start : words) {
      size_t k = 0;
      for (; k < start.size() && k < rest.size(); ++k) {
        const unsigned char c = static_cast<unsigned char>(rest[k]);
        if (c >= 0x80) return true;
        if (absl::ascii_tolower(c) != start[k]) break;
      }
      if (k == start.size()) return true;
    }
    return false;
  };
  switch (absl::ascii_tolower(static_cast<unsigned char>(rest[0]))) {
    case 'e':
      return starts({"e-mail", "email"});
    case 'm':
      return starts({"mail", "mobile"});
    case 'p':
      return starts({"ph", "passport"});
    case 't':
      return starts({"tel"});
    case 'c':
      return starts({"cell"});
    case 'f':
      return starts({"fax"});
    case 'h':
      return starts({"home"});
    case 's':
      return starts({"ssn", "social security"});
    case 'd':
      return starts({"dob", "date of birth"});
    default:
      return false;
  }
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
    } else if (domain == a ||
               (domain.size() > a.size() && domain[domain.size() - a.size() - 1] == '.' &&
                absl::EndsWith(domain, a)) ||
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
  const std::vector<Detector>& detectors = Detectors();
  for (const int l : LinesWithDigitOrAt(doc)) {
    if (header_lines[l + 1]) continue;
    const re2::StringPiece line(doc.lines[l].data(), doc.lines[l].size());
    const LineStats stats = StatsOf(doc.lines[l]);
    // Email needs '@', every other kind four digits.
    if (!stats.at && stats.digits < 4) continue;
    absl::InlinedVector<std::pair<int, int>, 4> taken;  // [begin, end) of earlier kinds
    for (const Detector& d : detectors) {
      if (!MayMatch(d.kind, doc.lines[l], stats)) continue;
      re2::StringPiece input = line;
      re2::StringPiece id;
      // FindAndConsume(&input, regex, &id); e-mail addresses found by
      // FindEmail, which finds what RE2 finds.
      auto next = [&] {
        if (d.kind != PiiKind::kEmail) return RE2::FindAndConsume(&input, *d.regex, &id);
        const std::optional<std::string_view> email =
            check_internal::FindEmail(std::string_view(input.data(), input.size()));
        if (!email.has_value()) return false;
        id = re2::StringPiece(email->data(), email->size());
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
        const std::string_view found(id.data(), id.size());
        if (d.kind == PiiKind::kEmail) {
          const std::string domain = absl::AsciiStrToLower(
              absl::string_view(found.data(), found.size()).substr(found.find('@') + 1));
          if (DomainAllowed(domain, pii)) continue;
        }
        std::string folded = RulePack::FoldPiiValue(found);
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
        out.push_back({d.kind, l + 1, col, std::string(found), std::move(folded)});
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
    const absl::string_view t(trimmed.data(), trimmed.size());
    // (Both endings end in 'o' or ':', which few lines end in.)
    if (!t.empty() && (t.back() == 'o' || t.back() == ':') &&
        (absl::EndsWith(t, "[mailto") || absl::EndsWith(t, "[mailto:"))) {
      add(PiiKind::kEmail);
    }
    // An empty label ("Phone:", "Social Security No.: (B6)") is short: at
    // most 48 bytes after the line's leading spaces and tabs. A longer
    // line is one only when white space comes right before its last 48
    // bytes, and all the way to its start.
    if (trimmed.size() > 48) {
      const char before = trimmed[trimmed.size() - 49];
      if (before != ' ' && before != '\t') continue;
      const size_t text_start =
          SkipBlanks(trimmed, 0, [](char c) { return c == ' ' || c == '\t'; });
      if (trimmed.size() - text_start > 48) continue;
    }
    // MayBeEmptyLabel skips the leading white space itself (and is false
    // on a line of white space only).
    if (MayBeEmptyLabel(raw)) {
      const re2::StringPiece line(raw.data(), raw.size());
      std::string label;
      if (RE2::FullMatch(line, EmptyLabel(), &label)) add(KindOfLabel(label));
    }
  }
  return out;
}

namespace check_internal {

const RE2& PiiPattern(PiiKind kind) {
  for (const Detector& d : Detectors()) {
    if (d.kind == kind) return *d.regex;
  }
  return *Detectors().front().regex;
}

bool PiiLineMayMatch(PiiKind kind, std::string_view line) {
  return MayMatch(kind, line, StatsOf(line));
}

std::optional<std::string_view> FindEmail(std::string_view text) {
  // A match holds one '@' (neither part may hold one) and no assertion, so
  // the first '@' with a local part before it and a domain after it is the
  // leftmost match's: a later '@' has its own local part after this one.
  size_t from = 0;
  while (from < text.size()) {
    const void* hit = std::memchr(text.data() + from, '@', text.size() - from);
    if (hit == nullptr) break;
    const size_t at = static_cast<size_t>(static_cast<const char*>(hit) - text.data());
    // The local part is the run of local-part characters before the '@'
    // from its first letter or digit ([A-Za-z0-9][A-Za-z0-9._%+'-]*).
    size_t start = at;
    while (start > from && IsLocalChar(text[start - 1])) --start;
    while (start < at && !IsAsciiAlnum(text[start])) ++start;
    if (start < at) {
      const size_t end = EmailDomainEnd(text, at + 1);
      if (end != std::string_view::npos) return text.substr(start, end - start);
    }
    from = at + 1;
  }
  return std::nullopt;
}

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

    Finding* f = emit.Add(RuleOf(s.kind), s.folded);
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
