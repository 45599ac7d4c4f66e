#include "xdoc/xdoc.h"

#include <algorithm>
#include <thread>
#include <tuple>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "pack/rule_catalog.h"
#include "util/sha256.h"

namespace ra::xdoc {
namespace {

absl::string_view A(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

std::string DocKey(std::string_view case_number, std::string_view doc_number) {
  return absl::StrCat(A(case_number), "\x1f", A(doc_number));
}

std::string Fingerprint(std::string_view rule, std::string_view other_doc,
                        uint64_t content) {
  return Sha256Hex(absl::StrCat(A(rule), "\x1f", A(other_doc), "\x1f", content))
      .substr(0, 32);
}

uint64_t ContentKey(const PassageDoc& d, int begin, int end) {
  uint64_t h = 1469598103934665603ull;
  for (int i = begin; i < end && i < static_cast<int>(d.words.size()); ++i) {
    h = (h ^ d.words[i].key) * 1099511628211ull;
  }
  return h;
}

// Where a finding points: a word of `d` (line, column, length).
void AtWord(const PassageDoc& d, int w, Finding* f) {
  if (d.words.empty()) return;
  w = std::clamp(w, 0, static_cast<int>(d.words.size()) - 1);
  f->line = d.words[w].line;
  f->column = d.words[w].column;
  f->length = d.WordSize(w);
  f->page = d.PageOfLine(f->line);
}

void AtMark(const PassageDoc& d, const SiteMark& m, Finding* f) {
  f->line = m.line;
  f->column = m.column;
  f->length = static_cast<int>(m.printed.size());
  f->page = d.PageOfLine(m.line);
}

std::string Where(const Finding& f) {
  return absl::StrCat("page ", f.page, " line ", f.line);
}

std::string Codes(const PassageDoc& d, const SiteMark* mark) {
  if (mark != nullptr && !mark->code.empty()) return mark->code;
  if (d.stamp_codes.empty()) return "";
  return absl::StrJoin(d.stamp_codes, ",");
}

class Emitter {
 public:
  Emitter(const RulePack& pack, std::vector<XdocFinding>* out)
      : pack_(pack), out_(out) {}

  // A finding of `rule` on `d`, or nullptr when the pack disables it.
  Finding* Add(std::string_view rule, const PassageDoc& d,
               const PassageDoc& partner) {
    const RuleConfig cfg = pack_.Rule(rule);
    if (!cfg.enabled) return nullptr;
    XdocFinding x;
    x.case_number = d.case_number;
    x.doc_number = d.doc_number;
    x.version_id = d.version_id;
    x.partner_case_number = partner.case_number;
    x.partner_doc_number = partner.doc_number;
    x.finding.rule_id = std::string(rule);
    x.finding.severity = cfg.severity;
    out_->push_back(std::move(x));
    return &out_->back().finding;
  }

 private:
  const RulePack& pack_;
  std::vector<XdocFinding>* out_;
};

void EmitGap(const PassageDoc& r, const PassageDoc& s, const Gap& g,
             Emitter& emit) {
  const uint64_t content = ContentKey(s, g.released_begin, g.released_end);
  const std::string excerpt = s.Excerpt(g.released_begin, g.released_end);
  Finding at_r;
  std::string site = "text withheld here";
  std::string there;  // how the mirror names the site
  if (g.page != nullptr) {
    at_r.page = g.page->page;
    at_r.line = g.page->line;
    site = g.pages > 1 ? absl::StrCat("pages ", g.page->page, "-",
                                      g.page->page + g.pages - 1,
                                      " withheld in full here")
                       : absl::StrCat("page ", g.page->page,
                                      " withheld in full here");
    there = g.pages > 1 ? absl::StrCat(" in full as pages ", g.page->page, "-",
                                       g.page->page + g.pages - 1)
                        : absl::StrCat(" in full as page ", g.page->page);
  } else if (g.mark != nullptr) {
    AtMark(r, *g.mark, &at_r);
  } else {
    AtWord(r, g.redacting_after, &at_r);
    at_r.length = 0;
  }
  Finding at_s;
  AtWord(s, g.released_begin, &at_s);
  const std::string codes =
      g.page != nullptr && !g.page->codes.empty()
          ? absl::StrJoin(g.page->codes, ",")
          : Codes(r, g.mark);
  const std::string under = codes.empty() ? "" : absl::StrCat(" (", codes, ")");

  if (Finding* f = emit.Add(rule_id::kXdocReleasedElsewhere, r, s)) {
    *f = Finding{f->rule_id, f->severity, "", at_r.page, at_r.line,
                 at_r.column, at_r.length, excerpt, ""};
    f->message = absl::StrCat(site, under, " is released in ",
                              s.doc_number, " ", Where(at_s), ": \"",
                              s.Excerpt(g.released_begin, g.released_end, 80),
                              "\"");
    f->fingerprint = Fingerprint(f->rule_id, s.doc_number, content);
  }
  if (Finding* f = emit.Add(rule_id::kXdocWithheldElsewhere, s, r)) {
    *f = Finding{f->rule_id, f->severity, "", at_s.page, at_s.line,
                 at_s.column, at_s.length, excerpt, ""};
    f->message = absl::StrCat(
        "text released here is withheld", there, under, " in ", r.doc_number,
        " ",
        Where(at_r), ": \"", s.Excerpt(g.released_begin, g.released_end, 80),
        "\"");
    f->fingerprint = Fingerprint(f->rule_id, r.doc_number, content);
  }
}

void EmitClash(const PassageDoc& a, const PassageDoc& b, const CodeClash& c,
               Emitter& emit) {
  const PassageDoc* docs[2] = {&a, &b};
  const SiteMark* marks[2] = {c.mark_a, c.mark_b};
  const std::string* codes[2] = {&c.codes_a, &c.codes_b};
  Finding at[2];
  AtMark(a, *c.mark_a, &at[0]);
  AtMark(b, *c.mark_b, &at[1]);
  const uint64_t content =
      ContentKey(a, std::max(0, c.mark_a->word - 4), c.mark_a->word + 4);
  for (int x = 0; x < 2; ++x) {
    const int y = 1 - x;
    Finding* f = emit.Add(rule_id::kXdocExemptionDiffers, *docs[x], *docs[1 - x]);
    if (f == nullptr) continue;
    *f = Finding{f->rule_id, f->severity, "", at[x].page, at[x].line,
                 at[x].column, at[x].length, "", ""};
    const SiteMark& m = *marks[x];
    f->evidence = docs[x]->Excerpt(std::max(0, m.word - 6), m.word + 6);
    f->message = absl::StrCat("withheld here under ", *codes[x], "; the same "
                              "passage is withheld under ", *codes[y],
                              " in ", docs[y]->doc_number, " ", Where(at[y]));
    f->fingerprint =
        Fingerprint(f->rule_id, docs[y]->doc_number, content ^ (x + 1));
  }
}

void EmitDisposition(const PassageDoc& a, const PassageDoc& b, Emitter& emit) {
  const PassageDoc* docs[2] = {&a, &b};
  for (int x = 0; x < 2; ++x) {
    const PassageDoc& d = *docs[x];
    const PassageDoc& o = *docs[1 - x];
    Finding* f = emit.Add(rule_id::kXdocDispositionDiffers, d, o);
    if (f == nullptr) continue;
    f->message = absl::StrCat(
        "same content as ", o.doc_number, ", but stamped ",
        A(DispositionName(d.disposition)), " here and ",
        A(DispositionName(o.disposition)), " there");
    f->evidence = d.Excerpt(0, 12);
    f->fingerprint = Fingerprint(f->rule_id, o.doc_number,
                                 static_cast<uint64_t>(o.disposition));
  }
}

}  // namespace

void EmitPairFindings(const PassageDoc& a, const PassageDoc& b,
                      const PairResult& pair, const AlignOptions& options,
                      const RulePack& pack, std::vector<XdocFinding>* out) {
  const size_t first = out->size();
  Emitter emit(pack, out);
  for (const Gap& g : pair.gaps_in_a) EmitGap(a, b, g, emit);
  for (const Gap& g : pair.gaps_in_b) EmitGap(b, a, g, emit);
  for (const CodeClash& c : pair.clashes) EmitClash(a, b, c, emit);
  // Same content, different dispositions, and no site to explain it (nor
  // an email header only one copy prints: a forward of the same text; nor
  // a Sent time each prints and the other does not: replies to different
  // messages of one thread).
  if (pair.gaps_in_a.empty() && pair.gaps_in_b.empty() &&
      pair.clashes.empty() && !pair.unaligned_header_a &&
      !pair.unaligned_header_b && !pair.different_sent &&
      pair.coverage_a >= options.same_content_coverage &&
      pair.coverage_b >= options.same_content_coverage &&
      a.disposition != Disposition::kNone &&
      b.disposition != Disposition::kNone && a.disposition != b.disposition) {
    EmitDisposition(a, b, emit);
  }
  // The pack's suppressions, as for the per-document checks.
  out->erase(std::remove_if(out->begin() + static_cast<std::ptrdiff_t>(first),
                            out->end(),
                            [&pack](const XdocFinding& x) {
                              return pack.IsSuppressed(x.finding.fingerprint);
                            }),
             out->end());
}

PassageIndex::PassageIndex(XdocOptions options)
    : options_(std::move(options)) {}

namespace {

// Postings looked up this many hashes ahead of their use: loading a cell
// of the (large) table is most of a look-up.
constexpr size_t kPrefetchAhead = 8;

// True when `h` is sampled: one hash in `modulus` (a mask for a power of
// two, as by default, instead of a division per shingle).
bool IsSampled(uint64_t h, uint64_t modulus) {
  return (modulus & (modulus - 1)) == 0 ? (h & (modulus - 1)) == 0
                                        : h % modulus == 0;
}

// The distinct sampled shingles of `shingles`, in order of first
// occurrence: repeats are dropped through an open-addressing set of the
// hashes (0, its free mark, kept aside).
std::vector<uint64_t> Sampled(const std::vector<uint64_t>& shingles,
                              int modulus) {
  const uint64_t m = static_cast<uint64_t>(modulus);
  // Picked without a branch (one shingle in m is sampled, at random: a
  // branch on it is mispredicted most of the time): each shingle is
  // written at the end of the thread's list, which moves on past it when
  // it is sampled.
  thread_local std::vector<uint64_t> picked;
  if (picked.size() < shingles.size() + 1) picked.resize(shingles.size() + 1);
  size_t n = 0;
  for (uint64_t h : shingles) {
    picked[n] = h;
    n += IsSampled(h, m) ? 1 : 0;
  }
  std::vector<uint64_t> sampled;
  sampled.reserve(n);
  size_t size = 16;
  while (size < 2 * n) size *= 2;
  std::vector<uint64_t> seen(size, 0);
  bool seen_zero = false;
  for (size_t x = 0; x < n; ++x) {
    const uint64_t h = picked[x];
    bool fresh = false;
    if (h == 0) {
      fresh = !seen_zero;
      seen_zero = true;
    } else {
      for (size_t c = ((h * 0x9E3779B97F4A7C15ull) >> 32) & (size - 1);;
           c = (c + 1) & (size - 1)) {
        if (seen[c] == h) break;
        if (seen[c] == 0) {
          seen[c] = h;
          fresh = true;
          break;
        }
      }
    }
    if (fresh) sampled.push_back(h);
  }
  return sampled;
}

}  // namespace

size_t PassageIndex::Postings::Home(uint64_t h) const {
  return static_cast<size_t>((h * 0x9E3779B97F4A7C15ull) >> shift_);
}

PassageIndex::Postings::Slots PassageIndex::Postings::Find(uint64_t h) const {
  if (cells_.empty()) return {};
  const size_t mask = cells_.size() - 1;
  for (size_t c = Home(h);; c = (c + 1) & mask) {
    const Cell& cell = cells_[c];
    if (cell.data == kFree) return {};
    if (cell.hash() != h) continue;
    if (cell.data == kNone) return {};
    if ((cell.data & kList) == 0) return {&cell.data, 1};
    const uint32_t* block = &pool_[cell.data & ~kList];
    return {block + 2, block[0]};
  }
}

void PassageIndex::Postings::Prefetch(uint64_t h) const {
#if defined(__GNUC__)
  if (!cells_.empty()) __builtin_prefetch(&cells_[Home(h)]);
#endif
}

PassageIndex::Postings::Cell& PassageIndex::Postings::Place(uint64_t h) {
  const size_t mask = cells_.size() - 1;
  for (size_t c = Home(h);; c = (c + 1) & mask) {
    Cell& cell = cells_[c];
    if (cell.data == kFree || cell.hash() == h) return cell;
  }
}

void PassageIndex::Postings::Rehash() {
  // Cells whose last document left are dropped here: the table holds the
  // hashes of the documents indexed now, as a table built afresh would.
  // The rebuilt table is at most a third full, so that the next rebuild
  // (at half full) is a sixth of its size in additions away or more: a
  // table half full of live cells doubles, and is a quarter full. (Growing
  // it fourfold left it an eighth full after each rebuild: the index of
  // the dev corpus had 4M cells, 48 MB, for 0.8M hashes.)
  std::vector<Cell> old = std::move(cells_);
  const size_t live = used_ - empty_;
  size_t size = old.empty() ? 1024 : old.size();
  while (3 * (live + 1) > size) size *= 2;
  cells_.assign(size, Cell{});
  shift_ = 64 - __builtin_ctzll(cells_.size());
  used_ = 0;
  empty_ = 0;
  for (const Cell& cell : old) {
    if (cell.data == kFree || cell.data == kNone) continue;
    Place(cell.hash()) = cell;
    ++used_;
  }
}

uint32_t PassageIndex::Postings::NewBlock(uint32_t c) {
  std::vector<uint32_t>& unused = free_blocks_[c];
  if (!unused.empty()) {
    const uint32_t at = unused.back();
    unused.pop_back();
    pool_[at + 1] = c;
    return at;
  }
  const uint32_t at = static_cast<uint32_t>(pool_.size());
  pool_.resize(pool_.size() + BlockWords(c));
  pool_[at + 1] = c;
  return at;
}

void PassageIndex::Postings::FreeBlock(uint32_t at) {
  pool_[at] = 0;
  free_blocks_[pool_[at + 1]].push_back(at);
}

void PassageIndex::Postings::Add(uint64_t h, uint32_t slot) {
  if (2 * (used_ + 1) > cells_.size()) Rehash();
  Cell& cell = Place(h);
  if (cell.data == kFree) {
    cell.hash_low = static_cast<uint32_t>(h);
    cell.hash_high = static_cast<uint32_t>(h >> 32);
    cell.data = slot;
    ++used_;
  } else if (cell.data == kNone) {
    cell.data = slot;
    --empty_;
  } else if ((cell.data & kList) == 0) {
    const uint32_t at = NewBlock(0);
    pool_[at] = 2;
    pool_[at + 2] = cell.data;
    pool_[at + 3] = slot;
    cell.data = kList | at;
  } else {
    uint32_t at = cell.data & ~kList;
    const uint32_t size = pool_[at];
    const uint32_t c = pool_[at + 1];
    if (size + 2 == BlockWords(c)) {  // full: into a block twice the size
      const uint32_t grown = NewBlock(c + 1);
      std::copy(pool_.begin() + at + 2, pool_.begin() + at + 2 + size,
                pool_.begin() + grown + 2);
      pool_[grown] = size;
      FreeBlock(at);
      at = grown;
      cell.data = kList | at;
    }
    pool_[at + 2 + size] = slot;
    pool_[at] = size + 1;
  }
}

void PassageIndex::Postings::Remove(uint64_t h, uint32_t slot) {
  if (cells_.empty()) return;
  Cell& cell = Place(h);
  if (cell.data == kFree || cell.data == kNone) return;
  if ((cell.data & kList) == 0) {
    if (cell.data != slot) return;
    cell.data = kNone;
    // Replaced versions leave such cells behind; once they are most of
    // the table it is rebuilt without them.
    if (++empty_ > 1024 && 2 * empty_ > used_) Rehash();
    return;
  }
  const uint32_t at = cell.data & ~kList;
  uint32_t* const first = &pool_[at + 2];
  uint32_t* const last = first + pool_[at];
  uint32_t* const end = std::remove(first, last, slot);
  pool_[at] = static_cast<uint32_t>(end - first);
  if (pool_[at] == 1) {
    cell.data = *first;
    FreeBlock(at);
  }
}

const ShingleTable& PassageIndex::Entry::Table() const {
  absl::call_once(table_once, [this] { table.emplace(shingles); });
  return *table;
}

std::unique_ptr<PassageIndex::Entry> PassageIndex::MakeEntry(
    PassageDoc doc) const {
  auto entry = std::make_unique<Entry>();
  entry->shingles = Shingles(doc, options_.align.shingle_words);
  entry->sampled = Sampled(entry->shingles, options_.sample_modulus);
  entry->doc = std::move(doc);
  return entry;
}

void PassageIndex::Put(PassageDoc doc) { PutEntry(MakeEntry(std::move(doc))); }

void PassageIndex::PutEntry(std::unique_ptr<Entry> entry) {
  const std::string key = DocKey(entry->doc.case_number, entry->doc.doc_number);
  std::unique_ptr<Entry> replaced;  // freed after the lock is released
  absl::MutexLock lock(&mu_);
  auto [it, inserted] =
      slot_by_doc_.try_emplace(key, static_cast<uint32_t>(entries_.size()));
  const uint32_t slot = it->second;
  const Entry& added = *entry;
  if (inserted) {
    entries_.push_back(std::move(entry));
  } else {
    // A new version (or the same one again) takes the slot of the old one:
    // the old version leaves the postings of its sampled shingles, so every
    // count sees one entry per document, as in an index built afresh.
    replaced = std::move(entries_[slot]);
    for (uint64_t h : Sampled(replaced->shingles, options_.sample_modulus)) {
      postings_.Remove(h, slot);
    }
    entries_[slot] = std::move(entry);
  }
  const std::vector<uint64_t>& sampled = added.sampled;
  for (size_t x = 0; x < sampled.size(); ++x) {
    if (x + kPrefetchAhead < sampled.size()) {
      postings_.Prefetch(sampled[x + kPrefetchAhead]);
    }
    postings_.Add(sampled[x], slot);
  }
  // Indexed: the list is made again from the shingles when needed (a
  // replacement, a check of the case), not kept.
  entries_[slot]->sampled = std::vector<uint64_t>();
}

size_t PassageIndex::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return slot_by_doc_.size();
}

size_t PassageIndex::PostingsCapacity() const {
  absl::ReaderMutexLock lock(&mu_);
  return postings_.capacity();
}

size_t PassageIndex::CaseSize(std::string_view case_number) const {
  absl::ReaderMutexLock lock(&mu_);
  size_t n = 0;
  for (const auto& e : entries_) {
    if (e->doc.case_number == case_number) ++n;
  }
  return n;
}

std::vector<uint32_t> PassageIndex::Candidates(
    const std::vector<uint64_t>& sampled, std::string_view case_number,
    uint32_t first_slot, int64_t exclude_slot,
    std::vector<uint64_t>* boilerplate) const {
  // Specific samples shared with each slot, counted in a table of the
  // thread's (a counter per indexed document), cleared again after use.
  thread_local std::vector<uint32_t> shared;
  if (shared.size() < entries_.size()) shared.resize(entries_.size());
  // Slots counted: touched[0, n_touched). Each slot is written at the end
  // and kept there when its count leaves 0, without a branch (the first
  // and later samples of a slot come mixed, a branch on them is missed).
  thread_local std::vector<uint32_t> touched;
  if (touched.size() < entries_.size() + 1) touched.resize(entries_.size() + 1);
  size_t n_touched = 0;
  boilerplate->clear();
  for (size_t x = 0; x < sampled.size(); ++x) {
    if (x + kPrefetchAhead < sampled.size()) {
      postings_.Prefetch(sampled[x + kPrefetchAhead]);
    }
    const uint64_t h = sampled[x];
    const Postings::Slots slots = postings_.Find(h);
    if (static_cast<int64_t>(slots.size) > options_.max_doc_frequency) {
      boilerplate->push_back(h);
      continue;
    }
    for (uint32_t slot : slots) {
      if (slot < first_slot || static_cast<int64_t>(slot) == exclude_slot) {
        continue;
      }
      touched[n_touched] = slot;
      n_touched += shared[slot]++ == 0 ? 1 : 0;
    }
  }
  std::vector<uint32_t> out;
  for (size_t t = 0; t < n_touched; ++t) {
    const uint32_t slot = touched[t];
    const uint32_t n = shared[slot];
    shared[slot] = 0;
    if (static_cast<int64_t>(n) < options_.min_shared_samples) continue;
    const Entry& e = *entries_[slot];
    if (!options_.across_cases && e.doc.case_number != case_number) continue;
    out.push_back(slot);
  }
  std::sort(out.begin(), out.end());
  std::sort(boilerplate->begin(), boilerplate->end());
  return out;
}

void PassageIndex::ComparePair(const Entry& a,
                               const std::vector<uint64_t>& a_boilerplate,
                               const Entry& b, const RulePack& pack,
                               std::vector<XdocFinding>* out) const {
  // A shingle both print is one of a's: sampled, it is boilerplate when
  // Candidates found it so, and specific otherwise.
  const uint64_t modulus = static_cast<uint64_t>(options_.sample_modulus);
  const auto specificity = [&a_boilerplate, modulus](uint64_t h) {
    if (!IsSampled(h, modulus)) return 0;
    return std::binary_search(a_boilerplate.begin(), a_boilerplate.end(), h)
               ? -1
               : 1;
  };
  // The alignment of a pair depends on which document is the first (a
  // shingle repeated in the first anchors nothing, one repeated in the
  // second anchors each copy): the pair is aligned in one order, by case
  // and doc number, whichever of the two is checked, and whatever order
  // the documents were indexed in.
  const bool b_first = std::tie(b.doc.case_number, b.doc.doc_number) <
                       std::tie(a.doc.case_number, a.doc.doc_number);
  const Entry& first = b_first ? b : a;
  const Entry& second = b_first ? a : b;
  const PairResult pair =
      AlignPair(first.doc, first.shingles, first.Table(), second.doc,
                second.shingles, specificity, options_.align);
  EmitPairFindings(first.doc, second.doc, pair, options_.align, pack, out);
}

namespace {

// Drops repeated (document, fingerprint) findings and orders them.
void Finish(std::vector<XdocFinding>* out) {
  absl::flat_hash_set<std::string> seen;
  std::vector<XdocFinding> kept;
  for (XdocFinding& x : *out) {
    if (seen.insert(absl::StrCat(x.case_number, "\x1f", x.doc_number, "\x1f",
                                 x.finding.fingerprint))
            .second) {
      kept.push_back(std::move(x));
    }
  }
  std::stable_sort(kept.begin(), kept.end(),
                   [](const XdocFinding& x, const XdocFinding& y) {
                     return std::tie(x.case_number, x.doc_number,
                                     x.finding.line) <
                            std::tie(y.case_number, y.doc_number,
                                     y.finding.line);
                   });
  *out = std::move(kept);
}

}  // namespace

std::vector<XdocFinding> PassageIndex::Check(const PassageDoc& doc,
                                             const RulePack& pack) const {
  // The document is copied into an entry of its own (never indexed).
  return CheckEntry(*MakeEntry(doc), pack);
}

std::vector<XdocFinding> PassageIndex::CheckAndPut(PassageDoc doc,
                                                   const RulePack& pack) {
  std::unique_ptr<Entry> entry = MakeEntry(std::move(doc));
  std::vector<XdocFinding> out = CheckEntry(*entry, pack);
  PutEntry(std::move(entry));
  return out;
}

std::vector<XdocFinding> PassageIndex::CheckEntry(const Entry& entry,
                                                  const RulePack& pack) const {
  const PassageDoc& doc = entry.doc;
  std::vector<XdocFinding> out;
  std::vector<uint64_t> boilerplate;
  absl::ReaderMutexLock lock(&mu_);
  int64_t self = -1;
  auto it = slot_by_doc_.find(DocKey(doc.case_number, doc.doc_number));
  if (it != slot_by_doc_.end()) self = it->second;
  const std::vector<uint32_t> cands =
      Candidates(entry.sampled, doc.case_number, 0, self, &boilerplate);
  if (cands.empty()) return out;
  for (uint32_t slot : cands) {
    const Entry& b = *entries_[slot];
    if (b.doc.doc_number == doc.doc_number &&
        b.doc.case_number == doc.case_number) {
      continue;
    }
    ComparePair(entry, boilerplate, b, pack, &out);
  }
  Finish(&out);
  return out;
}

std::vector<XdocFinding> PassageIndex::CheckCase(std::string_view case_number,
                                                 const RulePack& pack) const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<uint32_t> slots;
  for (uint32_t a = 0; a < entries_.size(); ++a) {
    const Entry& ea = *entries_[a];
    if (!case_number.empty() && ea.doc.case_number != case_number) continue;
    slots.push_back(a);
  }
  // Each document against the later ones; slots dealt out to the threads.
  const int threads = std::max(1, options_.threads);
  std::vector<std::vector<XdocFinding>> parts(threads);
  auto work = [&](int t) ABSL_NO_THREAD_SAFETY_ANALYSIS {
    std::vector<uint64_t> boilerplate;
    for (size_t x = t; x < slots.size(); x += threads) {
      const uint32_t a = slots[x];
      const Entry& ea = *entries_[a];
      const std::vector<uint32_t> cands =
          Candidates(Sampled(ea.shingles, options_.sample_modulus),
                     ea.doc.case_number, a + 1, a, &boilerplate);
      for (uint32_t b : cands) {
        ComparePair(ea, boilerplate, *entries_[b], pack, &parts[t]);
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (std::thread& th : pool) th.join();
  std::vector<XdocFinding> out;
  for (auto& part : parts) {
    for (XdocFinding& x : part) out.push_back(std::move(x));
  }
  Finish(&out);
  return out;
}

}  // namespace ra::xdoc
