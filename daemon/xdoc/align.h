// xdoc alignment: two copies of the same passages, word by word. Plain C++
// on PassageDocs; no I/O.
//
// Both documents are cut into shingles (k consecutive word keys, hashed).
// Shingles printed once in each document are matched; consecutive matches
// on one diagonal form a run (a stretch of words both documents print the
// same way). Runs long and specific enough are anchors. Between two
// anchors that follow each other in both documents:
//   - the "redacting" document prints (almost) nothing while the
//     "releasing" one prints words: a divergence (text withheld here,
//     released there), kept when the redacting copy marks a code at that
//     place or withholds in part and the gap is not a different email
//     (no email header inside the released words, same Subject above);
//     A page withheld in full in the redacting copy is a site of its own.
//     Released words that are most of them printed elsewhere in the
//     redacting copy (columns read in another order) or that are only
//     address/attachment header lines (To:, Cc:, Attachments:) without a
//     mark are not withheld text;
//   - both print a mark at the same place under different codes.
// And when anchors cover almost all of both documents, they are the same
// content: their dispositions are compared.
#ifndef RA_XDOC_ALIGN_H_
#define RA_XDOC_ALIGN_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "xdoc/passage.h"

namespace ra::xdoc {

struct AlignOptions {
  int shingle_words = 8;        // k
  int min_anchor_words = 14;    // shared context needed on each side
  int max_junk_words = 3;       // words the redacting copy may print in a gap
  int min_unmarked_gap_words = 3;  // released words needed without a mark
  int max_gap_words = 2000;     // longer gaps are different content
                                // (per page, at a page withheld in full)
  int min_page_prose_words = 5;  // released prose needed at such a page
  double same_content_coverage = 0.9;
};

// Shingle hashes of a document: [i] covers words i .. i+k-1.
std::vector<uint64_t> Shingles(const PassageDoc& doc, int k);

// A stretch printed the same in both: words [a, a+words) of the first
// document equal words [b, b+words) of the second.
struct Run {
  int a = 0;
  int b = 0;
  int words = 0;
};

// Text released in `releasing` where `redacting` has a gap.
struct Gap {
  int redacting_before = 0;  // last word before the gap in `redacting`
  int redacting_after = 0;   // first word after the gap in `redacting`
  int released_begin = 0;    // released words [begin, end) in `releasing`
  int released_end = 0;
  const SiteMark* mark = nullptr;  // mark of `redacting` at the gap, if any
  // First page of `redacting` withheld in full at the gap, if any, and how
  // many such pages the gap holds.
  const WithheldPageSite* page = nullptr;
  int pages = 0;
};

// A place where both print a mark, under different codes.
// A site is a group of marks within three words or two lines of each
// other (a margin code list); its codes, a 1.4(x) reason counted
// as (b)(1), are compared with those of the other copy's sites its marks
// map onto; reported when the two share no code.
struct CodeClash {
  const SiteMark* mark_a = nullptr;  // first mark of the site in a
  const SiteMark* mark_b = nullptr;  // first mark of the site in b
  std::string codes_a;  // the site's codes, comma-joined
  std::string codes_b;
};

struct PairResult {
  std::vector<Gap> gaps_in_a;  // redacting = a, releasing = b
  std::vector<Gap> gaps_in_b;  // redacting = b, releasing = a
  std::vector<CodeClash> clashes;
  double coverage_a = 0;  // share of a's words inside anchors
  double coverage_b = 0;
  // A From header of a (b) outside every anchor, from a sender the other
  // copy never shows: a copy that adds a forwarding header is another
  // email, not the same content.
  bool unaligned_header_a = false;
  bool unaligned_header_b = false;
  // Each copy prints a Sent header whose value the other never prints:
  // replies to different messages of one thread, not the same content.
  bool different_sent = false;
};

// Shingle hash -> shingle position of a document, for matching; built
// once per document (the index keeps one with each document it holds)
// and reused for every partner. An open-addressing hash table (linear
// probing, half full) of 4-byte slots: a slot holds a position and bits
// of its hash, the hash itself is read from the shingles when those bits
// match, so a lookup, most of them for a hash the document does not hold,
// reads one or two slots. It reads `shingles`, which must outlive it
// unchanged.
class ShingleTable {
 public:
  explicit ShingleTable(const std::vector<uint64_t>& shingles);
  ShingleTable(const ShingleTable&) = delete;
  ShingleTable& operator=(const ShingleTable&) = delete;
  // Position of `h` in the document, or -1 when absent or repeated.
  int Find(uint64_t h) const;
  // Starts loading the slot where a look-up of `h` begins (one comes soon:
  // the slots of a table not used lately are out of the cache).
  void Prefetch(uint64_t h) const {
#if defined(__GNUC__)
    // No test for an empty table (Home is 0 then; a prefetch never
    // faults): GCC 12 drops a prefetch under such a branch.
    __builtin_prefetch(slots_.data() + Home(h));
#endif
  }
  // Find(h) == pos, without a look-up: the document prints `h` at `pos`
  // and nowhere else.
  bool At(int pos, uint64_t h) const {
    return pos >= 0 && static_cast<size_t>(pos) < size_ &&
           shingles_[pos] == h && !Repeated(pos);
  }
  // How many of At(pos + d, h[d]), d = 0, 1, ... up to `max` hold in a
  // row (`pos` >= 0): the shingles are compared first, the repeat bits
  // then a word of them at a time.
  int MatchAfter(int pos, const uint64_t* h, int max) const;
  // How many of At(pos - 1 - d, h[-1 - d]), d = 0, 1, ... up to `max`
  // hold in a row (`pos` <= the shingles).
  int MatchBefore(int pos, const uint64_t* h, int max) const;

 private:
  bool Repeated(int pos) const {
    return (repeated_[static_cast<size_t>(pos) >> 6] >> (pos & 63) & 1) != 0;
  }
  size_t Home(uint64_t h) const {
    return static_cast<size_t>(
        (static_cast<unsigned __int128>(h * 0x9E3779B97F4A7C15ull) *
         slots_.size()) >>
        64);
  }
  size_t Next(size_t s) const { return s + 1 == slots_.size() ? 0 : s + 1; }
  uint32_t Tag(uint64_t h) const {
    return static_cast<uint32_t>(h >> 32) & tag_mask_;
  }
  const uint64_t* shingles_;
  size_t size_ = 0;  // shingles
  // A bit per position: set when its hash is repeated.
  std::vector<uint64_t> repeated_;
  // 0 when free; else the position + 1 of the hash's first occurrence
  // (pos_mask_ bits), a bit set when the hash is repeated (repeat_bit_,
  // so that a look-up need not read repeated_ too), and bits of the hash
  // (the others, tag_mask_).
  std::vector<uint32_t> slots_;
  uint32_t pos_mask_ = 0;
  uint32_t repeat_bit_ = 0;
  uint32_t tag_mask_ = 0;
};

// Aligns `a` (with its table) and `b`. `specificity(h)` is +1 for a
// shingle known to be specific, -1 for boilerplate shared by many
// documents, 0 when unknown. An anchor holds a specific shingle, or no
// boilerplate one and twice min_anchor_words words.
PairResult AlignPair(const PassageDoc& a, const std::vector<uint64_t>& a_sh,
                     const ShingleTable& a_table, const PassageDoc& b,
                     const std::vector<uint64_t>& b_sh,
                     const std::function<int(uint64_t)>& specificity,
                     const AlignOptions& options);

}  // namespace ra::xdoc

#endif  // RA_XDOC_ALIGN_H_
