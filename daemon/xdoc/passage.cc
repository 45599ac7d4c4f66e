#include "xdoc/passage.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

// PassageText format, one record per line, fields separated by one space
// (the last field of L/M/H records runs to the end of the line):
//   P <first_line>                 one per page, in order
//   D <disposition> <codes|->      stamp disposition name, codes comma-joined
//   L <line> <column> <text>       a body line; removed spans blanked;
//                                  <column> is where <text> starts
//   M <line> <column> <code|-> <printed>   a mark (its span is blanked)
//   H <line> <F|S|J> <value>       email header From / Sent / Subject
//   W <page> <line> <codes|->      a page withheld in full (its words are
//                                  left out), after the page's M records
// L, M, H and W records come in line order.

namespace ra::xdoc {
namespace {

// What one byte is to the scans below, by byte value.
enum : uint8_t {
  kWordByte = 1,      // [0-9A-Za-z] or >= 0x80
  kSlash = 2,         // '/'
  kDotOrDigit = 4,    // '.' [0-9]
  kDash = 8,          // '-'
  kSpellingHint = 16, // ':' '.' '=' '&' '%': may be in a link spelling
  kOOrP = 32,         // [oOpP]: ends a "to" or "tp" (mailto, hitp)
};

constexpr std::array<uint8_t, 256> kByteClass = [] {
  std::array<uint8_t, 256> c{};
  for (int b = 0; b < 256; ++b) {
    if ((b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') ||
        (b >= 'A' && b <= 'Z') || b >= 0x80) {
      c[b] |= kWordByte;
    }
    if (b == '.' || (b >= '0' && b <= '9')) c[b] |= kDotOrDigit;
  }
  c['/'] |= kSlash;
  c['-'] |= kDash;
  for (char b : {':', '.', '=', '&', '%'}) c[b] |= kSpellingHint;
  for (char b : {'o', 'O', 'p', 'P'}) c[b] |= kOOrP;
  return c;
}();

uint8_t ByteClass(char c) { return kByteClass[static_cast<unsigned char>(c)]; }

// Where the last `c` before `end` of `s` is, or npos: s.rfind(c, end - 1),
// with memrchr (rfind compares a byte at a time, and every body line is
// searched to its start for a '<' it rarely holds).
size_t LastBefore(std::string_view s, char c, size_t end) {
  end = std::min(end, s.size());
  const void* at = end == 0 ? nullptr : memrchr(s.data(), c, end);
  return at == nullptr ? std::string_view::npos
                       : static_cast<size_t>(static_cast<const char*>(at) - s.data());
}

bool IsWordByte(unsigned char c) { return kByteClass[c] & kWordByte; }

// WordKey, a byte at a time: lower case; 0 -> o, 1 i | -> l, 5 -> s.
constexpr std::array<uint8_t, 256> kWordFold = [] {
  std::array<uint8_t, 256> f{};
  for (int b = 0; b < 256; ++b) {
    f[b] = static_cast<uint8_t>(b >= 'A' && b <= 'Z' ? b - 'A' + 'a' : b);
  }
  f['0'] = 'o';
  f['1'] = f['i'] = f['I'] = f['|'] = 'l';
  f['5'] = 's';
  return f;
}();
// kWordFold for the bytes of a word (IsWordByte), 0 for the others.
constexpr std::array<uint8_t, 256> kWordFoldOrZero = [] {
  std::array<uint8_t, 256> f{};
  for (int b = 0; b < 256; ++b) {
    if (kByteClass[b] & kWordByte) f[b] = kWordFold[b];
  }
  return f;
}();
uint8_t WordFoldOrZero(char c) {
  return kWordFoldOrZero[static_cast<unsigned char>(c)];
}
constexpr uint32_t kWordKeySeed = 2166136261u;
uint32_t WordKeyStep(uint32_t h, char c) {
  return (h ^ kWordFold[static_cast<unsigned char>(c)]) * 16777619u;
}

// What BodyWords reads a byte as: a word byte's fold (above kBodyStop),
// kBodyStop for '<' (where a bracketed address may start) and '\n' (which
// follows an L record's text, and is in none), 0 for the other bytes.
constexpr uint8_t kBodyStop = 1;
constexpr std::array<uint8_t, 256> kBodyByte = [] {
  std::array<uint8_t, 256> f = kWordFoldOrZero;
  f['<'] = kBodyStop;
  f['\n'] = kBodyStop;
  return f;
}();
static_assert(kWordFoldOrZero['0'] > kBodyStop && kBodyByte['a'] == 'a');

// Stores a Word given as its two 8-byte halves: key and offset; line,
// column, optional_header and bracketed_address (two stores, not six).
static_assert(sizeof(Word) == 16 && offsetof(Word, key) == 0 &&
              offsetof(Word, offset) == 4 && offsetof(Word, line) == 8 &&
              offsetof(Word, column) == 12 &&
              offsetof(Word, optional_header) == 14 &&
              offsetof(Word, bracketed_address) == 15);
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__);
inline void StoreWord(uint64_t first, uint64_t second, Word* w) {
  std::memcpy(reinterpret_cast<char*>(w), &first, 8);
  std::memcpy(reinterpret_cast<char*>(w) + 8, &second, 8);
}

absl::string_view A(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

// Where the first of `patterns` (each starting with an upper-case ASCII
// letter) starts in `s`, or npos: a memchr per first letter (they are rare
// in body text), not a find per pattern.
size_t FindFirstCapitalized(std::string_view s,
                            std::initializer_list<std::string_view> patterns) {
  size_t best = std::string_view::npos;
  uint32_t searched = 0;  // bit c - 'A' for each first letter c searched
  for (std::string_view lead : patterns) {
    const char c = lead[0];
    if ((searched >> (c - 'A')) & 1) continue;
    searched |= 1u << (c - 'A');
    for (size_t p = s.find(c); p < best; p = s.find(c, p + 1)) {
      for (std::string_view w : patterns) {
        if (w[0] == c && s.substr(p, w.size()) == w) best = p;
      }
    }
  }
  return best;
}

// Blanks the stamp's disposition words ("RELEASE IN PART", "DENIED") from
// `line` when present.
void BlankStampWords(std::string& line) {
  for (const char* w : {"RELEASE IN", "RELEASED IN", "DENIED", "WITHHELD IN"}) {
    size_t p = line.find(w);
    if (p != std::string::npos) {
      size_t end = p;
      // Through the uppercase words that follow (PART, FULL, ...).
      while (end < line.size() &&
             (line[end] == ' ' || (line[end] >= 'A' && line[end] <= 'Z'))) {
        ++end;
      }
      std::fill(line.begin() + p, line.begin() + end, ' ');
    }
  }
}

char LowerAscii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// True when `s` at `p`, lower-cased (ASCII), starts with `lower`.
bool HasAtFolded(std::string_view s, size_t p, std::string_view lower) {
  if (p + lower.size() > s.size()) return false;
  for (size_t k = 0; k < lower.size(); ++k) {
    if (LowerAscii(s[p + k]) != lower[k]) return false;
  }
  return true;
}

// True when `chunk` (case folded) holds a piece of link spelling: a scheme
// (OCR reads included: "htto", "hitp", "mallto", "rnailto"), "www.", a
// query character, or a web or file extension.
bool HasLinkSpelling(std::string_view chunk) {
  // (Arrays of string_view: a list of char pointers took a strlen each.)
  static constexpr std::string_view kMailto[] = {"mailto", "mallto", "malito",
                                                 "mai1to"};
  static constexpr std::string_view kExtensions[] = {
      ".htm", ".php", ".jsp", ".asp",  ".cfm",  ".com/", ".org/", ".gov/",
      ".net/", ".jpg", ".gif", ".png", ".pdf", ".docx", ".xlsx", ".pptx"};
  for (size_t p = 0; p < chunk.size(); ++p) {
    switch (LowerAscii(chunk[p])) {
      case '=': case '&': case '%':
        return true;
      case ':':
        if (HasAtFolded(chunk, p, "://")) return true;
        break;
      case 'h':
        if (HasAtFolded(chunk, p, "http:") || HasAtFolded(chunk, p, "https:") ||
            HasAtFolded(chunk, p, "hitp")) {
          return true;
        }
        break;
      case 'w':
        if (HasAtFolded(chunk, p, "www.")) return true;
        break;
      case 'm':
        for (std::string_view w : kMailto) {
          if (HasAtFolded(chunk, p, w)) return true;
        }
        break;
      case 'r':
        if (HasAtFolded(chunk, p, "rnailto")) return true;
        break;
      case '.':
        if (p + 4 > chunk.size()) break;  // no extension is shorter
        for (std::string_view w : kExtensions) {
          if (HasAtFolded(chunk, p, w)) return true;
        }
        break;
      default:
        break;
    }
  }
  return false;
}

// True when `chunk` (lower case) is a bare email address whose '@' or
// quote the text layer read as '%', '&' or "(&" ("peter.quilter@mail.house.
// gov%", "hr15(&tt.blackberrv.net,"): an address, not a link, which copies
// print alike.
bool BareAddressChunk(std::string_view chunk) {
  if (chunk.empty() || chunk[0] == '[' || chunk[0] == '<' ||
      chunk.find("to:") != std::string_view::npos ||
      chunk.find("://") != std::string_view::npos ||
      chunk.find('/') != std::string_view::npos ||
      chunk.find('=') != std::string_view::npos) {
    return false;
  }
  const size_t at = chunk.find_first_of("@&");
  if (at == std::string_view::npos || at == 0) return false;
  for (const char* tld : {".com", ".gov", ".net", ".org", ".mil", ".edu"}) {
    const size_t p = chunk.find(tld, at);
    if (p != std::string_view::npos && p > at + 1) return true;
  }
  return false;
}

// A link chunk (one BlankLinks blanks on its own, without a link before it
// on the line) holds one of these, each a byte or a few of the line:
//   '=' '&' '%'                 query bytes (HasLinkSpelling)
//   ':'                         "://", "http:", "https:", "[...to:"
//   '/'                         a slash (pieces and continuations of links)
//   '<'                         "<ht"
//   "htt"                       a chunk starting so
//   "itp" "lto" "ito" "1to"     in "hitp" and each mailto spelling
//                               ("mailto", "mallto", "malito", "mai1to",
//                               "rnailto"); matched as [hil1]t[op]
//   '.' + letter, "www."        web and file extensions, "www."
// (all without case). Without a link before it on the line, the rules that
// extend one (words after it on the line) never apply to a chunk.
//
// LinkByteAt tells for the byte at `k`; NextLinkByte asks it at every byte
// that is one of = & % : / < . t T (sixteen bytes compared at a time with
// SSE2), where BlankLinks costs several instructions a byte.
bool LinkByteAt(std::string_view line, size_t k) {
  const size_t n = line.size();
  switch (line[k]) {
    case '=': case '&': case '%': case ':': case '/': case '<':
      return true;
    case '.':
      if (k + 1 < n && ((line[k + 1] | 0x20) >= 'a' && (line[k + 1] | 0x20) <= 'z')) {
        return true;
      }
      return k >= 3 && HasAtFolded(line, k - 3, "www");
    case 't': case 'T':
      if (k >= 1 && k + 1 < n) {
        const char before = LowerAscii(line[k - 1]);
        const char after = LowerAscii(line[k + 1]);
        if (before == 'h' && after == 't') return true;
        return (before == 'i' || before == 'l' || before == '1') &&
               (after == 'o' || after == 'p');
      }
      return false;
    default:
      return false;
  }
}

// The first byte of `line` at `from` or after for which LinkByteAt is
// true, or npos. With SSE2, sixteen bytes at a time are tested with their
// neighbours as LinkByteAt tests them (a 't' between [hil1] and [top], a
// '.' before a letter or after a 'w'), so that LinkByteAt, which decides,
// is asked about few bytes besides those it is true for.
#ifdef __SSE2__
// The bytes of `x` that may be LinkByteAt bytes, as a bit mask; `before`
// and `after` hold the bytes before and after each.
inline __attribute__((always_inline)) unsigned LinkByteCandidates(
    __m128i x, __m128i before, __m128i after) {
  const auto eq = [](__m128i v, char c) {
    return _mm_cmpeq_epi8(v, _mm_set1_epi8(c));
  };
  const __m128i lower = _mm_set1_epi8(0x20);
  const __m128i before_l = _mm_or_si128(before, lower);
  const __m128i after_l = _mm_or_si128(after, lower);
  // (Written out: a loop over a list of the bytes was compiled as one,
  // building each byte's vector on every block.)
  __m128i hit = _mm_or_si128(_mm_or_si128(eq(x, '='), eq(x, '&')),
                             _mm_or_si128(eq(x, '%'), eq(x, ':')));
  hit = _mm_or_si128(hit, _mm_or_si128(eq(x, '/'), eq(x, '<')));
  const __m128i after_letter =
      _mm_and_si128(_mm_cmpgt_epi8(after_l, _mm_set1_epi8('a' - 1)),
                    _mm_cmpgt_epi8(_mm_set1_epi8('z' + 1), after_l));
  hit = _mm_or_si128(
      hit, _mm_and_si128(eq(x, '.'),
                         _mm_or_si128(after_letter, eq(before_l, 'w'))));
  const __m128i htt = _mm_and_si128(eq(before_l, 'h'), eq(after_l, 't'));
  const __m128i ito = _mm_and_si128(
      _mm_or_si128(_mm_or_si128(eq(before_l, 'i'), eq(before_l, 'l')),
                   eq(before, '1')),
      _mm_or_si128(eq(after_l, 'o'), eq(after_l, 'p')));
  hit = _mm_or_si128(hit, _mm_and_si128(eq(_mm_or_si128(x, lower), 't'),
                                        _mm_or_si128(htt, ito)));
  return static_cast<unsigned>(_mm_movemask_epi8(hit));
}
#endif

// A byte WritePassage takes a body line's slow path at, besides the link
// bytes: a '[' (BlankHeaderBrackets blanks from one) or a byte up to '\r'
// (a '\t', '\n' or '\r' is written as a space).
bool IsLineStopByte(char c) {
  return c == '[' || static_cast<unsigned char>(c) <= 0x0D;
}

// The first byte of `line` at `from` or after for which LinkByteAt is true
// (with kLineStops, or IsLineStopByte), or npos.
template <bool kLineStops>
size_t NextStop(std::string_view line, size_t from) {
  const auto stop_at = [&line](size_t at) {
    return LinkByteAt(line, at) || (kLineStops && IsLineStopByte(line[at]));
  };
  const size_t n = line.size();
  size_t k = from;
#ifdef __SSE2__
  // The first stop among candidates `bits` of the block at k.
  const auto first = [&stop_at](unsigned bits, size_t k) {
    for (; bits != 0; bits &= bits - 1) {
      const size_t at = k + static_cast<size_t>(__builtin_ctz(bits));
      if (stop_at(at)) return at;
    }
    return std::string_view::npos;
  };
  const auto load = [](const char* p) {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  };
  const auto candidates = [](__m128i x, __m128i before, __m128i after) {
    unsigned bits = LinkByteCandidates(x, before, after);
    if constexpr (kLineStops) {
      const __m128i top = _mm_set1_epi8(0x0D);
      const __m128i low = _mm_cmpeq_epi8(_mm_max_epu8(x, top), top);
      bits |= static_cast<unsigned>(_mm_movemask_epi8(
          _mm_or_si128(low, _mm_cmpeq_epi8(x, _mm_set1_epi8('[')))));
    }
    return bits;
  };
  if (k == 0 && n >= 17) {
    const __m128i x = load(line.data());
    const size_t at =
        first(candidates(x, _mm_slli_si128(x, 1), load(line.data() + 1)), 0);
    if (at != std::string_view::npos) return at;
    k = 16;
  }
  for (; k + 17 <= n; k += 16) {
    const char* p = line.data() + k;
    const size_t at = first(candidates(load(p), load(p - 1), load(p + 1)), k);
    if (at != std::string_view::npos) return at;
  }
  if (k >= n) return std::string_view::npos;
  if (n >= 17) {
    // The last sixteen bytes (the ones before k tested already); the last
    // byte has no byte after it (a zero is no candidate nor a neighbour of
    // one).
    const size_t q = n - 16;
    const __m128i x = load(line.data() + q);
    const unsigned bits =
        candidates(x, load(line.data() + q - 1), _mm_srli_si128(x, 1)) &
        (~0u << (k - q));
    return first(bits, q);
  }
  // A short line (at most 16 bytes from k), copied after a zero byte into a
  // buffer of zeros.
  char buf[48] = {};
  const size_t r = n - k;
  if (k == 0) {
    std::memcpy(buf + 1, line.data(), r);
  } else {
    std::memcpy(buf, line.data() + k - 1, r + 1);
  }
  const unsigned mask = (1u << r) - 1;
  return first(candidates(load(buf + 1), load(buf), load(buf + 2)) & mask, k);
#else
  for (; k < n; ++k) {
    if (stop_at(k)) return k;
  }
  return std::string_view::npos;
#endif
}

size_t NextLinkByte(std::string_view line, size_t from) {
  return NextStop<false>(line, from);
}

// Blanks links ("http://...", "www...", "[mailto:...]", "report.pdf"):
// copies of one email differ in whether the text layer spells them out. A
// few words between two links of a line are one link the text layer read
// with spaces ("hitp.i/www.example.com/pdf/PPP Release OH 903.pdf").
//
// Chunks no rule can make a link are skipped: while no link of the line is
// near (none yet, or more than kMaxLinkGapChunks chunks back), only a
// chunk holding a byte NextLinkByte finds can be one. `no_link_byte_before`:
// the line holds no LinkByteAt byte before it (blanking only takes them
// away: a space is none, nor makes its neighbours one).
void BlankLinks(std::string& line, size_t no_link_byte_before) {
  constexpr int kMaxLinkGapChunks = 4;
  size_t last_link_end = std::string::npos;  // of the last link chunk
  int chunks_since_link = 0;
  size_t i = 0;
  while (i < line.size()) {
    if (last_link_end == std::string::npos ||
        chunks_since_link > kMaxLinkGapChunks) {
      // On to the chunk holding the next such byte, if any (not a space).
      const size_t k = NextLinkByte(line, std::max(i, no_link_byte_before));
      if (k == std::string_view::npos) return;
      const size_t space = LastBefore(line, ' ', k);
      if (space != std::string::npos && space >= i) i = space + 1;
    }
    while (i < line.size() && line[i] == ' ') ++i;
    size_t j = i;
    uint8_t seen = 0;  // byte classes in the chunk
    int dashes = 0;
    bool double_dash = false;
    bool to_or_tp = false;
    for (; j < line.size() && line[j] != ' '; ++j) {
      const uint8_t c = ByteClass(line[j]) & ~kWordByte;
      if (c == 0) continue;
      seen |= c;
      if (c & kDash) {
        ++dashes;
        if (j > i && line[j - 1] == '-') double_dash = true;
      }
      if ((c & kOOrP) && j > i && LowerAscii(line[j - 1]) == 't') {
        to_or_tp = true;
      }
    }
    // Every link spelling holds a hint byte, or a "to" or "tp" in four
    // letters or more ("hitp", "mailto").
    if (to_or_tp && j - i >= 4) seen |= kSpellingHint;
    const bool slash = seen & kSlash;
    const bool dot_or_digit = seen & kDotOrDigit;
    const std::string_view chunk = std::string_view(line).substr(i, j - i);
    // OCR reads of a scheme ("htto", "hitp", "mallto", "rnailto") too.
    bool link = ((seen & kSpellingHint) && HasLinkSpelling(chunk)) ||
                HasAtFolded(chunk, 0, "htt") || HasAtFolded(chunk, 0, "<ht");
    if (link) {
      std::string lower(chunk);
      for (char& c : lower) c = LowerAscii(c);
      if (BareAddressChunk(lower)) link = false;
    }
    // "[maitto:HDR22@...]": any OCR read of a bracketed mailto.
    if (!link && chunk.size() > 4 && chunk[0] == '[') {
      for (size_t p = 0; p <= 8 && !link; ++p) link = HasAtFolded(chunk, p, "to:");
    }
    // A piece of a link read with spaces: a chunk with a slash, or a slug
    // of three words or more joined by '-', shortly after a link on the
    // line ("http ://www. sp lcenter. org/inte", "/2009/n
    // aa-war-inguiry-chilcot-blair").
    if (last_link_end != std::string::npos &&
        chunks_since_link < kMaxLinkGapChunks &&
        (slash || (dashes >= 2 && !double_dash))) {  // not a dash
      link = true;
    }
    // A wrapped link's continuation: a long chunk with a slash and a dot
    // or a digit ("content/uploads/2010/07/", not "off-shore/on-shore").
    if (chunk.size() >= 15 && slash && dot_or_digit) link = true;
    // A link in angle brackets runs to its '>' on the line, spaces and
    // all ("<htt2://business.theatlantic.com/big pharmas top_ said.pho>").
    if (link && line[i] == '<') {
      const size_t close = line.find('>', i);
      if (close != std::string::npos) j = close + 1;
    }
    // And back from its '>' to its '<' ("<hLt. r,-//www  t:aJ-)h .html>").
    size_t open = std::string::npos;
    if (link && line[j - 1] == '>') {
      open = line.rfind('<', j - 1);
      if (open != std::string::npos && open < i &&
          line.find('>', open) < i) {
        open = std::string::npos;  // that '<' is closed before this chunk
      }
    }
    if (link) {
      size_t from =
          last_link_end != std::string::npos &&
                  chunks_since_link <= kMaxLinkGapChunks
              ? last_link_end
              : i;
      if (open != std::string::npos) from = std::min(from, open);
      std::fill(line.begin() + from, line.begin() + j, ' ');
      last_link_end = j;
      chunks_since_link = 0;
    } else if (j > i) {
      ++chunks_since_link;
    }
    i = j;
  }
}

// Blanks the bracketed part of an address header line ("From: Harold Koh
// [mailto:...]", "To: ...; Huma Abedin [mailto:...]"), up to its ']' or
// the line's end, with a one-letter OCR read of a bar just before it
// ("I [ma ilto:", "l[nnailto:"): copies spell it out, withhold it, or read
// "mailto" in ways BlankLinks does not know ("[maiho:", "[mak°").
void BlankHeaderBrackets(std::string& line) {
  // Nothing to blank without a '[' (one memchr: many lines are indented).
  if (std::memchr(line.data(), '[', line.size()) == nullptr) return;
  size_t name = 0;
  while (name < line.size() && line[name] == ' ') ++name;
  // Each field name starts with one of these letters (folded).
  if (name == line.size()) return;
  const char lead = LowerAscii(line[name]);
  if (lead != 'f' && lead != 't' && lead != 'c' && lead != 'b') return;
  // The colon within 6 bytes of the name's start (searched there only:
  // every body line comes here), the name folded in place.
  const size_t colon =
      std::string_view(line).substr(0, name + 7).find(':', name);
  if (colon == std::string::npos) return;
  std::string_view field = std::string_view(line).substr(name, colon - name);
  while (!field.empty() && field.back() == ' ') field.remove_suffix(1);
  bool address = false;
  for (std::string_view f : {"from", "to", "cc", "bcc"}) {
    address |= field.size() == f.size() && HasAtFolded(field, 0, f);
  }
  if (!address) return;
  size_t open = line.find('[', colon);
  while (open != std::string::npos) {
    size_t from = open;
    // A lone letter read for a bar, next to the bracket or one space off.
    size_t b = from;
    while (b > colon + 1 && line[b - 1] == ' ' && from - b < 1) --b;
    if (b > colon + 1 && std::memchr("Il|1", line[b - 1], 4) != nullptr &&
        (b - 1 == colon + 1 || line[b - 2] == ' ')) {
      from = b - 1;
    }
    const size_t close = line.find(']', open);
    const size_t end = close == std::string::npos ? line.size() : close + 1;
    std::fill(line.begin() + from, line.begin() + end, ' ');
    open = line.find('[', end);
  }
}

// True when the chunk at `at` of `line` ('<' at `at`) opens a link.
bool OpensLink(std::string_view line, size_t at) {
  const std::string_view rest = line.substr(at + 1, 12);
  return rest.rfind("ht", 0) == 0 || rest.rfind("www", 0) == 0 ||
         rest.find("://") != std::string_view::npos;
}

// Blanks the continuation of a link in angle brackets that an earlier body
// line opened and left open ("<http://www.guardian.co.uk/world/2010/oct/26/
// us-veteran-" wrapped onto "killed-iraqis-tea-party> two unarmed"): from
// the line's start to its first '>', or a whole line of at most two chunks
// with no '>' (a garbled piece of the link, "1N_:slne-4-01.-1-").
// `open_lines` counts the body lines a link stays open for (0: none).
// Whether this line opens one is decided on the line before any blanking.
void BlankLinkContinuation(std::string& line, int& open_lines) {
  constexpr int kOpenLines = 3;
  if (open_lines == 0) {
    // No link open: the line matters only if it opens one, in angle
    // brackets (it holds a '<') or bare and broken after a '-' or '/' at
    // its end. Most lines do neither, and are passed by here.
    size_t end = line.size();
    while (end > 0 && line[end - 1] == ' ') --end;
    if (end == 0) return;
    if (line[end - 1] != '-' && line[end - 1] != '/' &&
        std::memchr(line.data(), '<', end) == nullptr) {
      return;
    }
  }
  size_t first = 0;
  while (first < line.size() && line[first] == ' ') ++first;
  if (first == line.size()) return;  // an empty line keeps the link open
  const size_t last_open = LastBefore(line, '<', line.size());
  const size_t last_close = LastBefore(line, '>', line.size());
  // A link left open: in angle brackets, or a bare one that ends the line
  // broken after a '-' or '/' ("http://maxblumenthal.com/2010/03/pastor-").
  size_t end = line.size();
  while (end > first && line[end - 1] == ' ') --end;
  const size_t last_space = LastBefore(line, ' ', end);
  const size_t last_chunk = last_space == std::string::npos ? first : last_space + 1;
  const std::string_view tail =
      std::string_view(line).substr(last_chunk, end - last_chunk);
  const bool opens_bracket =
      last_open != std::string::npos &&
      (last_close == std::string::npos || last_close < last_open) &&
      OpensLink(line, last_open);
  const bool opens =
      opens_bracket ||
      ((tail.back() == '-' || tail.back() == '/') &&
       (tail.rfind("http", 0) == 0 || tail.rfind("www.", 0) == 0 ||
        tail.find("://") != std::string_view::npos));
  if (open_lines > 0) {
    --open_lines;
    std::string_view body = std::string_view(line).substr(first);
    while (!body.empty() && body.back() == ' ') body.remove_suffix(1);
    auto count = [](std::string_view t, std::string_view of) {
      int n = 0;
      for (char c : t) n += of.find(c) != std::string_view::npos ? 1 : 0;
      return n;
    };
    const size_t close = body.find('>');
    const size_t lt = body.find('<');
    size_t chunk_end = body.find(' ');
    if (chunk_end == std::string_view::npos) chunk_end = body.size();
    const std::string_view chunk = body.substr(0, chunk_end);
    // The slug the link goes on with ("Effective-Innovative-Non-Profitsh",
    // its '>' read as a letter; "set-to-spend-on-your-u-s-election&title=").
    const bool slug =
        lt > chunk_end &&
        (count(chunk, "/%=&") > 0 || count(chunk, "+") >= 2 ||
         count(chunk, "_") >= 2 ||
         (count(chunk, "-") >= 2 && chunk.find("--") == std::string_view::npos));
    if (close != std::string_view::npos && lt > close && close <= 160 &&
        count(body.substr(0, close), " ") <= 3) {
      // Its end, a few OCR spaces in it ("..._clients_of firm_tied_to.html>").
      std::fill(line.begin() + first, line.begin() + first + close + 1, ' ');
      open_lines = 0;
    } else if (close == std::string_view::npos && lt == std::string_view::npos &&
               count(body, " ") <= 5 && count(body, "+%=&_/") >= 3) {
      // A whole line of it, a query read with spaces ("f+typica l+col ...").
      std::fill(line.begin(), line.end(), ' ');
      open_lines = kOpenLines;
    } else if (slug) {
      std::fill(line.begin() + first, line.begin() + first + chunk_end, ' ');
      open_lines = chunk_end == body.size() ? kOpenLines : 0;
    } else if (close == std::string_view::npos && body.size() <= 40 &&
               count(body, " ") <= 1 && count(body, "-_/.:") > 0) {
      std::fill(line.begin(), line.end(), ' ');  // a garbled piece of it
    } else {
      open_lines = 0;  // text again: the link ended unseen
    }
  }
  if (opens) open_lines = kOpenLines;
  // A link in angle brackets left open runs to the line's end when a few
  // chunks follow it there, read with spaces ("<http://bio9.sunlicfht
  // foundation.com/2010/01/22/wait-can-   n-comoanies nnw-soend--").
  if (opens_bracket) {
    // Each chunk after it a piece of a link too (not "(3-1): Competitive
    // bid" after "<http://www.aqueductentertainment.comk", its '>' read
    // as a letter).
    int chunks = 0;
    bool pieces = true;
    for (size_t i = last_open; i < end && pieces && chunks <= 4;) {
      while (i < end && line[i] == ' ') ++i;
      size_t j = i;
      while (j < end && line[j] != ' ') ++j;
      if (j == i) break;
      ++chunks;
      if (std::string_view(line).substr(i, j - i).find_first_of("-/._%=&+") ==
          std::string_view::npos) {
        pieces = false;
      }
      i = j;
    }
    if (chunks <= 4 && pieces) {
      std::fill(line.begin() + last_open, line.end(), ' ');
    }
  }
}

// Blanks a printed classification block ("Classified by ... Class:
// CONFIDENTIAL — Reason: 1.4(D) — Declassify on: 05/24/2026") from where it
// starts on `line` to the line's end, and on up to three following lines
// that continue it from about the same column (`block_column`, -1 when no
// block is open): only copies released after a classification review
// print it, often in a column beside the text. `may_print_block` is false
// when the document holds no first word of the block's phrases (then none of
// its lines does: blanking only adds spaces).
void BlankClassification(std::string& line, bool may_print_block,
                         int& block_column, int& block_lines) {
  // ("Declassify on" is found as "Declassify".)
  size_t start =
      may_print_block
          ? FindFirstCapitalized(line, {"Classified by", "Reason: 1.",
                                        "Declassify", "Class: CONFIDENTIAL",
                                        "Class: SECRET"})
          : std::string::npos;
  const bool phrase = start != std::string::npos;
  if (block_column >= 0 && block_lines-- > 0) {
    size_t from = static_cast<size_t>(std::max(0, block_column - 2));
    while (from < line.size() && line[from] == ' ') ++from;
    if (from < line.size() && from < start) {
      const std::string_view rest = std::string_view(line).substr(from);
      bool more = phrase || (rest.size() >= 10 &&
                             std::isdigit(static_cast<unsigned char>(rest[0])) &&
                             std::isdigit(static_cast<unsigned char>(rest[1])) &&
                             rest[2] == '/');
      for (const char* w : {"CONFIDENTIAL", "SECRET", "Reason", "Declassify",
                            "on:", "\xe2\x80\x94"}) {
        if (rest.rfind(w, 0) == 0) more = true;
      }
      if (more) start = from;
    }
  } else if (!phrase) {
    block_column = -1;
  }
  if (start == std::string::npos) return;
  std::fill(line.begin() + start, line.end(), ' ');
  if (phrase && block_column < 0) block_column = static_cast<int>(start);
  if (phrase) block_lines = 3;
}

// A classification banner line ("SENSITIVE BUT UNCLASSIFIED",
// "UNCLASSIFIED"), printed at page tops and bottoms in some copies only.
// False when `s` holds no '\t', '\n' nor '\r': it holds no byte below
// 0x0E (sixteen bytes tested at a time with SSE2).
bool MayHoldTabOrBreak(std::string_view s) {
  size_t k = 0;
#ifdef __SSE2__
  const __m128i top = _mm_set1_epi8(0x0D);
  for (; k + 16 <= s.size(); k += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + k));
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(x, top), top)) != 0) {
      return true;
    }
  }
#endif
  for (; k < s.size(); ++k) {
    if (static_cast<unsigned char>(s[k]) <= 0x0D) return true;
  }
  return false;
}

// (`first_word`: where the line's first word byte is, or its size.)
bool IsBannerLine(std::string_view line, size_t first_word) {
  bool any = false;
  size_t i = first_word;
  // Every banner word starts with one of these capitals.
  if (i == line.size()) return false;
  const char lead = line[i];
  if (lead != 'U' && lead != 'B' && lead != 'C' && lead != 'S') return false;
  while (i < line.size()) {
    while (i < line.size() && !IsWordByte(line[i])) ++i;
    size_t j = i;
    while (j < line.size() && IsWordByte(line[j])) ++j;
    if (j == i) break;
    const std::string_view w = line.substr(i, j - i);
    if (w != "UNCLASSIFIED" && w != "SENSITIVE" && w != "BUT" &&
        w != "CONFIDENTIAL" && w != "SECRET" && w != "SBU") {
      return false;
    }
    any = true;
    i = j;
  }
  return any;
}



uint64_t HashWords(std::string_view value, bool drop_reply_prefix) {
  uint64_t h = 1469598103934665603ull;
  size_t i = 0;
  bool leading = drop_reply_prefix;
  while (i < value.size()) {
    while (i < value.size() && !IsWordByte(value[i])) ++i;
    size_t j = i;
    while (j < value.size() && IsWordByte(value[j])) ++j;
    if (j == i) break;
    const uint32_t k = WordKey(value.substr(i, j - i));
    i = j;
    static const uint32_t kRe = WordKey("re");
    static const uint32_t kFw = WordKey("fw");
    static const uint32_t kFwd = WordKey("fwd");
    if (leading && (k == kRe || k == kFw || k == kFwd)) {
      continue;
    }
    leading = false;
    h = (h ^ k) * 1099511628211ull;
  }
  return h;
}

// absl::SimpleAtoi, with std::from_chars first for the plain decimal
// numbers a PassageText writes (SimpleAtoi also takes spaces and a '+').
bool ParseInt(absl::string_view field, int* out) {
  const char* end = field.data() + field.size();
  const std::from_chars_result r = std::from_chars(field.data(), end, *out);
  if (r.ec == std::errc() && r.ptr == end && !field.empty()) return true;
  return absl::SimpleAtoi(field, out);
}

// A comma-joined code list of a D or W record; "-" for none.
std::vector<std::string> CodeList(absl::string_view codes) {
  std::vector<std::string> out;
  if (codes == "-") return out;
  for (absl::string_view c : absl::StrSplit(codes, ',')) out.emplace_back(c);
  return out;
}

}  // namespace

bool IsOptionalHeaderLine(std::string_view line) {
  // Each name starts with one of these letters (folded).
  if (line.empty()) return false;
  const char lead = LowerAscii(line[0]);
  if (lead != 't' && lead != 'c' && lead != 'b' && lead != 'a' && lead != 'i') {
    return false;
  }
  const size_t colon = line.substr(0, 13).find(':');
  if (colon == std::string_view::npos || colon > 12) return false;
  std::string_view name = line.substr(0, colon);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  // Compared folded to lower case (ASCII), without a copy: every L record
  // of a passage comes here.
  for (std::string_view f : {"to", "cc", "bcc", "attachments", "attachment",
                             "importance"}) {
    if (name.size() == f.size() && HasAtFolded(name, 0, f)) return true;
  }
  return false;
}

uint32_t WordKey(std::string_view word) {
  uint32_t h = kWordKeySeed;
  for (char c : word) h = WordKeyStep(h, c);
  return h;
}

int PassageDoc::PageOfLine(int line) const {
  auto it = std::upper_bound(page_first_lines.begin(), page_first_lines.end(),
                             line);
  return std::max(1, static_cast<int>(it - page_first_lines.begin()));
}

std::string PassageDoc::Excerpt(int begin, int end, size_t max_bytes) const {
  std::string out;
  for (int i = std::max(0, begin); i < end && i < static_cast<int>(words.size());
       ++i) {
    if (!out.empty()) out += ' ';
    out.append(WordText(i));
    if (out.size() >= max_bytes) {
      // Cut on a UTF-8 character boundary.
      size_t cut = max_bytes;
      while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) {
        --cut;
      }
      out.resize(cut);
      out += "...";
      break;
    }
  }
  return out;
}

namespace {

// A thread's space to read words and text into; the PassageDoc gets them
// copied at their exact sizes (no growth, no shrink on the way). Kept for
// the thread's next document unless it grew past kKeepBytes.
struct ReadScratch {
  static constexpr size_t kKeepBytes = size_t{8} << 20;
  std::vector<Word> words;
  std::string text;
};

ReadScratch& ThreadScratch() {
  thread_local ReadScratch scratch;
  return scratch;
}

// Reads PassageText records into a PassageDoc a record at a time, so that
// a PassageText can be read back as it is written. One reader at a time
// on a thread (they share the thread's scratch space).
class PassageReader {
 public:
  PassageReader() : scratch_(ThreadScratch()) {}
  ~PassageReader();
  PassageReader(const PassageReader&) = delete;
  PassageReader& operator=(const PassageReader&) = delete;

  // Reads the records of `passage_text`, which ends with a whole record.
  absl::Status Read(std::string_view passage_text);
  // Reads one record (without its '\n'); `newline_follows` when the byte
  // after it is its '\n' (see BodyWords).
  absl::Status Record(std::string_view rec, bool newline_follows);
  // Reads the L record of `text`, body line `line`, from `column`; the
  // byte after `text` is a '\n'.
  void Body(int line, int column, std::string_view text) {
    ++line_no_;
    BodyWords(line, column, text, true);
  }
  // The document read; each mark placed before its first word.
  PassageDoc Finish() &&;

 private:
  // Reads the words of an L record's text. With `newline_follows` (the
  // byte after `text` is readable and a '\n') and the text's columns within
  // a Word's, the words are read without a bounds test a byte (the '\n'
  // stops the scans).
  void BodyWords(int line, int column, std::string_view text,
                 bool newline_follows);

  PassageDoc doc_;
  ReadScratch& scratch_;
  // The words and text read: the first words_ of scratch_.words, the first
  // text_size_ bytes of scratch_.text, where each word is followed by a
  // space (the last one's is not part of the text).
  size_t words_ = 0;
  size_t text_size_ = 0;
  int line_no_ = 0;
  int header_value_column_ = 0;  // of the last optional header line, or 0
  int header_last_line_ = 0;
};

PassageReader::~PassageReader() {
  if (scratch_.words.capacity() * sizeof(Word) + scratch_.text.capacity() >
      ReadScratch::kKeepBytes) {
    scratch_ = ReadScratch();
  }
}

absl::Status PassageReader::Read(std::string_view passage_text) {
  // The records end with a '\n' each; none follows the last.
  if (passage_text.empty()) return absl::OkStatus();
  const bool ends_with_newline = passage_text.back() == '\n';
  if (ends_with_newline) passage_text.remove_suffix(1);
  size_t at = 0;
  while (true) {
    const size_t end = passage_text.find('\n', at);
    const absl::Status read = Record(
        passage_text.substr(at, end == std::string_view::npos
                                    ? std::string_view::npos
                                    : end - at),
        end != std::string_view::npos || ends_with_newline);
    if (!read.ok()) return read;
    if (end == std::string_view::npos) return absl::OkStatus();
    at = end + 1;
  }
}

absl::Status PassageReader::Record(std::string_view record,
                                   bool newline_follows) {
  ++line_no_;
  PassageDoc& doc = doc_;
  auto bad = [this](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("passage text line ", line_no_, ": ", why));
  };
  absl::string_view rec(record.data(), record.size());
  if (rec.empty()) return absl::OkStatus();
  if (rec.size() < 2 || rec[1] != ' ') return bad("malformed record");
  const char kind = rec[0];
  rec.remove_prefix(2);
  // Splits off the next space-separated field. What is left stays a view
  // into the record, empty at its end when there is no more: BodyWords'
  // fast path reads on to the '\n' that follows it.
  auto field = [&rec]() {
    size_t sp = rec.find(' ');
    absl::string_view f = rec.substr(0, sp);
    rec = sp == absl::string_view::npos ? rec.substr(rec.size())
                                        : rec.substr(sp + 1);
    return f;
  };
  int a = 0;
  int b = 0;
  switch (kind) {
    case 'P':
      if (!ParseInt(field(), &a)) return bad("bad page line");
      doc.page_first_lines.push_back(a);
      break;
    case 'D': {
      absl::string_view name = field();
      std::optional<Disposition> d =
          ParseDisposition(std::string_view(name.data(), name.size()));
      if (!d.has_value()) return bad("bad disposition");
      doc.disposition = *d;
      doc.stamp_codes = CodeList(field());
      break;
    }
    case 'L':
      if (!ParseInt(field(), &a) || !ParseInt(field(), &b)) {
        return bad("bad body line");
      }
      BodyWords(a, b, std::string_view(rec.data(), rec.size()),
                newline_follows);
      break;
    case 'M': {
      SiteMark m;
      if (!ParseInt(field(), &m.line) || !ParseInt(field(), &m.column)) {
        return bad("bad mark");
      }
      absl::string_view code = field();
      m.code = code == "-" ? "" : std::string(code);
      m.printed = std::string(rec);
      m.word = static_cast<int>(words_);
      doc.marks.push_back(std::move(m));
      break;
    }
    case 'H': {
      HeaderField h;
      if (!ParseInt(field(), &h.line)) return bad("bad header");
      absl::string_view f = field();
      if (f.size() != 1) return bad("bad header field");
      h.field = f[0];
      h.value_key =
          HashWords(std::string_view(rec.data(), rec.size()), h.field == 'J');
      h.word = static_cast<int>(words_);
      doc.headers.push_back(h);
      break;
    }
    case 'W': {
      WithheldPageSite w;
      if (!ParseInt(field(), &w.page) || !ParseInt(field(), &w.line)) {
        return bad("bad withheld page");
      }
      w.codes = CodeList(field());
      w.word = static_cast<int>(words_);
      doc.withheld_pages.push_back(std::move(w));
      break;
    }
    default:
      return bad(
          absl::StrCat("unknown record kind '", std::string(1, kind), "'"));
  }
  return absl::OkStatus();
}

void PassageReader::BodyWords(int a, int b, std::string_view rec,
                               bool newline_follows) {
  // An optional header line, or its continuation: the next line, indented
  // at least as far as the header's value.
  const bool header_line = IsOptionalHeaderLine(rec);
  const bool continuation =
      !header_line && header_value_column_ > 0 && a == header_last_line_ + 1 &&
      b >= header_value_column_ - 2 && rec.find(':') > 12;
  if (header_line) {
    size_t v = rec.find(':') + 1;
    while (v < rec.size() && rec[v] == ' ') ++v;
    header_value_column_ = static_cast<int>(b + v);
    header_last_line_ = a;
  } else if (continuation) {
    header_last_line_ = a;
  } else {
    header_value_column_ = 0;
  }
  // The first word of a header line is its field name, the others (and
  // those of a continuation) its value.
  uint8_t kind = header_line    ? Word::kField
                 : continuation ? Word::kValue
                                : Word::kBody;
  const uint8_t rest = header_line || continuation ? Word::kValue : Word::kBody;
  // Room for the record's words, each followed by a space: its words and
  // the bytes between them, and one space after the last.
  const size_t room = text_size_ + rec.size() + 1;
  if (scratch_.text.size() < room) {
    scratch_.text.resize(std::max(room, 2 * scratch_.text.size()));
  }
  const size_t most_words = words_ + rec.size() / 2 + 1;
  if (scratch_.words.size() < most_words) {
    scratch_.words.resize(std::max(most_words, 2 * scratch_.words.size()));
  }
  char* const text = scratch_.text.data();
  Word* const words = scratch_.words.data();
  // In locals while bytes are stored through `text` (which may alias the
  // members, as any char pointer may).
  size_t words_size = words_;
  size_t text_size = text_size_;
  const size_t n = rec.size();
  size_t address_end = 0;  // end of the bracketed address at i
  // A '<' at i: a bracketed address runs to its '>', or the line's end
  // (where the L text lost its trailing '>').
  const auto address_at = [&rec, n, &address_end](size_t i) {
    const size_t close = std::min(rec.find_first_of("<> ", i + 1), n);
    const size_t at = rec.find('@', i + 1);
    if ((close == n || rec[close] == '>') && at < close) address_end = close;
  };
  if (newline_follows && b >= 0 &&
      static_cast<size_t>(b) + n <= Word::kMaxSize) {
    // Every column fits a Word's and every word its size: no clamps. The
    // '\n' after the text ends both scans.
    const unsigned char* const p =
        reinterpret_cast<const unsigned char*>(rec.data());
    // A word's second half (line, column, kind, bracketed) as one value,
    // its column added.
    const auto second_half = [a, b](uint8_t k) {
      return static_cast<uint32_t>(a) | uint64_t{static_cast<uint32_t>(b)} << 32 |
             uint64_t{k} << 48;
    };
    uint64_t half = second_half(kind);
    const uint64_t rest_half = second_half(rest);
    size_t i = 0;
    while (true) {
      unsigned char c;  // p[i] (kept: a store through `text` may alias p)
      uint8_t t;
      while ((t = kBodyByte[c = p[i]]) == 0) ++i;
      if (t == kBodyStop) {
        if (i >= n) break;
        if (c == '<') address_at(i);
        ++i;
        continue;
      }
      // The word's key and its copy into the text, in one pass, then a
      // space.
      const size_t at = text_size;
      char* const to = text + at - i;
      uint32_t key = kWordKeySeed;
      size_t j = i;
      // (Two bytes a turn: one test of the loop for both.)
      while (true) {
        key = (key ^ t) * 16777619u;
        to[j] = static_cast<char>(c);
        if ((t = kBodyByte[c = p[j + 1]]) <= kBodyStop) {
          ++j;
          break;
        }
        key = (key ^ t) * 16777619u;
        to[j + 1] = static_cast<char>(c);
        j += 2;
        if ((t = kBodyByte[c = p[j]]) <= kBodyStop) break;
      }
      to[j] = ' ';
      text_size = at + (j - i) + 1;
      const uint64_t first = key | uint64_t{static_cast<uint32_t>(at)} << 32;
      const uint64_t second = half + (uint64_t{i} << 32) +
                              (uint64_t{i < address_end} << 56);
      half = rest_half;
      StoreWord(first, second, words + words_size++);
      i = j;
    }
  } else {
    const char* const p = rec.data();
    size_t i = 0;
    while (true) {
      while (i < n && WordFoldOrZero(p[i]) == 0) {
        if (p[i] == '<') address_at(i);
        ++i;
      }
      if (i >= n) break;
      const size_t at = text_size;
      char* const to = text + at - i;
      uint32_t key = kWordKeySeed;
      size_t j = i;
      uint8_t fold = WordFoldOrZero(p[j]);
      do {
        key = (key ^ fold) * 16777619u;
        to[j] = p[j];
        ++j;
      } while (j < n && (fold = WordFoldOrZero(p[j])) != 0);
      const size_t size = std::min<size_t>(j - i, Word::kMaxSize);
      text[at + size] = ' ';
      text_size = at + size + 1;
      // Each field stored on its own, into the scratch words.
      Word& w = words[words_size++];
      w.key = key;
      w.offset = static_cast<uint32_t>(at);
      w.line = a;
      w.column = static_cast<uint16_t>(std::min<size_t>(b + i, 65535));
      w.optional_header = kind;
      w.bracketed_address = i < address_end;
      kind = rest;
      i = j;
    }
  }
  words_ = words_size;
  text_size_ = text_size;
}

PassageDoc PassageReader::Finish() && {
  PassageDoc& doc = doc_;
  // Exactly the text and words read: the index keeps them.
  doc.text.assign(scratch_.text.data(), text_size_ - (text_size_ > 0 ? 1 : 0));
  doc.words.assign(scratch_.words.data(), scratch_.words.data() + words_);
  // A mark sits before the first word printed after it.
  for (SiteMark& m : doc.marks) {
    auto it = std::lower_bound(
        doc.words.begin(), doc.words.end(), m,
        [](const Word& w, const SiteMark& mk) {
          return w.line < mk.line || (w.line == mk.line && w.column < mk.column);
        });
    m.word = static_cast<int>(it - doc.words.begin());
  }
  return std::move(doc);
}

// Writes the PassageText of `doc` to `out` and, with a `reader`, has it
// read each record as it is written (an L record from its fields, the
// others from their text). The first error of the reader.
absl::Status WritePassage(const Document& doc, std::string& out,
                          PassageReader* reader, bool line_shortcut = true) {
  absl::Status read;
  // The record appended to `out` from `start` on, to the reader.
  auto written = [&](size_t start) {
    if (reader != nullptr && read.ok()) {
      read = reader->Record(
          std::string_view(out).substr(start, out.size() - start - 1), true);
    }
  };
  out.reserve(out.size() + doc.text.size() + 64);
  for (const Page& p : doc.pages) {
    const size_t start = out.size();
    absl::StrAppend(&out, "P ", p.first_line, "\n");
    written(start);
  }
  std::vector<std::string> codes;
  for (const Mark& m : doc.stamp.codes) {
    if (!m.code.empty()) codes.push_back(m.code);
  }
  const size_t stamp_start = out.size();
  absl::StrAppend(&out, "D ", A(DispositionName(doc.stamp.disposition)), " ",
                  codes.empty() ? "-" : absl::StrJoin(codes, ","), "\n");
  written(stamp_start);

  // Lines to drop whole, and spans to blank, by line.
  std::vector<char> drop(doc.lines.size() + 2, 0);  // (not bits: read a line)
  for (const PageHeader& h : doc.page_headers) {
    if (h.line > 0 && h.line < static_cast<int>(drop.size())) drop[h.line] = 1;
  }
  std::vector<std::vector<std::pair<int, int>>> blank(doc.lines.size() + 2);
  auto add_blank = [&](const Mark& m) {
    if (m.line > 0 && m.line < static_cast<int>(blank.size())) {
      blank[m.line].push_back({m.column, m.length});
    }
  };
  for (const Mark& m : doc.stamp.codes) add_blank(m);
  for (const Mark& m : doc.marks) add_blank(m);

  // The body text of each line (the L record's column, and its text as a
  // span of `bodies`; empty for a line with no words). `bodies` holds each
  // line's whole L record, "L <ln> <first> <text>\n" (as absl::StrAppend
  // writes it), where `record` starts.
  struct Body {
    size_t first = 0;
    size_t offset = 0;
    size_t size = 0;
    size_t record = 0;
  };
  std::vector<Body> body(doc.lines.size() + 1);
  // Room for every record: each line's text and at most 2 + 11 + 1 + 20 +
  // 1 bytes of head and its '\n'; in the thread's scratch space, not
  // cleared (only what is written is read).
  thread_local std::unique_ptr<char[]> bodies_space;
  thread_local size_t bodies_room = 0;
  const size_t room = doc.text.size() + 40 * (doc.lines.size() + 1);
  if (bodies_room < room) {
    bodies_space.reset(new char[room]);
    bodies_room = room;
  }
  char* const bodies = bodies_space.get();
  size_t bodies_size = 0;
  auto body_text = [&](int ln) {
    return std::string_view(bodies + body[ln].offset, body[ln].size);
  };
  // Appends the L record of line `ln`, its text the `size` bytes at `text`
  // from column `first`.
  auto add_body = [&body, bodies, &bodies_size](int ln, size_t first,
                                                const char* text, size_t size) {
    char* const record = bodies + bodies_size;
    record[0] = 'L';
    record[1] = ' ';
    char* end = std::to_chars(record + 2, record + 22, ln).ptr;
    *end++ = ' ';
    end = std::to_chars(end, end + 20, first).ptr;
    *end++ = ' ';
    std::memcpy(end, text, size);
    end[size] = '\n';
    body[ln] = {first, static_cast<size_t>(end - bodies), size, bodies_size};
    bodies_size = static_cast<size_t>(end + size + 1 - bodies);
  };
  int block_column = -1;  // of an open classification block
  int block_lines = 0;
  int open_link_lines = 0;  // of a wrapped link in angle brackets
  // ("Class" for "Classified" and "Class:": one search less, a few more
  // documents searched line by line for nothing.)
  const std::string_view all_text(doc.text);
  const bool may_print_block =
      all_text.find("Reason:") != std::string_view::npos ||
      all_text.find("Declassify") != std::string_view::npos ||
      all_text.find("Class") != std::string_view::npos;
  // Page header lines, whole or split over two lines by the text layer
  // (one search of the text a phrase, not three a line).
  const std::vector<char> page_header_line =
      LinesHolding(doc, {"Case No", "Doc No", "U.S. Department of State"});
  std::string line;
  for (int ln = 1; ln <= doc.line_count(); ++ln) {
    if (drop[ln] || page_header_line[ln - 1]) continue;
    const std::string_view printed = doc.lines[ln - 1];
    if (printed.empty()) {
      // An empty line (four in ten) has no words and nothing to blank; of
      // the passes below only BlankClassification changes its state for
      // it: one line less of an open block, or the block closed.
      if (!(block_column >= 0 && block_lines-- > 0)) block_column = -1;
      continue;
    }
    size_t first = 0;
    while (first < printed.size() && !IsWordByte(printed[first])) ++first;
    if (IsBannerLine(printed, first)) continue;
    // Most lines are left as printed by every pass below: no span or stamp
    // words to blank, no classification block (none in the document), no
    // link open from a line before, and no byte a pass starts from (a link
    // byte, '[', a line break or tab: NextStop) nor a '-' ending the line
    // (where a bare link may break). Their words are taken as printed,
    // without the copy and the passes; the passes leave the state of the
    // ones that follow as it is for them.
    size_t no_link_byte_before = 0;
    if (line_shortcut && !may_print_block && block_column < 0 &&
        open_link_lines == 0 && blank[ln].empty() && ln != doc.stamp.line) {
      no_link_byte_before = NextStop<true>(printed, 0);
      size_t end = printed.size();
      while (end > 0 && printed[end - 1] == ' ') --end;
      if (no_link_byte_before == std::string_view::npos &&
          (end == 0 || printed[end - 1] != '-')) {
        size_t last = printed.size();
        while (last > first && !IsWordByte(printed[last - 1])) --last;
        if (first >= last) continue;
        add_body(ln, first, printed.data() + first, last - first);
        continue;
      }
      if (no_link_byte_before == std::string_view::npos) {
        no_link_byte_before = printed.size();
      }
    }
    line.clear();  // (then append: cheaper than assign, which allows aliasing)
    line.append(printed.data(), printed.size());
    for (auto [col, len] : blank[ln]) {
      if (col < 0 || col >= static_cast<int>(line.size())) continue;
      const size_t end = std::min(line.size(), static_cast<size_t>(col + len));
      std::fill(line.begin() + col, line.begin() + end, ' ');
    }
    if (ln == doc.stamp.line) BlankStampWords(line);
    BlankClassification(line, may_print_block, block_column, block_lines);
    BlankLinkContinuation(line, open_link_lines);
    BlankHeaderBrackets(line);
    BlankLinks(line, no_link_byte_before);
    first = 0;
    while (first < line.size() && !IsWordByte(line[first])) ++first;
    size_t last = line.size();
    while (last > first && !IsWordByte(line[last - 1])) --last;
    if (first >= last) continue;
    add_body(ln, first, line.data() + first, last - first);
    if (MayHoldTabOrBreak(body_text(ln))) {
      for (size_t k = body[ln].offset; k < bodies_size - 1; ++k) {
        char& c = bodies[k];
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
      }
    }
  }

  // Pages withheld in full: after page 1, a page marked with codes (or
  // listed on a withheld-page sheet) whose body is at most a few words
  // with no lower-case word (a page number, "DRAFT", OCR debris). Their
  // words are left out; a W record takes their place.
  std::vector<std::vector<std::string>> page_codes(doc.pages.size() + 1);
  std::vector<bool> listed(doc.pages.size() + 1, false);
  for (const Mark& m : doc.marks) {
    const int pg = doc.PageOfLine(m.line);
    if (pg >= 1 && pg <= doc.page_count() && !m.code.empty()) {
      page_codes[pg].push_back(m.code);
    }
  }
  for (const WithheldPage& w : doc.withheld_pages) {
    if (w.page_number < 1 || w.page_number > doc.page_count()) continue;
    listed[w.page_number] = true;
    for (const Mark& m : w.codes) {
      if (!m.code.empty()) page_codes[w.page_number].push_back(m.code);
    }
  }
  std::vector<bool> withheld_page(doc.pages.size() + 1, false);
  for (const Page& p : doc.pages) {
    if (p.number < 2 || p.number > doc.page_count()) continue;
    if (page_codes[p.number].empty() && !listed[p.number]) continue;
    int words = 0;
    bool prose = false;
    for (int ln = p.first_line; ln <= p.last_line && ln <= doc.line_count();
         ++ln) {
      const std::string_view t = body_text(ln);
      size_t i = 0;
      while (i < t.size()) {
        while (i < t.size() && !IsWordByte(t[i])) ++i;
        size_t j = i;
        int letters = 0;
        bool lower = false;
        while (j < t.size() && IsWordByte(t[j])) {
          if (std::isalpha(static_cast<unsigned char>(t[j]))) ++letters;
          if (t[j] >= 'a' && t[j] <= 'z') lower = true;
          ++j;
        }
        if (j == i) break;
        ++words;
        if (letters >= 3 && lower) prose = true;
        i = j;
      }
    }
    withheld_page[p.number] = !prose && words <= 5;
  }

  // The L records go to `out` a run of them at a time (those of lines one
  // after the other, with no other record between them), read as they
  // are taken from `bodies`.
  size_t run_begin = 0, run_end = 0;
  auto flush = [&]() {
    out.append(bodies + run_begin, run_end - run_begin);
    run_begin = run_end;
  };
  out.reserve(out.size() + bodies_size + 64);
  size_t next_mark = 0;
  size_t next_header = 0;
  int page = 1;
  for (int ln = 1; ln <= doc.line_count(); ++ln) {
    while (page < doc.page_count() && doc.pages[page].first_line <= ln) ++page;
    while (next_mark < doc.marks.size() && doc.marks[next_mark].line <= ln) {
      const Mark& m = doc.marks[next_mark++];
      if (m.line != ln) continue;
      flush();
      const size_t start = out.size();
      absl::StrAppend(&out, "M ", m.line, " ", m.column, " ",
                      m.code.empty() ? "-" : m.code, " ", m.printed, "\n");
      // A record is one line (a PDF label's text might hold a line break):
      // what is read back at restart is what the live index reads now.
      std::replace(out.begin() + static_cast<std::ptrdiff_t>(start), out.end() - 1, '\n',
                   ' ');
      written(start);
    }
    while (next_header < doc.email_headers.size() &&
           doc.email_headers[next_header].line <= ln) {
      const EmailHeader& h = doc.email_headers[next_header++];
      char f = h.field == "From" ? 'F' : h.field == "Sent" ? 'S'
               : h.field == "Subject" ? 'J' : 0;
      if (f == 0 || h.line != ln) continue;
      flush();
      const size_t start = out.size();
      const char field[2] = {f, ' '};
      absl::StrAppend(&out, "H ", h.line, " ", absl::string_view(field, 2),
                      A(h.value), "\n");
      // One line (the value's line breaks as spaces).
      std::replace(out.begin() + static_cast<std::ptrdiff_t>(start), out.end() - 1, '\n',
                   ' ');
      written(start);
    }
    if (withheld_page[page]) {
      const Page& p = doc.pages[page - 1];
      if (ln == p.last_line || ln == doc.line_count()) {
        std::vector<std::string>& c = page_codes[page];
        std::sort(c.begin(), c.end());
        c.erase(std::unique(c.begin(), c.end()), c.end());
        flush();
        const size_t start = out.size();
        absl::StrAppend(&out, "W ", page, " ", p.first_line, " ",
                        c.empty() ? "-" : absl::StrJoin(c, ","), "\n");
        written(start);
      }
      continue;
    }
    if (body[ln].size == 0) continue;
    if (body[ln].record != run_end) {
      flush();
      run_begin = body[ln].record;
    }
    run_end = body[ln].offset + body[ln].size + 1;
    if (reader != nullptr) {
      // The text as written, followed by its '\n'.
      reader->Body(ln, static_cast<int>(body[ln].first), body_text(ln));
    }
  }
  flush();
  if (bodies_room > ReadScratch::kKeepBytes) {
    bodies_space.reset();
    bodies_room = 0;
  }
  return read;
}

}  // namespace

std::string PassageText(const Document& doc) {
  std::string out;
  WritePassage(doc, out, nullptr).IgnoreError();
  return out;
}

std::string PassageTextThroughEveryPass(const Document& doc) {
  std::string out;
  WritePassage(doc, out, nullptr, /*line_shortcut=*/false).IgnoreError();
  return out;
}

absl::StatusOr<PassageDoc> ParsePassageText(std::string_view passage_text) {
  PassageReader reader;
  const absl::Status read = reader.Read(passage_text);
  if (!read.ok()) return read;
  return std::move(reader).Finish();
}

absl::StatusOr<PassageDoc> BuildPassage(const Document& doc,
                                        std::string* passage_text) {
  passage_text->clear();
  PassageReader reader;
  const absl::Status read = WritePassage(doc, *passage_text, &reader);
  if (!read.ok()) return read;
  return std::move(reader).Finish();
}

}  // namespace ra::xdoc
