#include "xdoc/align.h"

#include <algorithm>
#include <iterator>

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

// True when s[begin, end) is printed somewhere in `r` (five words of it,
// starting at one of its first four words; all of it when shorter): moved
// text (a running page header or footer, a classification block), not
// withheld text.
bool PrintedIn(const PassageDoc& r, const PassageDoc& s, int begin, int end) {
  const int n = std::min(end - begin, 5);
  if (n < 3) return false;
  const int rn = static_cast<int>(r.words.size());
  for (int start = begin; start <= std::min(begin + 3, end - n); ++start) {
    for (int i = 0; i + n <= rn; ++i) {
      int x = 0;
      while (x < n && r.words[i + x].key == s.words[start + x].key) ++x;
      if (x == n) return true;
    }
  }
  return false;
}

// Gaps of `r` (redacting) against `s` (releasing). `runs` hold (r word,
// s word, words) and are sorted by r word.
void FindGaps(const PassageDoc& r, const PassageDoc& s,
              const std::vector<Run>& runs, const AlignOptions& o,
              std::vector<Gap>* out) {
  const bool withholds = r.disposition == Disposition::kPart ||
                         r.disposition == Disposition::kDenied;
  for (size_t x = 0; x + 1 < runs.size(); ++x) {
    const Run& r1 = runs[x];
    const Run& r2 = runs[x + 1];
    const int r_end = r1.a + r1.words;
    const int s_end = r1.b + r1.words;
    const int r_gap = r2.a - r_end;
    const int s_gap = r2.b - s_end;
    if (r_gap < 0 || r_gap > o.max_junk_words) continue;
    if (s_gap <= r_gap || s_gap > o.max_gap_words) continue;
    const SiteMark* mark = MarkWithin(r, r_end, r2.a);
    if (mark == nullptr &&
        (!withholds || s_gap - r_gap < o.min_unmarked_gap_words)) {
      continue;
    }
    if (!HasContent(s, s_end, r2.b) || PrintedIn(r, s, s_end, r2.b)) continue;
    // A different email in between, not a withheld passage.
    if (HeaderWithin(s, s_end, r2.b) || HeaderWithin(r, r_end, r2.a)) continue;
    const HeaderField* subject_r = SubjectAbove(r, r_end);
    const HeaderField* subject_s = SubjectAbove(s, s_end);
    if (subject_r != nullptr && subject_s != nullptr &&
        subject_r->value_key != subject_s->value_key) {
      continue;
    }
    Gap g;
    g.redacting_before = r_end - 1;
    g.redacting_after = r2.a;
    g.released_begin = s_end;
    g.released_end = r2.b;
    g.mark = mark;
    out->push_back(g);
  }
}

// E.O. 13526 reasons (1.4(x)) are the grounds of (b)(1): a site marked
// "B1 1.4(B)" and one marked "B1 1.4(D)" both withhold under (b)(1).
std::string Family(const std::string& code) {
  if (code.rfind("1.4", 0) == 0) return "(b)(1)";
  return code;
}

// Code families of the marks of `d` within `reach` words of word `w`.
std::vector<std::string> FamiliesNear(const PassageDoc& d, int w, int reach,
                                      const SiteMark** first) {
  std::vector<std::string> out;
  for (const SiteMark& m : d.marks) {
    if (m.code.empty() || m.word < w - reach || m.word > w + reach) continue;
    if (first != nullptr && *first == nullptr) *first = &m;
    out.push_back(Family(m.code));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void FindClashes(const PassageDoc& a, const PassageDoc& b,
                 const std::vector<Run>& runs, std::vector<CodeClash>* out) {
  if (a.marks.empty() || b.marks.empty()) return;
  constexpr int kReach = 3;  // words: marks this close are one site
  int last_site = -100;
  for (const SiteMark& m : a.marks) {
    if (m.code.empty() || m.word - last_site <= kReach) continue;
    int pb = -1;
    for (const Run& r : runs) {
      if (r.a < m.word && m.word < r.a + r.words) {
        pb = m.word - r.a + r.b;
        break;
      }
    }
    if (pb < 0) continue;
    last_site = m.word;
    const SiteMark* first_a = nullptr;
    const SiteMark* first_b = nullptr;
    const std::vector<std::string> codes_a =
        FamiliesNear(a, m.word, kReach, &first_a);
    const std::vector<std::string> codes_b =
        FamiliesNear(b, pb, kReach, &first_b);
    if (codes_b.empty()) continue;
    std::vector<std::string> common;
    std::set_intersection(codes_a.begin(), codes_a.end(), codes_b.begin(),
                          codes_b.end(), std::back_inserter(common));
    // Disjoint grounds only: one site listing more codes than the other
    // is often two adjacent sites read as one.
    if (!common.empty()) continue;
    out->push_back(CodeClash{first_a, first_b, absl::StrJoin(codes_a, ","),
                             absl::StrJoin(codes_b, ",")});
  }
}

}  // namespace

std::vector<uint64_t> Shingles(const PassageDoc& doc, int k) {
  std::vector<uint64_t> out;
  const int n = static_cast<int>(doc.words.size());
  if (n < k) return out;
  out.reserve(n - k + 1);
  for (int i = 0; i + k <= n; ++i) {
    uint64_t h = 1469598103934665603ull;
    for (int j = i; j < i + k; ++j) {
      h = (h ^ doc.words[j].key) * 1099511628211ull;
      h ^= h >> 29;
    }
    out.push_back(h);
  }
  return out;
}

ShingleTable::ShingleTable(const std::vector<uint64_t>& shingles) {
  sorted_.reserve(shingles.size());
  for (size_t i = 0; i < shingles.size(); ++i) {
    sorted_.push_back({shingles[i], static_cast<int>(i)});
  }
  std::sort(sorted_.begin(), sorted_.end());
  // Repeated hashes become one entry with position -1.
  size_t w = 0;
  for (size_t i = 0; i < sorted_.size();) {
    size_t j = i + 1;
    while (j < sorted_.size() && sorted_[j].first == sorted_[i].first) ++j;
    sorted_[w++] = {sorted_[i].first, j - i == 1 ? sorted_[i].second : -1};
    i = j;
  }
  sorted_.resize(w);
}

int ShingleTable::Find(uint64_t h) const {
  auto it = std::lower_bound(
      sorted_.begin(), sorted_.end(), h,
      [](const std::pair<uint64_t, int>& e, uint64_t v) { return e.first < v; });
  if (it == sorted_.end() || it->first != h) return -1;
  return it->second;
}

PairResult AlignPair(const PassageDoc& a, const std::vector<uint64_t>& a_sh,
                     const ShingleTable& a_table, const PassageDoc& b,
                     const std::vector<uint64_t>& b_sh,
                     const std::function<int(uint64_t)>& specificity,
                     const AlignOptions& o) {
  (void)a_sh;
  PairResult out;
  const int k = o.shingle_words;
  std::vector<Run> runs;
  Run cur;
  int last_i = -2;
  int last_j = -2;
  bool cur_specific = false;
  bool cur_boilerplate = false;
  int cur_shingles = 0;
  auto close = [&]() {
    if (cur_shingles == 0) return;
    cur.words = cur_shingles + k - 1;
    if (cur.words >= o.min_anchor_words &&
        (cur_specific ||
         (!cur_boilerplate && cur.words >= 2 * o.min_anchor_words))) {
      runs.push_back(cur);
    }
    cur_shingles = 0;
  };
  for (int j = 0; j < static_cast<int>(b_sh.size()); ++j) {
    const int i = a_table.Find(b_sh[j]);
    if (i < 0) continue;
    if (!(i == last_i + 1 && j == last_j + 1 && cur_shingles > 0)) {
      close();
      cur = Run{i, j, 0};
      cur_specific = false;
      cur_boilerplate = false;
    }
    ++cur_shingles;
    const int sp = specificity(b_sh[j]);
    if (sp > 0) cur_specific = true;
    if (sp < 0) cur_boilerplate = true;
    last_i = i;
    last_j = j;
  }
  close();
  if (runs.empty()) return out;

  int64_t covered = 0;
  for (const Run& r : runs) covered += r.words;
  out.coverage_a = a.words.empty() ? 0 : double(covered) / a.words.size();
  out.coverage_b = b.words.empty() ? 0 : double(covered) / b.words.size();

  std::vector<Run> by_a = runs;  // runs come in b order
  std::sort(by_a.begin(), by_a.end(),
            [](const Run& x, const Run& y) { return x.a < y.a; });
  FindGaps(a, b, by_a, o, &out.gaps_in_a);
  std::vector<Run> swapped;
  swapped.reserve(runs.size());
  for (const Run& r : runs) swapped.push_back(Run{r.b, r.a, r.words});
  FindGaps(b, a, swapped, o, &out.gaps_in_b);
  FindClashes(a, b, by_a, &out.clashes);
  return out;
}

}  // namespace ra::xdoc
