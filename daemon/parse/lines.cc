#include "parse/lines.h"

#include <cstdint>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace ra::parse_internal {
namespace {

// True when text[at..] starts with `phrase`.
inline bool PhraseAt(std::string_view text, size_t at, std::string_view phrase) {
  return text.size() - at >= phrase.size() &&
         std::memcmp(text.data() + at, phrase.data(), phrase.size()) == 0;
}

// The LinePhrase bits of the phrases starting at text[at], a 'D', 'C' or
// 'b' (a phrase holds no line break: it lies in the line holding `at`).
inline char PhrasesAt(std::string_view text, size_t at) {
  switch (text[at]) {
    case 'D':
      return PhraseAt(text, at, "Doc No") ? kHeaderPhrase : 0;
    case 'C':
      if (PhraseAt(text, at, "Case")) return kHeaderPhrase;
      return PhraseAt(text, at, "Classified by") ? kClassifiedBy : 0;
    case 'b':
      return PhraseAt(text, at, "base") ? kHeaderPhrase : 0;
    default:
      return 0;
  }
}

// The line being scanned: where it starts and the phrases seen in it.
struct LineScan {
  std::string_view text;
  std::vector<std::string_view>* lines;
  std::vector<char>* phrases;
  size_t start = 0;
  char bits = 0;

  // Ends the line at the line break text[at].
  void Break(size_t at) {
    std::string_view line = text.substr(start, at - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines->push_back(line);
    phrases->push_back(bits);
    start = at + 1;
    bits = 0;
  }
  // Bytes [from, text.size()) one at a time, then the last line if the
  // text does not end with a line break.
  void Finish(size_t from) {
    for (size_t k = from; k < text.size(); ++k) {
      const char c = text[k];
      if (c == '\n') {
        Break(k);
      } else if (c == 'D' || c == 'C' || c == 'b') {
        bits |= PhrasesAt(text, k);
      }
    }
    if (start < text.size()) Break(text.size());
  }
};

LineScan StartScan(std::string_view text, std::vector<std::string_view>* lines,
                   std::vector<char>* phrases) {
  // Released text: ~50-80 bytes a line.
  lines->reserve(lines->size() + text.size() / 48 + 16);
  phrases->reserve(phrases->size() + text.size() / 48 + 16);
  return LineScan{text, lines, phrases};
}

}  // namespace

void ScanLines(std::string_view text, std::vector<std::string_view>* lines,
               std::vector<char>* phrases) {
  LineScan scan = StartScan(text, lines, phrases);
  size_t k = 0;
#ifdef __SSE2__
  // Sixty-four bytes a round: the line breaks and the phrases' first bytes
  // of four blocks of sixteen, as two bit masks.
  const auto eq = [](__m128i v, char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); };
  for (; k + 64 <= text.size(); k += 64) {
    uint64_t breaks = 0, firsts = 0;
#pragma GCC unroll 4
    for (int block = 0; block < 4; ++block) {
      const __m128i x =
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + k + 16 * block));
      const auto mask = [block](__m128i m) {
        return static_cast<uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(m)))
               << (16 * block);
      };
      breaks |= mask(eq(x, '\n'));
      firsts |= mask(_mm_or_si128(_mm_or_si128(eq(x, 'D'), eq(x, 'C')), eq(x, 'b')));
    }
    // In text order: a phrase's bits go to the line it is in.
    for (uint64_t bits = breaks | firsts; bits != 0; bits &= bits - 1) {
      const size_t at = k + static_cast<size_t>(__builtin_ctzll(bits));
      if ((breaks >> (at - k)) & 1) {
        scan.Break(at);
      } else {
        scan.bits |= PhrasesAt(text, at);
      }
    }
  }
#endif
  scan.Finish(k);
}

void ScanLinesByteByByte(std::string_view text, std::vector<std::string_view>* lines,
                         std::vector<char>* phrases) {
  StartScan(text, lines, phrases).Finish(0);
}

}  // namespace ra::parse_internal
