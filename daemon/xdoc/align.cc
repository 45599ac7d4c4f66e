#include "xdoc/align.h"

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <iterator>
#include <string_view>

#include "absl/strings/str_join.h"

namespace ra::xdoc {
namespace {

// The last Subject header at or before word `w`; nullptr if none.
const HeaderField* SubjectAbove(const PassageDoc& doc, int w) {
  const HeaderField* found = nullptr;
  for (const HeaderField& h : doc.headers) {
    if (h.word > w) break;
    if (h.field == 'J') found = &h;
  }
  return found;
}

bool HeaderWithin(const PassageDoc& doc, int begin, int end) {
  for (const HeaderField& h : doc.headers) {
    if (h.word >= begin && h.word < end) return true;
  }
  return false;
}

const SiteMark* MarkWithin(const PassageDoc& doc, int begin, int end) {
  for (const SiteMark& m : doc.marks) {
    if (m.word >= begin && m.word <= end) return &m;
  }
  return nullptr;
}

// True when words [begin, end) of `d` hold a word of three letters or
// more: a printed code ("B6", "1.4") or a page number is not a passage.
bool HasContent(const PassageDoc& d, int begin, int end) {
  for (int i = begin; i < end; ++i) {
    int letters = 0;
    for (char c : d.WordText(i)) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) ++letters;
    }
    if (letters >= 3) return true;
  }
  return false;
}

const WithheldPageSite* PageWithin(const PassageDoc& doc, int begin, int end) {
  for (const WithheldPageSite& p : doc.withheld_pages) {
    if (p.word >= begin && p.word <= end) return &p;
  }
  return nullptr;
}

uint64_t Trigram(const PassageDoc& d, int i) {
  return (static_cast<uint64_t>(d.words[i].key) * 0x9E3779B97F4A7C15ull) ^
         (static_cast<uint64_t>(d.words[i + 1].key) << 21) ^ d.words[i + 2].key;
}

// Word trigrams of a document, built on first use (most pairs have no gap
// to test).
class TrigramSet {
 public:
  explicit TrigramSet(const PassageDoc& d) : d_(d) {}
  bool Has(uint64_t t) {
    if (!built_) {
      for (int i = 0; i + 2 < static_cast<int>(d_.words.size()); ++i) {
        set_.push_back(Trigram(d_, i));
      }
      std::sort(set_.begin(), set_.end());
      built_ = true;
    }
    return std::binary_search(set_.begin(), set_.end(), t);
  }

 private:
  const PassageDoc& d_;
  bool built_ = false;
  std::vector<uint64_t> set_;
};

// Words of d[begin, end) of three letters or more with a lower-case one.
int ProseWords(const PassageDoc& d, int begin, int end) {
  int n = 0;
  for (int i = begin; i < end; ++i) {
    int letters = 0;
    bool lower = false;
    for (char c : d.WordText(i)) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) ++letters;
      if (c >= 'a' && c <= 'z') lower = true;
    }
    if (letters >= 3 && lower) ++n;
  }
  return n;
}

// True when s[begin, end) is moved text rather than withheld text: a
// running page header or footer, a classification block, a quoted copy,
// columns read in another order. Short text (under 8 words) counts when
// `r` prints it whole, in one piece; longer text when `r` prints half its
// word trigrams or more, wherever.
bool PrintedIn(TrigramSet& r_trigrams, const PassageDoc& r,
               const PassageDoc& s, int begin, int end) {
  const int size = end - begin;
  if (size < 3) return false;
  if (size < 8) {
    const int rn = static_cast<int>(r.words.size());
    for (int i = 0; i + size <= rn; ++i) {
      int x = 0;
      while (x < size && r.words[i + x].key == s.words[begin + x].key) ++x;
      if (x == size) return true;
    }
    return false;
  }
  int found = 0;
  for (int i = begin; i + 2 < end; ++i) {
    found += r_trigrams.Has(Trigram(s, i)) ? 1 : 0;
  }
  return 2 * found >= size - 2;
}

// True when word `w` of `d` holds only digits (a page number).
bool NumberWord(const PassageDoc& d, int w) {
  for (char c : d.WordText(w)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// True when s[begin, end), page numbers at its ends aside, is a running
// page header or footer of the releasing copy: it is printed next to a
// page break (within `kSlack` words) here and at another page break too
// (an article's title at each page top, "01-28-2010 as of 6:23 PM EST"
// under each page number), not withheld text.
bool RunningHeader(const PassageDoc& s, int begin, int end) {
  constexpr int kSlack = 3;
  while (begin < end && NumberWord(s, begin)) ++begin;
  while (end > begin && NumberWord(s, end - 1)) --end;
  const int n = end - begin;
  if (n < 1) return false;
  const int total = static_cast<int>(s.words.size());
  auto page_break_near = [&s, total](int from, int to) {
    for (int w = std::max(1, from); w <= to && w < total; ++w) {
      if (s.PageOfLine(s.words[w - 1].line) != s.PageOfLine(s.words[w].line)) {
        return true;
      }
    }
    return false;
  };
  if (!page_break_near(begin - kSlack, end + kSlack)) return false;
  for (int w = 0; w + n <= total; ++w) {
    if (w == begin) continue;
    int x = 0;
    while (x < n && s.words[w + x].key == s.words[begin + x].key) ++x;
    if (x == n && page_break_near(w - kSlack, w + n + kSlack)) return true;
  }
  return false;
}

// A body word: not on an address or attachment header line, not inside
// an address in angle brackets (copies print those or leave them out).
bool BodyWord(const Word& w) {
  return w.optional_header == Word::kBody && !w.bracketed_address;
}

// Letters compared at most by the OCR-variant tests: the edit distance
// costs their product, and a word or a gap's few words read another way
// are far shorter (a text layer can print a 64 KiB "word").
constexpr size_t kMaxVariantLetters = 256;

// Edit distance of `a` and `b` (insertions, deletions, substitutions), or
// `limit` + 1 when it is over `limit`.
int EditDistance(std::string_view a, std::string_view b, int limit) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  if (std::abs(n - m) > limit) return limit + 1;
  std::vector<int> row(m + 1);
  for (int j = 0; j <= m; ++j) row[j] = j;
  for (int i = 1; i <= n; ++i) {
    int diag = row[0];
    row[0] = i;
    int best = row[0];
    for (int j = 1; j <= m; ++j) {
      const int up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
      best = std::min(best, row[j]);
    }
    if (best > limit) return limit + 1;
  }
  return row[m];
}

// Lower-cased letters and digits of `t`, OCR look-alikes folded as
// WordKey folds them.
std::string Folded(std::string_view t) {
  std::string out;
  for (char c : t) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == '0') c = 'o';
    if (c == '1' || c == 'i' || c == '|') c = 'l';
    if (c == '5') c = 's';
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
  }
  return out;
}

// True when two words of three letters or more are one word read two ways
// by the text layer ("vou" / "you", "Depatunent" / "Department"): one
// letter apart, two for words of seven letters or more.
bool OcrVariant(std::string_view a, std::string_view b) {
  const std::string x = Folded(a);
  const std::string y = Folded(b);
  if (x.size() < 3 || y.size() < 3) return false;
  if (x.size() > kMaxVariantLetters || y.size() > kMaxVariantLetters) return false;
  const int limit = std::min(x.size(), y.size()) >= 7 ? 2 : 1;
  return EditDistance(x, y, limit) <= limit;
}

// True when the words r[r_begin, r_end) that `r` prints in the gap are
// the released words s[begin, end) read differently: the same letters,
// split or joined in other places ("usfrom" / "us rom"), a letter in five
// apart.
bool GapReadDifferently(const PassageDoc& r, int r_begin, int r_end,
                        const PassageDoc& s, int begin, int end) {
  if (r_end <= r_begin || end - begin > 8) return false;
  std::string x;
  std::string y;
  for (int i = r_begin; i < r_end; ++i) x += Folded(r.WordText(i));
  for (int i = begin; i < end; ++i) y += Folded(s.WordText(i));
  if (x.size() < 3 || y.size() < 3) return false;
  if (x.size() > kMaxVariantLetters || y.size() > kMaxVariantLetters) return false;
  const int limit = std::max<int>(1, std::min(x.size(), y.size()) / 5);
  return EditDistance(x, y, limit) <= limit;
}

// True when `r` leaves room for withheld text between its words `before`
// and `after`: a blank line or more beyond a paragraph break, a run of
// blanks in the line (eight columns or more), at the start of the next
// line (it starts eight columns further in) or at the end of the line (it
// stops before three fifths of the width of the lines around it, and the
// next line follows at once), or a page break. A copy
// that prints its words close together withholds nothing there (a reply
// that adds answers between the lines of the message it quotes, an
// edited draft of the same paragraph).
bool RoomBetween(const PassageDoc& r, int before, int after) {
  constexpr int kMinLineJump = 3;
  constexpr int kMinBlankColumns = 8;
  const int n = static_cast<int>(r.words.size());
  if (before < 0 || after >= n || after <= before) return true;
  if (r.PageOfLine(r.words[before].line) != r.PageOfLine(r.words[after].line)) {
    return true;
  }
  // Next to any word the copy prints in the gap.
  for (int w = before; w < after; ++w) {
    const Word& x = r.words[w];
    const Word& y = r.words[w + 1];
    if (y.line - x.line >= kMinLineJump) return true;
    if (y.line == x.line &&
        static_cast<int>(y.column) - (x.column + r.WordSize(w)) >=
            kMinBlankColumns) {
      return true;
    }
    if (y.line != x.line + 1) continue;
    // Blanks at the start of the next line: it starts further in than the
    // line before.
    int x_first = w;
    while (x_first > 0 && r.words[x_first - 1].line == x.line) --x_first;
    if (static_cast<int>(y.column) - r.words[x_first].column >=
        kMinBlankColumns) {
      return true;
    }
    // Blanks at the end of the line: it stops short of the lines around
    // it, and the next line goes on at once.
    int y_last = w + 1;
    while (y_last + 1 < n && r.words[y_last + 1].line == y.line) ++y_last;
    int width = r.words[y_last].column + r.WordSize(y_last);
    if (x_first > 0 && r.words[x_first - 1].line == x.line - 1) {
      const Word& p = r.words[x_first - 1];
      width = std::max(width, p.column + r.WordSize(x_first - 1));
    }
    if (5 * (x.column + r.WordSize(w)) < 3 * width) return true;
  }
  return false;
}

// True when word `w` of `s` is printed among r[r_begin, r_end): the same
// key, or one word a prefix of the other over five letters or more (an OCR
// variant: "dmcdonough" / "dmcdonoughs").
bool PrintedAmong(const PassageDoc& r, int r_begin, int r_end,
                  const PassageDoc& s, int w) {
  const std::string_view sw = s.WordText(w);
  for (int j = r_begin; j < r_end; ++j) {
    if (r.words[j].key == s.words[w].key) return true;
    const std::string_view rw = r.WordText(j);
    if (OcrVariant(rw, sw)) return true;
    const size_t n = std::min(rw.size(), sw.size());
    if (n >= 5 && rw.substr(0, n) == sw.substr(0, n)) return true;
  }
  return false;
}

// True when word `w` of `d` is punctuation the text layer read as a word:
// no ASCII letter or digit, only Latin-1 signs and general punctuation
// (U+0080-U+00BF, U+2000-U+2BFF: "›", "•", "—").
bool SymbolWord(const PassageDoc& d, int w) {
  const std::string_view t = d.WordText(w);
  for (size_t i = 0; i < t.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(t[i]);
    if (c < 0x80) return false;  // an ASCII letter or digit
    if ((c & 0xC0) == 0x80) continue;  // a continuation byte
    if (c == 0xC2) continue;
    if (c == 0xE2 && i + 1 < t.size() &&
        static_cast<unsigned char>(t[i + 1]) < 0xB0) {
      continue;
    }
    return false;
  }
  return true;
}

// True when word `w` of `d` is an exemption code the parser did not take
// for a mark (a "B6" printed at the start of a line of text): "B" and a
// digit, then at most two more characters ("B6", "B7C").
bool CodeWord(const PassageDoc& d, int w) {
  const std::string_view t = d.WordText(w);
  return t.size() >= 2 && t.size() <= 4 && (t[0] == 'B' || t[0] == 'b') &&
         t[1] >= '1' && t[1] <= '9';
}

// True when word `w` of `d` reads as OCR debris, not a word: an upper-case
// letter after a lower-case one ("ivEtrnlia"), letters and digits mixed
// ("0430v"), or two letters that are not a common word ("ri").
bool DebrisWord(const PassageDoc& d, int w) {
  const std::string_view t = d.WordText(w);
  bool lower = false;
  bool letter = false;
  bool digit = false;
  for (char c : t) {
    if (c >= 'A' && c <= 'Z' && lower) return true;
    if (c >= 'a' && c <= 'z') lower = true;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) letter = true;
    if (c >= '0' && c <= '9') digit = true;
  }
  if (letter && digit) return true;
  if (t.size() != 2 || !lower) return false;
  for (const char* common :
       {"am", "an", "as", "at", "be", "by", "do", "go", "he", "if", "in",
        "is", "it", "me", "my", "no", "of", "on", "or", "pm", "so", "to",
        "up", "us", "we"}) {
    if (WordKey(t) == WordKey(common)) return false;
  }
  return true;
}

// True when word `w` of `d` is a page number: only digits, alone on its
// line, and the last word of its page or the first.
bool PageNumberWord(const PassageDoc& d, int w) {
  if (!NumberWord(d, w)) return false;
  const int n = static_cast<int>(d.words.size());
  const int line = d.words[w].line;
  if ((w > 0 && d.words[w - 1].line == line) ||
      (w + 1 < n && d.words[w + 1].line == line)) {
    return false;
  }
  const int page = d.PageOfLine(line);
  return (w + 1 < n && d.PageOfLine(d.words[w + 1].line) != page) ||
         (w > 0 && d.PageOfLine(d.words[w - 1].line) != page);
}

// True when `r` prints a mark in the gap r[r_begin, r_end) or on the line
// of a word next to it (a code in the margin of the line).
bool MarkedAt(const PassageDoc& r, int r_begin, int r_end) {
  if (MarkWithin(r, r_begin, r_end) != nullptr) return true;
  const int n = static_cast<int>(r.words.size());
  for (const SiteMark& m : r.marks) {
    if ((r_begin > 0 && r_begin - 1 < n &&
         m.line == r.words[r_begin - 1].line) ||
        (r_end < n && m.line == r.words[r_end].line)) {
      return true;
    }
  }
  return false;
}

// True when `r` prints an address in angle brackets within `kLines` lines
// of the gap r[r_begin, r_end): its header lines spell addresses out, so
// one missing there is withheld, not left out by the layout.
bool PrintsAddressesNear(const PassageDoc& r, int r_begin, int r_end) {
  constexpr int kLines = 3;
  const int n = static_cast<int>(r.words.size());
  if (n == 0) return false;
  const int line = r.words[std::clamp(r_begin, 0, n - 1)].line;
  const int from = std::max(0, std::min(r_begin, n - 1) - 60);
  const int to = std::min(n, std::max(r_end, 0) + 60);
  for (int i = from; i < to; ++i) {
    if (r.words[i].bracketed_address &&
        std::abs(r.words[i].line - line) <= kLines) {
      return true;
    }
  }
  return false;
}

// Released words s[begin, end) that are withheld text: not printed by `r`
// in the gap, r[r_begin, r_end), not punctuation, not an address in angle
// brackets unless `r` marks a code at the gap's lines or prints such
// addresses in the lines around the gap, and not an address
// or attachment header line that only `s` prints (a header line counts
// when its field name is printed before the gap, in the shared context,
// or in r's gap).
// `*format_words` counts the punctuation and bracketed address words.
int ContentWords(const PassageDoc& r, int r_begin, int r_end,
                 const PassageDoc& s, int begin, int end, int* format_words) {
  int content = 0;
  *format_words = 0;
  const bool marked =
      MarkedAt(r, r_begin, r_end) || PrintsAddressesNear(r, r_begin, r_end);
  for (int i = begin; i < end; ++i) {
    if (s.WordSize(i) == 1) continue;  // "L" read for a '.': no passage
    if (PageNumberWord(s, i)) continue;
    if (SymbolWord(s, i) || (!marked && s.words[i].bracketed_address)) {
      ++*format_words;
      continue;
    }
    if (PrintedAmong(r, r_begin, r_end, s, i)) continue;
    if (s.words[i].optional_header == Word::kBody) {
      ++content;
      continue;
    }
    int field = i;
    while (field > 0 && s.words[field].optional_header != Word::kField &&
           s.words[field - 1].optional_header != Word::kBody) {
      --field;
    }
    if (field < begin || PrintedAmong(r, r_begin, r_end, s, field)) ++content;
  }
  return content;
}

// True when the released words s[begin, end) are a few words (body text,
// not on a From line) at the edge of a passage `s` withholds too: a mark on their lines or next to them, or room for text
// beside them in `s` ("In a nutshell, she's concerned" and blank lines,
// where the other copy withholds from "she's" on). Both copies withhold
// the passage; the edge of the blank differs.
bool EdgeOfOwnWithholding(const PassageDoc& s, int begin, int end) {
  constexpr int kMaxWords = 3;
  // Longer, up to a line: only when blanks in the line follow or precede
  // them (a link in angle brackets after its words, "H.Con.Res 335
  // <http://thomas.loc.gov/...>", "Times Online Logo 222 x 25 <http://...
  // .gif>", blanked in this copy and left out by the other).
  constexpr int kMaxLineWords = 8;
  if (end <= begin) return false;
  if (end - begin > kMaxWords) {
    if (end - begin > kMaxLineWords) return false;
    const int n = static_cast<int>(s.words.size());
    auto blanks = [&s, n](int x, int y) {
      if (x < 0 || y >= n || s.words[x].line != s.words[y].line) return false;
      return static_cast<int>(s.words[y].column) -
                 (s.words[x].column + s.WordSize(x)) >=
             8;
    };
    if (!blanks(begin - 1, begin) && !blanks(end - 1, end)) return false;
  }
  for (int i = begin; i < end; ++i) {
    if (!BodyWord(s.words[i])) return false;
    for (const HeaderField& h : s.headers) {
      if (h.line == s.words[i].line) return false;
    }
  }
  for (const SiteMark& m : s.marks) {
    if (m.line >= s.words[begin].line && m.line <= s.words[end - 1].line) {
      return true;
    }
  }
  return MarkedAt(s, begin, end) || RoomBetween(s, begin - 1, begin) ||
         RoomBetween(s, end - 1, end);
}

// True when the released words s[begin, end) are body text laid out on
// two lines or more of at most three words each: a heading or a chart's
// labels that one copy prints as text and the other as an image ("1Notes
// front the" / "FOREIGN POLICY" / "FRONTIER" above an article's first
// line), a classification line and a page number, a date line apart. A
// withheld passage fills its lines.
bool ShortLinesOnly(const PassageDoc& s, int begin, int end) {
  constexpr int kMaxLineWords = 3;
  int per_line = 0;
  int lines = 0;
  for (int i = begin; i < end; ++i) {
    if (!BodyWord(s.words[i])) return false;
    const bool same_line = i > begin && s.words[i - 1].line == s.words[i].line;
    per_line = same_line ? per_line + 1 : 1;
    if (!same_line) ++lines;
    if (per_line > kMaxLineWords) return false;
  }
  return lines >= 2;
}

// Gaps of `r` (redacting) against `s` (releasing). `runs` hold (r word,
// s word, words) and are sorted by r word.
void FindGaps(const PassageDoc& r, const PassageDoc& s,
              const std::vector<Run>& runs, const AlignOptions& o,
              std::vector<Gap>* out) {
  const bool withholds = r.disposition == Disposition::kPart ||
                         r.disposition == Disposition::kDenied;
  TrigramSet r_trigrams(r);
  // Between r words [r_end, r_next) and s words [s_end, s_next).
  auto consider = [&](int r_end, int r_next, int s_end, int s_next) {
    const int r_gap = r_next - r_end;
    const int s_gap = s_next - s_end;
    if (r_gap < 0 || r_gap > o.max_junk_words) return;
    const WithheldPageSite* page = PageWithin(r, r_end, r_next);
    int pages = 0;
    for (const WithheldPageSite& p : r.withheld_pages) {
      if (p.word >= r_end && p.word <= r_next) ++pages;
    }
    if (s_gap <= r_gap || s_gap > o.max_gap_words * std::max(1, pages)) {
      return;
    }
    const SiteMark* mark = MarkWithin(r, r_end, r_next);
    // Address and attachment header lines only one copy prints are not
    // withheld text, unless this copy marks a code there.
    int format_words = 0;
    const int content =
        ContentWords(r, r_end, r_next, s, s_end, s_next, &format_words);
    if (content == 0) return;  // r prints it all, or only header lines
    if (GapReadDifferently(r, r_end, r_next, s, s_end, s_next) ||
        EdgeOfOwnWithholding(s, s_end, s_next)) {
      return;
    }
    // Body text released where this copy has no mark, no page withheld
    // and no room for it: another version of the text, not withheld.
    // This copy prints OCR debris in the gap, and no mark: it printed
    // the passage, unreadably (a headline read as "ri;)." and
    // "ivEtrnlia").
    bool code_printed = false;
    for (int i = r_end; i < r_next; ++i) code_printed |= CodeWord(r, i);
    if (mark == nullptr && page == nullptr && r_gap > 0 && !code_printed) {
      bool debris = true;
      for (int i = r_end; i < r_next && debris; ++i) debris = DebrisWord(r, i);
      if (debris) return;
    }
    if (mark == nullptr && page == nullptr && !code_printed &&
        !RoomBetween(r, r_end - 1, r_next)) {
      bool body = true;
      for (int i = s_end; i < s_next && body; ++i) {
        body = BodyWord(s.words[i]);
      }
      if (body) return;
    }
    // Without a mark: a heading or labels of an image, not a passage.
    if (mark == nullptr && page == nullptr && !code_printed &&
        ShortLinesOnly(s, s_end, s_next)) {
      return;
    }
    if (mark == nullptr && page == nullptr &&
        (!withholds ||
         s_gap - format_words - r_gap < o.min_unmarked_gap_words)) {
      return;
    }
    if (!HasContent(s, s_end, s_next) ||
        PrintedIn(r_trigrams, r, s, s_end, s_next)) {
      return;
    }
    if (RunningHeader(s, s_end, s_next)) return;
    // Or a running header and, at its end, the words this copy prints in
    // the gap read differently ("... JANUARY 20, 2011" and "BRC" for the
    // "HRC" this copy prints).
    for (int cut = 1; cut <= r_gap && s_next - cut > s_end; ++cut) {
      if (RunningHeader(s, s_end, s_next - cut)) return;
    }
    // A whole page needs prose released in its place, not a page number,
    // "DRAFT" or OCR debris (the other copy withholding the page as well).
    if (page != nullptr &&
        ProseWords(s, s_end, s_next) < o.min_page_prose_words) {
      return;
    }
    // A different email in between, not a withheld passage (a page
    // withheld in full may hold the next message of the thread).
    if ((page == nullptr && HeaderWithin(s, s_end, s_next)) ||
        HeaderWithin(r, r_end, r_next)) {
      return;
    }
    const HeaderField* subject_r = SubjectAbove(r, r_end);
    const HeaderField* subject_s = SubjectAbove(s, s_end);
    if (subject_r != nullptr && subject_s != nullptr &&
        subject_r->value_key != subject_s->value_key) {
      return;
    }
    Gap g;
    g.redacting_before = r_end - 1;
    g.redacting_after = r_next;
    g.released_begin = s_end;
    g.released_end = s_next;
    g.mark = mark;
    g.page = page;
    g.pages = pages;
    out->push_back(g);
  };
  for (size_t x = 0; x + 1 < runs.size(); ++x) {
    const Run& r1 = runs[x];
    const Run& r2 = runs[x + 1];
    consider(r1.a + r1.words, r2.a, r1.b + r1.words, r2.b);
  }
  // After the last run: a page withheld in full at the end of `r` (after
  // its last body text) has no run after it; the words `s` prints after
  // the last run take its place. Only when that run is also the last one
  // of `s`.
  if (runs.empty() || r.withheld_pages.empty()) return;
  const Run& last = runs.back();
  const int r_end = last.a + last.words;
  const int s_end = last.b + last.words;
  for (const Run& x : runs) {
    if (x.b > last.b) return;
  }
  const int r_n = static_cast<int>(r.words.size());
  const int s_n = static_cast<int>(s.words.size());
  const WithheldPageSite* page = PageWithin(r, r_end, r_n);
  if (page == nullptr) return;
  // The few words `r` prints before the page, when `s` prints them too
  // after the run, are shared context: the page follows them ("Dear
  // Secretary Clinton," above a letter withheld in full; what `s` prints
  // before them stands for another site of `r`).
  const int r_gap = r_n - r_end;
  if (r_gap > 0 && r_gap <= o.max_junk_words && page->word == r_n &&
      HasContent(r, r_end, r_n)) {
    for (int i = s_end; i + r_gap <= s_n; ++i) {
      int x = 0;
      while (x < r_gap && s.words[i + x].key == r.words[r_end + x].key) ++x;
      if (x == r_gap) {
        consider(r_n, r_n, i + r_gap, s_n);
        return;
      }
    }
  }
  consider(r_end, r_n, s_end, s_n);
}

// E.O. 13526 reasons (1.4(x)) are the grounds of (b)(1): a site marked
// "B1 1.4(B)" and one marked "B1 1.4(D)" both withhold under (b)(1).
std::string Family(const std::string& code) {
  if (code.rfind("1.4", 0) == 0) return "(b)(1)";
  return code;
}

// Marks of one site: marks within `kSiteWords` words of each other, or at
// most `kSiteLines` lines apart (a code list printed down the margin, one
// code a line or every other line).
constexpr int kSiteWords = 3;
constexpr int kSiteLines = 2;

bool SameSite(const SiteMark& x, const SiteMark& y) {
  return std::abs(x.word - y.word) <= kSiteWords ||
         std::abs(x.line - y.line) <= kSiteLines;
}

// The site of `d` holding marks[i]: indexes [first, last] into d.marks.
std::pair<int, int> SiteOf(const PassageDoc& d, int i) {
  int first = i;
  int last = i;
  while (first > 0 && SameSite(d.marks[first - 1], d.marks[first])) --first;
  while (last + 1 < static_cast<int>(d.marks.size()) &&
         SameSite(d.marks[last], d.marks[last + 1])) {
    ++last;
  }
  return {first, last};
}

// Code families of marks [first, last] of `d`, sorted, unique.
std::vector<std::string> SiteFamilies(const PassageDoc& d, int first,
                                      int last) {
  std::vector<std::string> out;
  for (int i = first; i <= last; ++i) {
    if (!d.marks[i].code.empty()) out.push_back(Family(d.marks[i].code));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// Word of `b` printed where word `w` of `a` is, through the runs; -1 when
// `w` is not inside a run.
int MapWord(const std::vector<Run>& runs, int w) {
  for (const Run& r : runs) {
    if (r.a <= w && w < r.a + r.words) return w - r.a + r.b;
  }
  return -1;
}

// The word a mark stands for: the last word before it on its line (a code
// printed in the margin of the line it withholds from), or the first word
// after it when it is alone on its line; -1 when the document has none.
int AnchorWord(const PassageDoc& d, const SiteMark& m) {
  if (m.word > 0 && d.words[m.word - 1].line == m.line) return m.word - 1;
  if (m.word < static_cast<int>(d.words.size())) return m.word;
  return d.words.empty() ? -1 : static_cast<int>(d.words.size()) - 1;
}

// True when `d` prints, within `kNearWords` words of its site [first,
// last] (marks), another mark under one of `codes`: the copy withholds
// the passage under that ground too, with its codes placed beside other
// lines, and the site matched is a neighbouring one.
bool CodeNearSite(const PassageDoc& d, int first, int last,
                  const std::vector<std::string>& codes) {
  constexpr int kNearWords = 30;
  const int lo = d.marks[first].word - kNearWords;
  const int hi = d.marks[last].word + kNearWords;
  for (int i = 0; i < static_cast<int>(d.marks.size()); ++i) {
    const SiteMark& m = d.marks[i];
    if ((i >= first && i <= last) || m.word < lo || m.word > hi ||
        m.code.empty()) {
      continue;
    }
    if (std::binary_search(codes.begin(), codes.end(), Family(m.code))) {
      return true;
    }
  }
  return false;
}

// Both copies print marks at one place under different codes. A site is
// a group of marks (SameSite); each mark of it is matched, through the
// word it stands for, with the marks of `b` that stand for a word on the
// line that word maps to; the site's codes are compared with the codes of
// the sites of `b` so matched, so a margin code list that moved a line or
// two between copies compares as one list, and a code beside another line
// is not the same site.
void FindClashes(const PassageDoc& a, const PassageDoc& b,
                 const std::vector<Run>& runs, std::vector<CodeClash>* out) {
  if (a.marks.empty() || b.marks.empty()) return;
  const int na = static_cast<int>(a.marks.size());
  const int nb = static_cast<int>(b.marks.size());
  // A code alone on its line and one in the margin of a line of text are
  // different sites even next to the same words.
  auto own_line = [](const PassageDoc& d, const SiteMark& m) {
    return !(m.word > 0 && d.words[m.word - 1].line == m.line);
  };
  std::vector<int> b_anchor_line(nb, -1);
  for (int k = 0; k < nb; ++k) {
    const int w = AnchorWord(b, b.marks[k]);
    if (w >= 0) b_anchor_line[k] = b.words[w].line;
  }
  for (int i = 0; i < na;) {
    const auto [first, last] = SiteOf(a, i);
    i = last + 1;
    int b_first = -1;
    int b_last = -1;
    for (int m = first; m <= last; ++m) {
      const int wa = AnchorWord(a, a.marks[m]);
      if (wa < 0) continue;
      const int wb = MapWord(runs, wa);
      if (wb < 0) continue;
      const int line_b = b.words[wb].line;
      for (int k = 0; k < nb; ++k) {
        if (b_anchor_line[k] != line_b) continue;
        if (own_line(b, b.marks[k]) != own_line(a, a.marks[m])) continue;
        const auto [f, l] = SiteOf(b, k);
        b_first = b_first < 0 ? f : std::min(b_first, f);
        b_last = std::max(b_last, l);
      }
    }
    if (b_first < 0) continue;
    const std::vector<std::string> codes_a = SiteFamilies(a, first, last);
    const std::vector<std::string> codes_b = SiteFamilies(b, b_first, b_last);
    if (codes_a.empty() || codes_b.empty()) continue;
    std::vector<std::string> common;
    std::set_intersection(codes_a.begin(), codes_a.end(), codes_b.begin(),
                          codes_b.end(), std::back_inserter(common));
    // Disjoint grounds only: one site listing more codes than the other
    // is often two adjacent sites read as one.
    if (!common.empty()) continue;
    if (CodeNearSite(b, b_first, b_last, codes_a) ||
        CodeNearSite(a, first, last, codes_b)) {
      continue;
    }
    const SiteMark* mark_a = &a.marks[first];
    for (int m = first; m <= last && mark_a->code.empty(); ++m) {
      mark_a = &a.marks[m];
    }
    const SiteMark* mark_b = &b.marks[b_first];
    for (int m = b_first; m <= b_last && mark_b->code.empty(); ++m) {
      mark_b = &b.marks[m];
    }
    out->push_back(CodeClash{mark_a, mark_b, absl::StrJoin(codes_a, ","),
                             absl::StrJoin(codes_b, ",")});
  }
}

}  // namespace

namespace {

constexpr uint64_t kShingleBasis = 1469598103934665603ull;
// AlignOptions::shingle_words by default.
constexpr int kDefaultShingleWords = 8;

uint64_t ShingleStep(uint64_t h, uint32_t key) {
  h = (h ^ key) * 1099511628211ull;
  return h ^ (h >> 29);
}

// Shingles 0 .. 3 of the words at `x` into out[0 .. 3]. Four at a time:
// their hash chains are independent, so their multiplications overlap
// instead of waiting on one another. Inlined, and for a constant k written
// out, so that each key is loaded once for the four chains and no key moves
// from register to register between steps (a third of the loop's
// instructions otherwise).
inline __attribute__((always_inline)) void FourShingles(const Word* x, int k,
                                                        uint64_t* out) {
  uint64_t h0 = kShingleBasis;
  uint64_t h1 = kShingleBasis;
  uint64_t h2 = kShingleBasis;
  uint64_t h3 = kShingleBasis;
#pragma GCC unroll 8
  for (int j = 0; j < k; ++j) {
    h0 = ShingleStep(h0, x[j].key);
    h1 = ShingleStep(h1, x[j + 1].key);
    h2 = ShingleStep(h2, x[j + 2].key);
    h3 = ShingleStep(h3, x[j + 3].key);
  }
  out[0] = h0;
  out[1] = h1;
  out[2] = h2;
  out[3] = h3;
}

}  // namespace

std::vector<uint64_t> Shingles(const PassageDoc& doc, int k) {
  std::vector<uint64_t> out;
  const int n = static_cast<int>(doc.words.size());
  if (n < k) return out;
  const int count = n - k + 1;
  out.resize(count);
  const Word* w = doc.words.data();
  int i = 0;
  if (k == kDefaultShingleWords) {
    // The default k as a constant: FourShingles' loop is written out.
    for (; i + 4 <= count; i += 4) {
      FourShingles(w + i, kDefaultShingleWords, &out[i]);
    }
  }
  for (; i + 4 <= count; i += 4) FourShingles(w + i, k, &out[i]);
  for (; i < count; ++i) {
    uint64_t h = kShingleBasis;
    for (int j = i; j < i + k; ++j) h = ShingleStep(h, w[j].key);
    out[i] = h;
  }
  return out;
}

ShingleTable::ShingleTable(const std::vector<uint64_t>& shingles)
    : shingles_(shingles.data()),
      size_(shingles.size()),
      repeated_((shingles.size() + 63) / 64) {
  if (shingles.empty()) return;
  // Positions + 1 take `bits` bits (a document holds fewer than 2^31
  // shingles), the repeat bit the next one, the hash's bits the rest.
  int bits = 1;
  while ((uint64_t{1} << bits) <= shingles.size()) ++bits;
  pos_mask_ = static_cast<uint32_t>((uint64_t{1} << bits) - 1);
  repeat_bit_ = static_cast<uint32_t>(uint64_t{1} << bits);
  tag_mask_ = ~(pos_mask_ | repeat_bit_);
  slots_.resize(2 * shingles.size());
  uint32_t* slots = slots_.data();
  for (size_t i = 0; i < shingles.size(); ++i) {
    const uint64_t h = shingles[i];
    const uint32_t tag = Tag(h);
    for (size_t s = Home(h);; s = Next(s)) {
      const uint32_t v = slots[s];
      if (v == 0) {
        slots[s] = tag | static_cast<uint32_t>(i + 1);
        break;
      }
      const size_t first = (v & pos_mask_) - 1;
      if ((v & tag_mask_) == tag && shingles_[first] == h) {
        slots[s] = v | repeat_bit_;
        repeated_[first >> 6] |= uint64_t{1} << (first & 63);
        repeated_[i >> 6] |= uint64_t{1} << (i & 63);
        break;
      }
    }
  }
}

int ShingleTable::Find(uint64_t h) const {
  if (slots_.empty()) return -1;
  const uint32_t tag = Tag(h);
  for (size_t s = Home(h);; s = Next(s)) {
    const uint32_t v = slots_[s];
    if (v == 0) return -1;
    if ((v & tag_mask_) != tag) continue;
    const int pos = static_cast<int>(v & pos_mask_) - 1;
    if (shingles_[pos] == h) return (v & repeat_bit_) != 0 ? -1 : pos;
  }
}

int ShingleTable::MatchAfter(int pos, const uint64_t* h, int max) const {
  const size_t begin = static_cast<size_t>(pos);
  if (begin >= size_) return 0;
  const size_t limit =
      std::min(size_ - begin, static_cast<size_t>(std::max(max, 0)));
  size_t n = 0;
  while (n < limit && shingles_[begin + n] == h[n]) ++n;
  // The first repeated position in [begin, begin + n) ends the match.
  for (size_t x = begin; x < begin + n;) {
    const uint64_t bits = repeated_[x >> 6] >> (x & 63);
    if (bits != 0) {
      const size_t r = x + static_cast<size_t>(__builtin_ctzll(bits));
      if (r < begin + n) n = r - begin;
      break;
    }
    x = (x | 63) + 1;
  }
  return static_cast<int>(n);
}

int ShingleTable::MatchBefore(int pos, const uint64_t* h, int max) const {
  const size_t end = std::min(static_cast<size_t>(std::max(pos, 0)), size_);
  const size_t limit = std::min(end, static_cast<size_t>(std::max(max, 0)));
  size_t n = 0;
  while (n < limit &&
         shingles_[end - 1 - n] == h[-1 - static_cast<std::ptrdiff_t>(n)]) {
    ++n;
  }
  // The last repeated position in [end - n, end) ends the match.
  for (size_t x = end; x > end - n;) {
    const size_t last = x - 1;
    const uint64_t bits = repeated_[last >> 6] << (63 - (last & 63));
    if (bits != 0) {
      const size_t r = last - static_cast<size_t>(__builtin_clzll(bits));
      if (r >= end - n) n = end - 1 - r;
      break;
    }
    x = last & ~size_t{63};
  }
  return static_cast<int>(n);
}

PairResult AlignPair(const PassageDoc& a, const std::vector<uint64_t>& a_sh,
                     const ShingleTable& a_table, const PassageDoc& b,
                     const std::vector<uint64_t>& b_sh,
                     const std::function<int(uint64_t)>& specificity,
                     const AlignOptions& o) {
  (void)a_sh;
  PairResult out;
  const int k = o.shingle_words;
  // Runs: maximal stretches of b's shingles found in a, one after the
  // other in both. A kept run has `min_run` shingles or more, so b is
  // probed every `min_run` shingles and a shingle found is grown both ways
  // into its run: every run long enough holds a probe.
  const int min_run = std::max(1, o.min_anchor_words - k + 1);
  const int nb = static_cast<int>(b_sh.size());
  std::vector<Run> runs;
  int from = 0;  // b's shingles before `from` are in runs already looked at
  // The slots of the probes to come are loaded ahead of their look-ups,
  // as if each missed (most do): `ahead` is the next probe not loaded yet.
  constexpr int kProbesAhead = 12;
  int ahead = min_run - 1;
  for (int p = min_run - 1; p < nb;) {
    for (; ahead < nb && ahead <= p + kProbesAhead * min_run;
         ahead += min_run) {
      a_table.Prefetch(b_sh[ahead]);
    }
    const int i = a_table.Find(b_sh[p]);
    if (i < 0) {
      p += min_run;
      continue;
    }
    const int first = p - a_table.MatchBefore(i, &b_sh[p], p - from);
    const int last =
        p + a_table.MatchAfter(i + 1, b_sh.data() + p + 1, nb - 1 - p);
    const Run run{i - (p - first), first, last - first + k};
    if (run.words >= o.min_anchor_words) {
      bool specific = false;
      bool boilerplate = false;
      for (int j = first; j <= last && !specific; ++j) {
        const int sp = specificity(b_sh[j]);
        if (sp > 0) specific = true;
        if (sp < 0) boilerplate = true;
      }
      if (specific || (!boilerplate && run.words >= 2 * o.min_anchor_words)) {
        runs.push_back(run);
      }
    }
    from = last + 1;
    p = last + min_run;
    ahead = p;  // the probes from here on are others
  }
  if (runs.empty()) return out;

  int64_t covered = 0;
  for (const Run& r : runs) covered += r.words;
  out.coverage_a = a.words.empty() ? 0 : double(covered) / a.words.size();
  out.coverage_b = b.words.empty() ? 0 : double(covered) / b.words.size();

  std::vector<Run> by_a = runs;  // runs come in b order
  std::sort(by_a.begin(), by_a.end(),
            [](const Run& x, const Run& y) { return x.a < y.a; });
  // A From header of `d` outside the anchors whose value `o` never
  // prints in a From header.
  auto unaligned_header = [](const PassageDoc& d, const PassageDoc& o,
                             const std::vector<Run>& rs, bool first) {
    for (const HeaderField& h : d.headers) {
      if (h.field != 'F') continue;
      bool inside = false;
      for (const Run& r : rs) {
        const int start = first ? r.a : r.b;
        if (start <= h.word && h.word < start + r.words) inside = true;
      }
      if (inside) continue;
      bool elsewhere = false;
      for (const HeaderField& g : o.headers) {
        if (g.field == 'F' && g.value_key == h.value_key) elsewhere = true;
      }
      if (!elsewhere) return true;
    }
    return false;
  };
  // A Sent header of `d` whose value `o` never prints in a Sent header.
  auto own_sent = [](const PassageDoc& d, const PassageDoc& o) {
    for (const HeaderField& h : d.headers) {
      if (h.field != 'S') continue;
      bool elsewhere = false;
      for (const HeaderField& g : o.headers) {
        if (g.field == 'S' && g.value_key == h.value_key) elsewhere = true;
      }
      if (!elsewhere) return true;
    }
    return false;
  };
  out.different_sent = own_sent(a, b) && own_sent(b, a);
  out.unaligned_header_a = unaligned_header(a, b, runs, true);
  out.unaligned_header_b = unaligned_header(b, a, runs, false);
  FindGaps(a, b, by_a, o, &out.gaps_in_a);
  std::vector<Run> swapped;
  swapped.reserve(runs.size());
  for (const Run& r : runs) swapped.push_back(Run{r.b, r.a, r.words});
  FindGaps(b, a, swapped, o, &out.gaps_in_b);
  FindClashes(a, b, by_a, &out.clashes);
  return out;
}

}  // namespace ra::xdoc
