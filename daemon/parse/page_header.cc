#include "parse/page_header.h"

#include <string>

#include "parse/fields.h"

namespace ra::parse_internal {
namespace {

constexpr std::string_view kDocNo = "Doc No";

bool HasDigit(std::string_view s) {
  for (char c : s) {
    if (c >= '0' && c <= '9') return true;
  }
  return false;
}

// The word starting at s[pos] (after skipping separators `skip`).
std::string_view WordAfter(std::string_view s, size_t pos, std::string_view skip) {
  while (pos < s.size() && (IsSpace(s[pos]) || skip.find(s[pos]) != std::string_view::npos)) {
    ++pos;
  }
  size_t end = pos;
  while (end < s.size() && !IsSpace(s[end])) ++end;
  return s.substr(pos, end - pos);
}

// Position just after the "Case No" label ("Case No.", "Case No:", "Case
// NO.", "Case •No.", "Case   No", "base No."), or npos.
size_t FindCaseLabel(std::string_view line) {
  size_t pos = 0;
  while (true) {
    size_t c = line.find("ase", pos);
    if (c == std::string_view::npos || c == 0) return std::string_view::npos;
    pos = c + 3;
    const char lead = line[c - 1];
    if (lead != 'C' && lead != 'b') continue;
    size_t k = c + 3;
    size_t skipped = 0;
    while (k < line.size() && skipped < 4 && (line[k] == ' ' || line[k] == '\xe2' ||
                                             line[k] == '\x80' || line[k] == '\xa2')) {
      ++k;
      ++skipped;
    }
    if (skipped == 0 || k + 2 > line.size() || (line[k] != 'N' && line[k] != 'n')) continue;
    if (line[k + 1] != 'o' && line[k + 1] != 'O' && line[k + 1] != 'c') continue;
    // "No", "NO", "Nc", "NO" followed by a separator or stuck to the value.
    k += 2;
    if (k < line.size() && (line[k] == '.' || line[k] == ':' || line[k] == ';' ||
                            line[k] == ',')) {
      ++k;
    }
    return k;
  }
}

// Reads the date after "Date:" in `line` from `from`; sets tail column.
void ReadDate(std::string_view line, size_t from, HeaderHit* hit) {
  size_t d = line.find("Date", from);
  if (d == std::string_view::npos) return;
  size_t p = d + 4;
  while (p < line.size() && (line[p] == ':' || line[p] == ';' || line[p] == '.' ||
                             IsSpace(line[p]))) {
    ++p;
  }
  size_t end;
  if (IsDateAt(line, p)) {
    end = p + 10;
  } else {
    end = p;
    while (end < line.size() && !IsSpace(line[end])) ++end;
  }
  hit->header.release_date = std::string(line.substr(p, end - p));
  if (!IsBlank(line.substr(end))) hit->tail_begin = static_cast<int>(end);
}

}  // namespace

bool ReadPageHeader(const std::vector<std::string_view>& lines, int i, HeaderHit* hit) {
  const std::string_view line = lines[i];
  size_t doc = line.find(kDocNo);
  size_t case_end = FindCaseLabel(line);
  if (doc == std::string_view::npos && case_end == std::string_view::npos) return false;
  if (case_end != std::string_view::npos && doc != std::string_view::npos && case_end > doc) {
    case_end = std::string_view::npos;
  }
  *hit = HeaderHit();
  hit->header.line = i + 1;
  hit->last_line = i;
  std::string_view doc_line = line;
  if (case_end != std::string_view::npos) {
    const bool labeled = line.find("Department") != std::string_view::npos ||
                         line.find("UNCLASSIFIED") != std::string_view::npos;
    const std::string_view value = WordAfter(line, case_end, "");
    if (doc == std::string_view::npos) {
      // Split header: "Case No. F-2014-20439" / "F   Doc No. C05763139 ...".
      const bool next_has_doc = i + 1 < static_cast<int>(lines.size()) &&
                                lines[i + 1].find(kDocNo) != std::string_view::npos;
      if (!labeled && !next_has_doc) return false;
      if (!HasDigit(value) && !next_has_doc) return false;
      hit->header.case_number = std::string(value);
      if (next_has_doc) {
        hit->last_line = i + 1;
        doc_line = lines[i + 1];
        doc = doc_line.find(kDocNo);
      } else {
        ReadDate(line, case_end, hit);
        return true;
      }
    } else {
      if (!labeled && !HasDigit(value)) return false;
      // The whole text up to "Doc No", so that "No., F-2014-20439" and
      // "F- 2014-20439" keep their number.
      std::string_view between = line.substr(case_end, doc - case_end);
      while (!between.empty() && (IsSpace(between[0]) || between[0] == '.' ||
                                  between[0] == ',' || between[0] == ':' || between[0] == ';')) {
        between.remove_prefix(1);
      }
      between = Trim(between);
      hit->header.case_number = std::string(between.empty() ? value : between);
    }
  } else {
    // "Doc No." without a case label: the case number, if any, is the word
    // just before it ("F-2014-20439 Doc No. ...").
    size_t e = doc;
    while (e > 0 && IsSpace(line[e - 1])) --e;
    size_t b = e;
    while (b > 0 && !IsSpace(line[b - 1])) --b;
    const std::string_view before = line.substr(b, e - b);
    if (before.find('-') != std::string_view::npos && HasDigit(before)) {
      hit->header.case_number = std::string(before);
    }
  }
  const std::string_view doc_value = WordAfter(doc_line, doc + kDocNo.size(), ".;:,");
  hit->header.doc_number = std::string(doc_value);
  ReadDate(doc_line, doc + kDocNo.size(), hit);
  return !hit->header.doc_number.empty() || !hit->header.case_number.empty();
}

}  // namespace ra::parse_internal
