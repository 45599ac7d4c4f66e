#include "parse/fields.h"

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
  if (from > last) return std::string_view::npos;  // (i + 16 below would wrap for npos)
  // For a letter, c | 0x20 is its lower case and no other byte's: one test
  // a byte instead of a case fold.
  const bool letter = first >= 'a' && first <= 'z';
  size_t i = from;
#ifdef __SSE2__
  // With SSE2, sixteen starts at a time: the bytes equal to the needle's
  // first byte (after the same fold) and, for a needle of two bytes or
  // more, followed by its second. Most lines asked about (every line
  // before the stamp, for "EASE") hold few such pairs.
  const auto fold_of = [](char c) { return _mm_set1_epi8(c >= 'a' && c <= 'z' ? 0x20 : 0); };
  const auto equal = [](const char* p, __m128i fold, char c) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    return _mm_cmpeq_epi8(_mm_or_si128(x, fold), _mm_set1_epi8(c));
  };
  const __m128i fold = fold_of(first);
  const bool pair = !rest.empty();
  const char second = pair ? Lower(rest[0]) : 0;
  const __m128i fold2 = fold_of(second);
  // A start at i + 15 <= last reads its second byte at i + 16 < s.size().
  for (; i + 16 <= last + 1; i += 16) {
    __m128i hit = equal(s.data() + i, fold, first);
    if (pair) hit = _mm_and_si128(hit, equal(s.data() + i + 1, fold2, second));
    for (unsigned t = static_cast<unsigned>(_mm_movemask_epi8(hit)); t != 0; t &= t - 1) {
      const size_t at = i + static_cast<size_t>(__builtin_ctz(t));
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
