#include "parse/stamp.h"

#include <cstdlib>
#include <string>

#include "parse/codes.h"
#include "parse/fields.h"

namespace ra::parse_internal {
namespace {

constexpr std::string_view kReleaseIn = "RELEASE IN";
constexpr std::string_view kFull = "RELEASE IN FULL";
constexpr std::string_view kPart = "RELEASE IN PART";
// How far (bytes) the continuation of a split stamp may drift sideways.
constexpr int kColumnSlack = 25;
// Lines a split stamp may span below its first line.
constexpr int kMaxStampLines = 3;
// Garbled stamps are only looked for right of this column (the stamp sits
// in the upper right corner).
constexpr int kRightColumn = 40;
// A stamp of which only the disposition word survived is only believed in
// the first lines of the document.
constexpr int kTopLines = 12;
constexpr std::string_view kEaseIn = "EASE IN";

// A piece of a line that may open a stamp.
struct Segment {
  int begin;
  int end;
  bool header_tail;  // text after a page header's date
};

bool WordBoundary(std::string_view s, size_t pos) {
  return pos >= s.size() || IsSpace(s[pos]) || s[pos] == ',' || s[pos] == '-';
}

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }

// Disposition word at the start of `s` ("PART", "FULL"); sets *rest. Once
// a stamp is established OCR debris may stick to the word ("FULLI",
// "FULL]", "PART.").
Disposition DispositionWord(std::string_view s, std::string_view* rest) {
  Disposition d = Disposition::kNone;
  if (StartsWithNoCase(s, "PART") && (s.size() == 4 || !IsUpper(s[4]))) {
    d = Disposition::kPart;
  }
  if (StartsWithNoCase(s, "FULL")) d = Disposition::kFull;
  if (d != Disposition::kNone) *rest = s.substr(4);
  return d;
}

// Length of the longest suffix of `stamp` (>= 2 bytes) that `s` starts
// with, ending at a word boundary of s; 0 if none.
size_t StampSuffixPrefix(std::string_view s, std::string_view stamp) {
  for (size_t len = stamp.size(); len >= 2; --len) {
    const std::string_view suffix = stamp.substr(stamp.size() - len);
    if (suffix[0] == ' ') continue;
    if (StartsWithNoCase(s, suffix) && WordBoundary(s, len)) return len;
  }
  return 0;
}

// True when `s` ends with the word `word` (ASCII case-insensitive).
bool EndsWithWord(std::string_view s, std::string_view word) {
  if (s.size() < word.size()) return false;
  const size_t p = s.size() - word.size();
  return StartsWithNoCase(s.substr(p), word) && (p == 0 || !IsUpper(s[p - 1]));
}

// What a segment says: a disposition with the text after it, or a stamp
// whose disposition continues on the next lines (`open`).
struct Opening {
  Disposition disposition = Disposition::kNone;
  std::string_view rest;  // text after the disposition word
  bool open = false;
};

Opening ReadOpening(std::string_view t, bool header_tail, bool right_column, bool top) {
  Opening o;
  size_t pos = FindNoCase(t, kEaseIn);
  if (pos != std::string_view::npos) {
    std::string_view after = Trim(t.substr(pos + kEaseIn.size()));
    if (after.empty() || IsDebrisField(after)) {
      o.open = true;
    } else {
      o.disposition = DispositionWord(after, &o.rest);
    }
    return o;
  }
  if (header_tail) {
    // A stamp cut by the header: "FuLL", "SE IN FULL", "RT", "PART B6".
    for (std::string_view full : {kFull, kPart}) {
      const size_t len = StampSuffixPrefix(t, full);
      if (len == 0) continue;
      o.disposition = DispositionWord(full.substr(full.size() - 4), &o.rest);
      o.rest = t.substr(len);
      return o;
    }
    if (StampSuffixPrefix(t, kReleaseIn) == t.size()) o.open = true;
    return o;
  }
  // "RELEASE" / "IN PART B6": the rest is on the next lines.
  if (EndsWithWord(t, "RELEASE")) {
    o.open = true;
    return o;
  }
  if (!right_column || t.size() > 40) return o;
  // An OCR-garbled "RELEASE" before "IN FULL" / "IN PART" ("KtLtAbt IN
  // PART", "LmaLamSE IN FULL"): at most one word before "IN".
  pos = t.find("IN ");
  if (pos != std::string_view::npos && (pos == 0 || t[pos - 1] == ' ') &&
      (pos == 0 || t.substr(0, pos - 1).find(' ') == std::string_view::npos)) {
    std::string_view rest;
    const Disposition d = DispositionWord(t.substr(pos + 3), &rest);
    if (d != Disposition::kNone) {
      o.disposition = d;
      o.rest = rest;
      return o;
    }
  }
  // Only the disposition survived, near the top of the first page: "FULL",
  // "..4 FULL", "..J PART B6".
  if (top) {
    std::string_view rest;
    std::string_view word = t;
    const size_t space = t.find(' ');
    if (space != std::string_view::npos && space <= 3 && !IsUpper(t[0]) &&
        !(t[0] >= 'a' && t[0] <= 'z')) {
      word = t.substr(space + 1);
    }
    const Disposition d = DispositionWord(word, &rest);
    if (d != Disposition::kNone && (rest.empty() || rest[0] == ' ')) {
      o.disposition = d;
      o.rest = rest;
      return o;
    }
  }
  // A garbled "RELEASE IN" ("KtLt/Abt IN") ending a right-hand field.
  if (t.size() >= 5 && t.size() <= 20 && t.substr(t.size() - 3) == " IN") o.open = true;
  return o;
}

// True when a code list goes on to the next line ("B1,1.4(B),1.4(D),").
bool EndsWithComma(std::string_view s) {
  s = Trim(s);
  return !s.empty() && s.back() == ',';
}

// Reads the stamp's code list from a field near `column` on one of the
// `max_lines` lines from `from`; a list ending in a comma goes on below.
bool ReadCodesNear(const std::vector<std::string_view>& lines, int from, int max_lines,
                   int column, const RulePack& pack, Stamp* stamp, std::vector<Span>* spans) {
  thread_local std::vector<Field> fields;
  const int n = static_cast<int>(lines.size());
  for (int j = from; j < n && j < from + max_lines; ++j) {
    SplitFields(lines[j], &fields);
    for (const Field& g : fields) {
      if (std::abs(g.begin - column) > kColumnSlack) continue;
      const size_t before = stamp->codes.size();
      if (!ReadCodeList(FieldText(lines[j], g), g.begin, pack, true, &stamp->codes)) continue;
      for (size_t k = before; k < stamp->codes.size(); ++k) stamp->codes[k].line = j + 1;
      spans->push_back(Span{j, g.begin, g.end});
      if (EndsWithComma(FieldText(lines[j], g))) {
        ReadCodesNear(lines, j + 1, 1, g.begin, pack, stamp, spans);
      }
      return true;
    }
  }
  return false;
}

// "RELEASE IN PART B1,1.4(D),B3 CIA" / "PERS/ORG,B6": the stamp's last
// code has a qualifier that goes on, as a two-word qualifier of the pack
// ("CIA PERS/ORG"), at the start of a field near `column` on line `j`;
// the rest of that field, after a comma, is more of the list.
void ReadQualifierContinuation(const std::vector<std::string_view>& lines, int j,
                               int column, const RulePack& pack, Stamp* stamp,
                               std::vector<Span>* spans) {
  if (stamp->codes.empty() || stamp->codes.back().qualifier.empty()) return;
  if (j >= static_cast<int>(lines.size())) return;
  thread_local std::vector<Field> fields;
  SplitFields(lines[j], &fields);
  for (const Field& g : fields) {
    if (std::abs(g.begin - column) > kColumnSlack) continue;
    const std::string_view t = FieldText(lines[j], g);
    const size_t comma = t.find(',');
    const std::string_view word = Trim(t.substr(0, comma));
    const size_t qualified = stamp->codes.size() - 1;
    const std::string joined =
        stamp->codes[qualified].qualifier + " " + std::string(word);
    if (word.empty() || !pack.IsQualifier(joined)) return;
    if (comma != std::string_view::npos) {
      const size_t before = stamp->codes.size();
      if (!ReadCodeList(t.substr(comma + 1), g.begin + static_cast<int>(comma + 1),
                        pack, true, &stamp->codes)) {
        return;  // not a code list after all: leave the line alone
      }
      for (size_t k = before; k < stamp->codes.size(); ++k) stamp->codes[k].line = j + 1;
    }
    stamp->codes[qualified].qualifier = joined;
    spans->push_back(Span{j, g.begin, g.end});
    return;
  }
}

}  // namespace

bool ReadStamp(const std::vector<std::string_view>& lines, int i, int tail_begin,
               const RulePack& pack, Stamp* stamp, std::vector<Span>* spans) {
  const std::string_view line = lines[i];
  // Every line is asked until the stamp is found. Outside a header's tail,
  // a piece opens a stamp only with "ease" in it (RELEASE, EASE IN) or as
  // a field right of kRightColumn, which needs a gap before it (two spaces
  // or a byte below ' ' from kRightColumn - 2 on).
  const bool has_ease = FindNoCase(line, "EASE") != std::string_view::npos;
  if (tail_begin < 0 && !has_ease &&
      (static_cast<int>(line.size()) <= kRightColumn ||
       !MayHoldGap(line, kRightColumn - 2, static_cast<int>(line.size())))) {
    return false;
  }
  thread_local std::vector<Field> fields;
  thread_local std::vector<Segment> segments;
  segments.clear();
  if (tail_begin >= 0) {
    segments.push_back(Segment{tail_begin, static_cast<int>(line.size()), true});
  }
  SplitFields(line, &fields);
  for (size_t k = 0; k < fields.size(); ++k) {
    const Field& f = fields[k];
    if (tail_begin >= 0 && f.end > tail_begin) break;
    const std::string_view t = FieldText(line, f);
    size_t pos = std::string_view::npos;
    if (has_ease) {
      pos = FindNoCase(t, "RELEASE");
      if (pos == std::string_view::npos) pos = FindNoCase(t, kEaseIn);
    }
    if (pos != std::string_view::npos) {
      segments.push_back(Segment{f.begin + static_cast<int>(pos), f.end, false});
    } else if (f.begin >= kRightColumn && t.size() <= 40 &&
               (t.find("IN ") != std::string_view::npos || EndsWithWord(t, "IN") ||
                (i < kTopLines && (FindNoCase(t, "FULL") < 5 || FindNoCase(t, "PART") < 5)))) {
      segments.push_back(Segment{f.begin, f.end, false});
    }
  }
  for (const Segment& seg : segments) {
    std::string_view t = Trim(line.substr(seg.begin, seg.end - seg.begin));
    const int begin = seg.begin + static_cast<int>(
        line.substr(seg.begin).find_first_not_of(" \t\f"));
    Opening o = ReadOpening(t, seg.header_tail, begin >= kRightColumn, i < kTopLines);
    if (o.disposition == Disposition::kNone && !o.open) continue;

    Stamp s;
    s.line = i + 1;
    std::vector<Span> used;
    used.push_back(Span{i, seg.begin, static_cast<int>(line.size())});
    int disposition_line = i;
    std::string_view rest = o.rest;
    std::string_view rest_line = line;
    if (o.open) {
      // "RELEASE IN" / "PART B6": the disposition is on a following line.
      const int n = static_cast<int>(lines.size());
      for (int j = i + 1; j < n && j <= i + kMaxStampLines && o.disposition == Disposition::kNone;
           ++j) {
        SplitFields(lines[j], &fields);
        for (const Field& g : fields) {
          if (std::abs(g.begin - begin) > kColumnSlack) continue;
          std::string_view gt = FieldText(lines[j], g);
          if (StartsWithNoCase(gt, "IN ")) gt = Trim(gt.substr(3));
          o.disposition = DispositionWord(gt, &rest);
          if (o.disposition == Disposition::kNone) continue;
          used.push_back(Span{j, g.begin, g.end});
          disposition_line = j;
          rest_line = lines[j];
          break;
        }
      }
      if (o.disposition == Disposition::kNone) continue;
    }
    s.disposition = o.disposition;
    if (s.disposition == Disposition::kPart) {
      const std::string_view codes = Trim(rest);
      if (!codes.empty()) {
        const int column = static_cast<int>(codes.data() - rest_line.data());
        if (ReadCodeList(codes, column, pack, true, &s.codes)) {
          for (Mark& m : s.codes) m.line = disposition_line + 1;
          if (EndsWithComma(codes)) {
            ReadCodesNear(lines, disposition_line + 1, 1, begin, pack, &s, &used);
          } else {
            ReadQualifierContinuation(lines, disposition_line + 1, begin, pack, &s,
                                      &used);
          }
        }
      }
      if (s.codes.empty()) {
        ReadCodesNear(lines, disposition_line + 1, 2, begin, pack, &s, &used);
      }
    }
    *stamp = std::move(s);
    spans->insert(spans->end(), used.begin(), used.end());
    return true;
  }
  return false;
}

}  // namespace ra::parse_internal
