// Line-as-fields reading shared by the parse stage: a pdftotext -layout line
// is a row of fields separated by wide gaps (two or more spaces, or a tab or
// form feed); single spaces stay inside a field. Columns are byte offsets.
#ifndef RA_PARSE_FIELDS_H_
#define RA_PARSE_FIELDS_H_

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace ra::parse_internal {

// A field of a line: bytes [begin, end) of the line.
struct Field {
  int begin = 0;
  int end = 0;
};

// A region of a line already explained by the stamp or a classification
// block: marks are not read there.
struct Span {
  int line = 0;  // 0-based line index
  int begin = 0;
  int end = 0;
};

// Clears `fields` and fills it with the fields of `line`, left to right.
void SplitFields(std::string_view line, std::vector<Field>* fields);

inline std::string_view FieldText(std::string_view line, Field f) {
  return line.substr(f.begin, f.end - f.begin);
}

// True for the bytes that separate words: space, tab, form feed, CR, VT.
inline bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\f' || c == '\r' || c == '\v';
}

// The first byte of `s` at or after `from` that is no white space
// (IsSpace); s.size() if none. Layout text is indented and padded with
// runs of spaces: they are skipped eight bytes at a time.
inline size_t SkipSpaces(std::string_view s, size_t from) {
  constexpr uint64_t kSpaces = 0x2020202020202020ULL;
  size_t p = from;
  for (uint64_t x; p + 8 <= s.size(); p += 8) {
    std::memcpy(&x, s.data() + p, 8);
    if (x != kSpaces) break;
  }
  while (p < s.size() && IsSpace(s[p])) ++p;
  return p;
}

// The end of the text before `end`: the smallest e <= end such that
// s[e, end) is white space only.
inline size_t SkipSpacesBack(std::string_view s, size_t end) {
  constexpr uint64_t kSpaces = 0x2020202020202020ULL;
  size_t e = end;
  for (uint64_t x; e >= 8; e -= 8) {
    std::memcpy(&x, s.data() + e - 8, 8);
    if (x != kSpaces) break;
  }
  while (e > 0 && IsSpace(s[e - 1])) --e;
  return e;
}

// True when line[from, to) may hold a field boundary: a byte below ' '
// (tab, form feed...) or two spaces in a row. Eight bytes at a time: most
// lines end in prose, where this is false and the field is too long.
inline bool MayHoldGap(std::string_view line, int from, int to) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  const char* p = line.data() + from;
  const int n = to - from;
  uint64_t prev_last_space = 0;
  int k = 0;
  for (; k + 8 <= n; k += 8) {
    uint64_t x;
    std::memcpy(&x, p + k, 8);
    if ((x - kOnes * 0x20) & ~x & kHigh) return true;  // some byte < 0x20
    const uint64_t y = x ^ (kOnes * 0x20);
    // 0x80 in each byte of x that is a space (exact).
    const uint64_t t = ~(((y & ~kHigh) + ~kHigh) | y | ~kHigh);
    if (t & (t >> 8)) return true;  // bytes i and i+1 (little-endian)
    if ((t & 0x80) && prev_last_space) return true;
    prev_last_space = t >> 63;
  }
  bool prev_space = prev_last_space != 0;
  for (; k < n; ++k) {
    const unsigned char c = static_cast<unsigned char>(p[k]);
    if (c < 0x20) return true;
    if (c == ' ' && prev_space) return true;
    prev_space = c == ' ';
  }
  return false;
}

// The last byte j of line[lo, end) after which a field starts: a tab, form
// feed, CR or VT, or a space at the line start or after white space (a
// single space between two non-space bytes stays in the field); -1 if
// none. With SSE2, sixteen bytes at a time from the right: candidates are
// the bytes below ' ' and the spaces after a byte <= ' ' (the byte before
// line[0] counted as a space); each is then tested exactly, and prose,
// where a space follows a letter, has few.
inline int LastGapByte(std::string_view line, int lo, int end) {
  const auto ends_gap = [line](int j) {
    const char c = line[j];
    if (static_cast<unsigned char>(c) > ' ') return false;
    return c == ' ' ? j == 0 || IsSpace(line[j - 1]) : IsSpace(c);
  };
  int e = end;
#ifdef __SSE2__
  // Blocks [e - 16, e) while they start in the line; the lowest may reach
  // left of lo, and its bytes there are dropped from the candidates.
  const auto at_most = [](__m128i v, char c) {  // unsigned v <= c
    return _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(c)), v);
  };
  for (; e > lo && e >= 16; e -= 16) {
    const int b = e - 16;
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(line.data() + b));
    const __m128i prev =
        b > 0 ? _mm_loadu_si128(reinterpret_cast<const __m128i*>(line.data() + b - 1))
              : _mm_or_si128(_mm_slli_si128(x, 1), _mm_cvtsi32_si128(' '));
    const __m128i control = at_most(x, 0x1f);
    const __m128i space = _mm_cmpeq_epi8(x, _mm_set1_epi8(' '));
    unsigned t = static_cast<unsigned>(_mm_movemask_epi8(
        _mm_or_si128(control, _mm_and_si128(space, at_most(prev, ' ')))));
    if (b < lo) t &= ~0u << (lo - b);
    for (; t != 0; t &= ~(1u << (31 - __builtin_clz(t)))) {
      const int j = b + 31 - __builtin_clz(t);
      if (ends_gap(j)) return j;
    }
  }
#endif
  for (int j = e - 1; j >= lo; --j) {
    if (ends_gap(j)) return j;
  }
  return -1;
}

std::string_view Trim(std::string_view s);
inline bool IsBlank(std::string_view s) { return SkipSpaces(s, 0) == s.size(); }
// ASCII case-insensitive prefix test and search.
bool StartsWithNoCase(std::string_view s, std::string_view prefix);
size_t FindNoCase(std::string_view s, std::string_view needle, size_t from = 0);
// True when s[pos..] starts with a date "MM/DD/YYYY".
bool IsDateAt(std::string_view s, size_t pos);

}  // namespace ra::parse_internal

#endif  // RA_PARSE_FIELDS_H_
