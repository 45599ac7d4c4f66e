#include "parse/fields.h"

#include <cstdint>
#include <cstring>

namespace ra::parse_internal {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

void SplitFields(std::string_view line, std::vector<Field>* fields) {
  fields->clear();
  const int n = static_cast<int>(line.size());
  int i = 0;
  while (i < n) {
    i = static_cast<int>(SkipSpaces(line, i));  // layout gaps: long runs of spaces
    if (i >= n) break;
    const int begin = i;
    int end = i;
    while (i < n) {
#ifdef __SSE2__
      // Words: skip the bytes above ' ' sixteen at a time.
      if (i + 16 <= n) {
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(line.data() + i));
        const __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(' ')), x);
        const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(low));
        const int words = mask == 0 ? 16 : __builtin_ctz(mask);
        if (words > 0) {
          i += words;
          end = i;
          continue;
        }
      }
#endif
      const char c = line[i];
      if (static_cast<unsigned char>(c) > ' ') {  // the common case
        ++i;
        end = i;
        continue;
      }
      if (c == ' ') {
        // A single space between two non-space bytes stays in the field.
        if (i + 1 < n && !IsSpace(line[i + 1])) {
          ++i;
          continue;
        }
        break;
      }
      if (IsSpace(c)) break;
      ++i;
      end = i;
    }
    fields->push_back(Field{begin, end});
  }
}

std::string_view Trim(std::string_view s) {
  const size_t b = SkipSpaces(s, 0);
  const size_t e = b == s.size() ? b : SkipSpacesBack(s, s.size());
  return s.substr(b, e - b);
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (Lower(s[i]) != Lower(prefix[i])) return false;
  }
  return true;
}

size_t FindNoCase(std::string_view s, std::string_view needle, size_t from) {
  if (needle.empty()) return from <= s.size() ? from : std::string_view::npos;
  if (s.size() < needle.size()) return std::string_view::npos;
  const char first = Lower(needle[0]);
  const std::string_view rest = needle.substr(1);
  const size_t last = s.size() - needle.size();  // last possible start
  // For a letter, c | 0x20 is its lower case and no other byte's: one test
  // a byte instead of a case fold.
  const bool letter = first >= 'a' && first <= 'z';
  size_t i = from;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  // Eight starts at a time: the bytes equal to the needle's first byte
  // (after the same fold), and, for a needle of two bytes or more, followed
  // by its second, are found at once as the zero bytes of x ^ first (and of
  // the next eight bytes ^ second). Most lines asked about (every line
  // before the stamp, for "EASE") hold few such pairs.
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  // 0x80 in each byte of y that is zero (exact: no carry between bytes).
  const auto zero_bytes = [](uint64_t y) { return ~(((y & kLow7) + kLow7) | y | kLow7); };
  const auto fold_of = [](char c) { return c >= 'a' && c <= 'z' ? kOnes * 0x20 : 0; };
  const uint64_t fold = fold_of(first);
  const uint64_t want = kOnes * static_cast<unsigned char>(first);
  const bool pair = !rest.empty();
  const char second = pair ? Lower(rest[0]) : 0;
  const uint64_t fold2 = fold_of(second);
  const uint64_t want2 = kOnes * static_cast<unsigned char>(second);
  // A start at i + 7 <= last reads its second byte at i + 8 < s.size().
  for (; i + 8 <= last + 1; i += 8) {
    uint64_t x;
    std::memcpy(&x, s.data() + i, 8);
    uint64_t t = zero_bytes((x | fold) ^ want);
    if (pair && t != 0) {
      std::memcpy(&x, s.data() + i + 1, 8);
      t &= zero_bytes((x | fold2) ^ want2);
    }
    for (; t != 0; t &= t - 1) {
      const size_t at = i + static_cast<size_t>(__builtin_ctzll(t)) / 8;
      if (StartsWithNoCase(s.substr(at + 1), rest)) return at;
    }
  }
#endif
  for (; i <= last; ++i) {
    const char c = s[i];
    if (letter ? (c | 0x20) != first : c != first) continue;
    if (StartsWithNoCase(s.substr(i + 1), rest)) return i;
  }
  return std::string_view::npos;
}

bool IsDateAt(std::string_view s, size_t pos) {
  if (pos + 10 > s.size()) return false;
  for (size_t k = 0; k < 10; ++k) {
    const char c = s[pos + k];
    if (k == 2 || k == 5) {
      if (c != '/') return false;
    } else if (!IsDigit(c)) {
      return false;
    }
  }
  return true;
}

}  // namespace ra::parse_internal
