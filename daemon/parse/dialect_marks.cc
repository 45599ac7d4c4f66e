#include "parse/dialect_marks.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "parse/codes.h"

namespace ra::parse_internal {
namespace {

bool IsAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// End of a "(x)" group of 1-3 letters or digits starting at line[p], or -1.
int GroupEnd(std::string_view line, size_t p) {
  if (p >= line.size() || line[p] != '(') return -1;
  size_t q = p + 1;
  while (q < line.size() && q - p <= 3 && IsAlnum(line[q])) ++q;
  if (q == p + 1 || q >= line.size() || line[q] != ')') return -1;
  return static_cast<int>(q + 1);
}

bool Covered(const std::vector<Mark>& marks, size_t first, int column) {
  for (size_t m = first; m < marks.size(); ++m) {
    if (column >= marks[m].column && column < marks[m].column + marks[m].length) return true;
  }
  return false;
}

bool InSpan(const std::vector<Span>& spans, int i, int column) {
  for (const Span& s : spans) {
    if (s.line == i && column >= s.begin && column < s.end) return true;
  }
  return false;
}

Mark MakeMark(std::string_view line, int b, int e, int i, int page, const CodeMatch& m) {
  Mark mark;
  mark.page = page;
  mark.line = i + 1;
  mark.column = b;
  mark.length = e - b;
  mark.printed = std::string(line.substr(b, e - b));
  mark.code = m.code;
  mark.ocr_variant = m.ocr_variant;
  return mark;
}

// Upper-cased `s` with runs of white space folded to one space, trimmed.
std::string FoldLine(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (IsSpace(c)) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

void ReadInlineMarks(std::string_view line, int i, int page, const std::vector<Span>& spans,
                     const RulePack& pack, size_t line_first, std::vector<Mark>* marks) {
  constexpr int kMaxGroups = 4;
  size_t p = 0;
  while (p < line.size()) {
    const void* hit = std::memchr(line.data() + p, '(', line.size() - p);
    if (hit == nullptr) return;
    p = static_cast<const char*>(hit) - line.data();
    const int begin = static_cast<int>(p);
    ++p;
    if (begin > 0 && (IsAlnum(line[begin - 1]) || line[begin - 1] == ')')) continue;
    // Group ends, a single space allowed between groups: "(b) (7)(C)".
    int ends[kMaxGroups];
    int groups = 0;
    int q = begin;
    while (groups < kMaxGroups) {
      int e = GroupEnd(line, q);
      if (e < 0 && groups > 0 && q < static_cast<int>(line.size()) && line[q] == ' ') {
        e = GroupEnd(line, q + 1);
      }
      if (e < 0) break;
      ends[groups++] = e;
      q = e;
    }
    if (groups == 0) continue;
    // Longest run of groups that is an inline spelling.
    for (int g = groups; g > 0; --g) {
      const int end = ends[g - 1];
      if (end < static_cast<int>(line.size()) && IsAlnum(line[end])) continue;
      const CodeMatch* m = pack.Lookup(line.substr(begin, end - begin));
      if (m == nullptr || !m->read_inline) continue;
      if (!Covered(*marks, line_first, begin) && !InSpan(spans, i, begin)) {
        marks->push_back(MakeMark(line, begin, end, i, page, *m));
      }
      p = static_cast<size_t>(end);
      break;
    }
  }
}

bool ReadTightMarginMark(std::string_view line, int i, int page,
                         const std::vector<Span>& spans, const RulePack& pack,
                         std::vector<Mark>* marks) {
  constexpr int kDefaultColumn = 30;
  int end = static_cast<int>(line.size());
  while (end > 0 && IsSpace(line[end - 1])) --end;
  auto word_begin = [&](int e) {
    int b = e;
    while (b > 0 && !IsSpace(line[b - 1])) --b;
    return b;
  };
  int begin = word_begin(end);
  if (begin == 0 || end - begin > 12) return false;
  // "b6 -1": the last word is the suffix, the code stands before it.
  if (pack.IsCodeSuffix(line.substr(begin, end - begin))) {
    int e = begin;
    while (e > 0 && IsSpace(line[e - 1])) --e;
    if (e == 0) return false;
    end = e;
    begin = word_begin(end);
    if (begin == 0 || end - begin > 12) return false;
  }
  std::string_view word = line.substr(begin, end - begin);
  while (!word.empty() && (word.back() == ';' || word.back() == ',' || word.back() == '.')) {
    word.remove_suffix(1);
  }
  if (word.empty()) return false;
  const CodeMatch* m = pack.Lookup(word);
  if (m == nullptr) {
    const size_t suffix = pack.CodeSuffixLength(word);
    if (suffix == 0) return false;
    word.remove_suffix(suffix);
    m = pack.Lookup(word);
  }
  if (m == nullptr || m->margin_gap == 0) return false;
  int prev_end = begin;
  while (prev_end > 0 && IsSpace(line[prev_end - 1])) --prev_end;
  if (begin - prev_end < m->margin_gap) return false;
  if (begin < (m->margin_column > 0 ? m->margin_column : kDefaultColumn)) return false;
  if (InSpan(spans, i, begin)) return false;
  marks->push_back(MakeMark(line, begin, begin + static_cast<int>(word.size()), i, page, *m));
  return true;
}

bool WithheldSheetReader::Feed(std::string_view line, int i, std::vector<WithheldPage>* out) {
  // Sheets are rare: a title is looked for only on short lines.
  constexpr int kMaxMisses = 10;
  const std::vector<WithheldSheetInfo>& sheets = pack_.withheld_sheets();
  if (sheets.empty()) return false;
  if (line.size() < 80) {
    const std::string folded = FoldLine(line);
    for (const WithheldSheetInfo& s : sheets) {
      if (folded == s.title) {
        sheet_ = &s;
        misses_ = 0;
        return true;
      }
    }
  }
  if (sheet_ == nullptr) return false;
  if (ReadEntry(line, i, out)) {
    misses_ = 0;
    return true;
  }
  if (++misses_ > kMaxMisses) sheet_ = nullptr;
  return false;
}

bool WithheldSheetReader::ReadTransposed(std::string_view line, int i,
                                         std::vector<WithheldPage>* out) const {
  // Columns split on tabs, cells of a column on vertical tabs:
  // "Page \vPage \t144 \v145 \tb6; b7C; \vb6; b7C;".
  std::vector<std::vector<std::string_view>> columns;
  size_t p = 0;
  while (p <= line.size()) {
    size_t tab = line.find('\t', p);
    if (tab == std::string_view::npos) tab = line.size();
    std::vector<std::string_view> cells;
    std::string_view column = line.substr(p, tab - p);
    size_t q = 0;
    while (q <= column.size()) {
      size_t vt = column.find('\v', q);
      if (vt == std::string_view::npos) vt = column.size();
      const std::string_view cell = Trim(column.substr(q, vt - q));
      if (!cell.empty()) cells.push_back(cell);
      q = vt + 1;
    }
    if (!cells.empty()) columns.push_back(std::move(cells));
    p = tab + 1;
  }
  if (columns.size() != 3) return false;
  const size_t k = columns[0].size();
  if (k < 2 || columns[1].size() != k || columns[2].size() != k) return false;
  std::vector<WithheldPage> entries(k);
  for (size_t c = 0; c < k; ++c) {
    if (!StartsWithNoCase(columns[0][c], sheet_->page_word) ||
        columns[0][c].size() != sheet_->page_word.size()) {
      return false;
    }
    int number = 0;
    for (char d : columns[1][c]) {
      if (d < '0' || d > '9' || number > 99999) return false;
      number = number * 10 + (d - '0');
    }
    entries[c].line = i + 1;
    entries[c].page_number = number;
    const std::string_view codes = columns[2][c];
    const int column = static_cast<int>(codes.data() - line.data());
    if (!ReadCodeList(codes, column, pack_, false, &entries[c].codes)) return false;
    for (Mark& m : entries[c].codes) m.line = i + 1;
  }
  for (WithheldPage& e : entries) out->push_back(std::move(e));
  return true;
}

bool WithheldSheetReader::ReadEntry(std::string_view line, int i,
                                    std::vector<WithheldPage>* out) const {
  if (line.find('\v') != std::string_view::npos) return ReadTransposed(line, i, out);
  size_t p = 0;
  while (p < line.size() && IsSpace(line[p])) ++p;
  const std::string& word = sheet_->page_word;
  if (!StartsWithNoCase(line.substr(p), word)) return false;
  p += word.size();
  const size_t after_word = p;
  while (p < line.size() && IsSpace(line[p])) ++p;
  if (p == after_word) return false;
  int number = 0;
  const size_t digits = p;
  while (p < line.size() && line[p] >= '0' && line[p] <= '9' && p - digits < 6) {
    number = number * 10 + (line[p] - '0');
    ++p;
  }
  if (p == digits || (p < line.size() && !IsSpace(line[p]) && line[p] != '-')) return false;
  while (p < line.size() && (IsSpace(line[p]) || line[p] == '-')) ++p;
  std::string_view rest = Trim(line.substr(p));
  while (!rest.empty() && (rest.back() == ';' || IsSpace(rest.back()))) rest.remove_suffix(1);
  if (rest.empty()) return false;
  WithheldPage entry;
  entry.line = i + 1;
  entry.page_number = number;
  for (const std::string& d : sheet_->duplicate_words) {
    if (StartsWithNoCase(rest, d)) {
      entry.duplicate = true;
      std::string_view of = rest.substr(d.size());
      while (!of.empty() && (IsSpace(of.front()) || of.front() == '-')) of.remove_prefix(1);
      entry.duplicate_of = std::string(of);
      out->push_back(std::move(entry));
      return true;
    }
  }
  const int column = static_cast<int>(rest.data() - line.data());
  if (ReadCodeList(rest, column, pack_, false, &entry.codes)) {
    for (Mark& m : entry.codes) m.line = i + 1;
  } else {
    std::string reason;
    for (char c : rest) {
      if (IsSpace(c)) {
        if (!reason.empty() && reason.back() != ' ') reason.push_back(' ');
      } else {
        reason.push_back(c);
      }
    }
    entry.other_reason = std::move(reason);
  }
  out->push_back(std::move(entry));
  return true;
}

}  // namespace ra::parse_internal
