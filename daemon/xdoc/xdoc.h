// xdoc: cross-document consistency. An in-memory passage index over the
// stored document versions, and the rules that compare copies of the same
// passage across documents:
//   xdoc.released-elsewhere   text withheld here is printed in another
//                             document (on the redacting document)
//   xdoc.withheld-elsewhere   the mirror, on the releasing document
//   xdoc.exemption-differs    both withhold it, under different codes
//   xdoc.disposition-differs  the same content under two doc numbers with
//                             different dispositions (and no site above
//                             to explain the difference)
// A redaction site is a printed mark, a gap in a RELEASE IN PART / DENIED
// copy, or a page withheld in full (passage.h). Every finding names the
// other document of its pair (partner_*), so the store can close what a
// later check of that pair no longer produces.
// Plain C++ on in-memory values: no I/O, no SQL. Callers persist
// PassageText (see passage.h) and rebuild the index from it.
//
// Candidates are found through a sampled shingle index (one shingle hash in
// `sample_modulus`); a sampled shingle carried by more than
// `max_doc_frequency` documents is boilerplate (memo openings, Outlook flag
// lines, signature blocks) and neither finds candidates nor anchors an
// alignment. Each candidate pair is then aligned word by word (align.h).
//
// Thread-safe: Put takes a writer lock, Check and CheckCase reader locks,
// CheckAndPut a reader lock for its check, then the writer lock.
#ifndef RA_XDOC_XDOC_H_
#define RA_XDOC_XDOC_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/call_once.h"
#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "model/finding.h"
#include "pack/pack.h"
#include "xdoc/align.h"
#include "xdoc/passage.h"

namespace ra::xdoc {

struct XdocOptions {
  AlignOptions align;
  int sample_modulus = 4;
  int max_doc_frequency = 40;
  // Sampled specific shingles a candidate must share with the document.
  int min_shared_samples = 2;
  // Compare documents of different cases too (default: one case at a time).
  bool across_cases = false;
  // Threads CheckCase uses.
  int threads = 2;
};

// A finding on one document of the index (or the document checked).
struct XdocFinding {
  std::string case_number;
  std::string doc_number;
  int64_t version_id = 0;
  // The other document of the compared pair: the finding holds while the
  // pair is compared the same way, and is closed when a check of either
  // document no longer produces it.
  std::string partner_case_number;
  std::string partner_doc_number;
  Finding finding;
};

class PassageIndex {
 public:
  explicit PassageIndex(XdocOptions options = {});
  PassageIndex(const PassageIndex&) = delete;
  PassageIndex& operator=(const PassageIndex&) = delete;

  // Adds a document version. A document already indexed under the same
  // case and doc number is replaced in place: its older version leaves the
  // postings and is freed, so the index holds one entry per document, the
  // same counts (boilerplate, candidates) as an index built afresh from
  // the latest versions.
  void Put(PassageDoc doc) ABSL_LOCKS_EXCLUDED(mu_);
  // Documents indexed (latest versions).
  size_t size() const ABSL_LOCKS_EXCLUDED(mu_);
  // Documents indexed of one case.
  size_t CaseSize(std::string_view case_number) const ABSL_LOCKS_EXCLUDED(mu_);
  // Cells of the postings table: it follows the documents indexed now,
  // not every version ever indexed (for tests).
  size_t PostingsCapacity() const ABSL_LOCKS_EXCLUDED(mu_);

  // Compares `doc` with every indexed document (of its case, unless
  // across_cases) other than its own doc number. Findings for `doc` and
  // for the documents it is compared with, each finding once; rules the
  // pack disables are left out.
  std::vector<XdocFinding> Check(const PassageDoc& doc,
                                 const RulePack& pack) const
      ABSL_LOCKS_EXCLUDED(mu_);
  // Check(doc, pack), then Put(doc), the document cut into shingles once:
  // what an audit does with each new document.
  std::vector<XdocFinding> CheckAndPut(PassageDoc doc, const RulePack& pack)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Compares every pair of indexed documents of `case_number` (every case
  // when empty). Findings, each once, ordered by document and line.
  std::vector<XdocFinding> CheckCase(std::string_view case_number,
                                     const RulePack& pack) const
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  // Sampled shingle hash -> slots of the documents printing it. An
  // open-addressing table (linear probing, at most half full) of 12-byte
  // cells: a hash printed by one document (most are) holds its slot in the
  // cell, one printed by more the place of its list of slots in `pool_`.
  // A hash whose documents all left keeps its cell, with no document.
  class Postings {
   public:
    struct Slots {
      const uint32_t* data = nullptr;
      uint32_t size = 0;
      const uint32_t* begin() const { return data; }
      const uint32_t* end() const { return data + size; }
    };
    Slots Find(uint64_t h) const;
    // Starts loading the cell of `h` (a look-up of it comes soon).
    void Prefetch(uint64_t h) const;
    // `slot` must not be among h's slots yet.
    void Add(uint64_t h, uint32_t slot);
    void Remove(uint64_t h, uint32_t slot);
    size_t capacity() const { return cells_.size(); }

   private:
    // Cell::data: a free cell, a cell of no document, the bit of a list.
    static constexpr uint32_t kFree = ~uint32_t{0};
    static constexpr uint32_t kNone = kFree - 1;
    static constexpr uint32_t kList = uint32_t{1} << 31;
    // The hash in two halves (4-byte alignment: 12 bytes, not 16).
    struct Cell {
      uint32_t hash_low = 0;
      uint32_t hash_high = 0;
      // kFree, kNone, the slot of the only document (slots stay below
      // kList), or kList | the block in pool_ of the slots of more.
      uint32_t data = kFree;
      uint64_t hash() const {
        return uint64_t{hash_high} << 32 | hash_low;
      }
    };
    size_t Home(uint64_t h) const;
    Cell& Place(uint64_t h);  // h's cell, or the free cell it would take
    // Rebuilds the table without the cells of no document, doubling it
    // when the rest needs it.
    void Rehash();
    std::vector<Cell> cells_;
    size_t used_ = 0;   // cells not free
    size_t empty_ = 0;  // of which hold no document (their last one left)
    int shift_ = 64;
    // The lists of slots, in blocks of 2^(c+2) words (c, the block's
    // class: 0 .. kClasses-1) in one array: a look-up reads its cell and
    // then the block, no list header in between, and a list is no heap
    // block of its own. A block at `at` holds the list's size at
    // pool_[at], its class at pool_[at + 1], its slots from pool_[at + 2].
    static constexpr int kClasses = 30;
    static uint32_t BlockWords(uint32_t c) { return uint32_t{4} << c; }
    uint32_t NewBlock(uint32_t c);
    void FreeBlock(uint32_t at);
    std::vector<uint32_t> pool_;
    std::vector<uint32_t> free_blocks_[kClasses];  // unused blocks by class
  };

  struct Entry {
    PassageDoc doc;
    std::vector<uint64_t> shingles;
    // Distinct sampled shingles, until the entry is indexed (then empty:
    // Sampled(shingles) makes them again).
    std::vector<uint64_t> sampled;
    // The table of `shingles`, built the first time the document is the
    // first of a pair (whichever of the two is checked) and kept; many
    // documents are never first, and have none.
    const ShingleTable& Table() const;
    mutable absl::once_flag table_once;
    mutable std::optional<ShingleTable> table;
  };
  std::unique_ptr<Entry> MakeEntry(PassageDoc doc) const;
  void PutEntry(std::unique_ptr<Entry> entry) ABSL_LOCKS_EXCLUDED(mu_);
  // Check of the document of `entry`, an entry not indexed (yet).
  std::vector<XdocFinding> CheckEntry(const Entry& entry,
                                      const RulePack& pack) const
      ABSL_LOCKS_EXCLUDED(mu_);
  // Indexed slots from `first_slot` on, other than `exclude_slot`, sharing
  // enough specific sampled shingles with `sampled` (a document's distinct
  // sampled shingles), ascending. `*boilerplate` gets those of `sampled`
  // that are boilerplate, sorted.
  std::vector<uint32_t> Candidates(const std::vector<uint64_t>& sampled,
                                   std::string_view case_number,
                                   uint32_t first_slot, int64_t exclude_slot,
                                   std::vector<uint64_t>* boilerplate) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // `a_boilerplate`: a's boilerplate sampled shingles (from Candidates).
  void ComparePair(const Entry& a, const std::vector<uint64_t>& a_boilerplate,
                   const Entry& b, const RulePack& pack,
                   std::vector<XdocFinding>* out) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);

  const XdocOptions options_;
  mutable absl::Mutex mu_;
  // One entry per document (its latest version), in first-Put order.
  std::vector<std::unique_ptr<Entry>> entries_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, uint32_t> slot_by_doc_ ABSL_GUARDED_BY(mu_);
  Postings postings_ ABSL_GUARDED_BY(mu_);
};

// Appends the findings that one aligned pair yields (both directions) to
// `out`, with severities from `pack`; rules it disables and findings it
// suppresses are left out. Exposed for tests and benchmarks.
void EmitPairFindings(const PassageDoc& a, const PassageDoc& b,
                      const PairResult& pair, const AlignOptions& options,
                      const RulePack& pack, std::vector<XdocFinding>* out);

}  // namespace ra::xdoc

#endif  // RA_XDOC_XDOC_H_
