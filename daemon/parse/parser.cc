// parse: one pass over the lines of a document. Each line is read as
// fields; page headers, the release stamp and the classification block are
// recognized first (they claim regions of lines), then what is left of the
// line is searched for margin codes and email header fields.
#include "parse/parser.h"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <utility>

#include "parse/classification.h"
#include "parse/codes.h"
#include "parse/dialect_marks.h"
#include "parse/fields.h"
#include "parse/lines.h"
#include "parse/page_header.h"
#include "parse/stamp.h"

namespace ra {
namespace {

using parse_internal::Field;
using parse_internal::HeaderHit;
using parse_internal::kClassifiedBy;
using parse_internal::kHeaderPhrase;
using parse_internal::Span;

// A code field sharing its line with other text must stand this far
// (bytes of gap) from the text before it, and start at least at this
// column: codes in the right margin, not words of the body.
constexpr int kMinMarginGap = 3;
constexpr int kMinMarginColumn = 30;
// Far right, pdftotext sometimes leaves only two spaces before the code.
constexpr int kFarRightColumn = 70;

bool IsBlankFrom(const std::vector<std::string_view>& lines, size_t i) {
  for (; i < lines.size(); ++i) {
    if (!parse_internal::IsBlank(lines[i])) return false;
  }
  return true;
}

void AddDistinct(const std::string& value, std::vector<std::string>* out) {
  if (value.empty()) return;
  if (std::find(out->begin(), out->end(), value) == out->end()) out->push_back(value);
}

// The email header field a line starts with ("From:", "Sent:", "> To:",
// "Subject" followed by a wide gap); empty if none. Sets *value_begin.
// `text_begin`: the line's first byte that is no white space.
std::string_view EmailField(std::string_view line, size_t text_begin, int* value_begin) {
  size_t p = text_begin;  // no white space there: only quote marks to skip
  while (p < line.size() && line[p] == '>') {
    p = parse_internal::SkipSpaces(line, p + 1);
  }
  if (p >= line.size()) return {};
  // Every line comes here: only the names starting with its first byte
  // (at most two, tried in this order) are compared.
  std::string_view names[2];
  switch (line[p]) {
    case 'F':
      names[0] = "From";
      break;
    case 'S':
      names[0] = "Sent";
      names[1] = "Subject";
      break;
    case 'T':
      names[0] = "To";
      break;
    case 'C':
      names[0] = "Cc";
      names[1] = "CC";
      break;
    case 'D':
      names[0] = "Date";
      break;
    case 'B':
      names[0] = "Bcc";
      break;
    default:
      return {};
  }
  const std::string_view rest = line.substr(p);
  for (std::string_view name : names) {
    if (name.empty()) break;
    if (rest.substr(0, name.size()) != name) continue;
    size_t q = p + name.size();
    if (q < line.size() && (line[q] == ':' || line[q] == ';')) {
      ++q;
    } else if (!(q + 2 < line.size() && line[q] == ' ' && line[q + 1] == ' ' &&
                 !parse_internal::IsBlank(line.substr(q)))) {
      continue;
    }
    *value_begin = static_cast<int>(q);
    return name == "CC" ? std::string_view("Cc") : name;
  }
  return {};
}

bool Claimed(const std::vector<Span>& spans, int line, int begin, int end) {
  for (const Span& s : spans) {
    if (s.line == line && begin < s.end && s.begin < end) return true;
  }
  return false;
}

// The field of `line` ending at `end` (no trailing space), found by
// scanning left at most `max` bytes; false when it is longer than that.
bool FieldEndingAt(std::string_view line, int end, int max, Field* f) {
  // A field of at most `max` bytes starts after a gap byte at lo or right
  // of it, or at the line start.
  const int lo = std::max(0, end - max - 1);
  const int j = parse_internal::LastGapByte(line, lo, end);
  if (j >= 0) {
    *f = Field{j + 1, end};
    return true;
  }
  // No gap: the field starts at the line start, or left of lo (too long).
  if (lo > 0 || end > max) return false;
  *f = Field{0, end};
  return true;
}

// Margin codes of line i: code fields at the right end of the line (after
// debris such as a stray quote), standing apart from the text before them.
// Scans from the right, so a long body line costs only its last bytes.
void ReadMarks(std::string_view line, int i, int page, const std::vector<Span>& spans,
               const RulePack& pack, std::vector<Mark>* marks) {
  constexpr int kMaxCodeField = 40;
  const size_t first_new = marks->size();
  int end = static_cast<int>(line.size());
  bool seen_code = false;
  while (true) {
    end = static_cast<int>(parse_internal::SkipSpacesBack(line, end));
    if (end == 0) break;
    Field f;
    if (!FieldEndingAt(line, end, kMaxCodeField, &f)) break;
    const int prev_end = static_cast<int>(parse_internal::SkipSpacesBack(line, f.begin));
    const std::string_view text = parse_internal::FieldText(line, f);
    end = prev_end;
    if (!seen_code && (parse_internal::IsDebrisField(text) || pack.IsTrailingDebris(text))) {
      continue;
    }
    if (prev_end > 0) {
      const int gap = f.begin - prev_end;
      if (f.begin < kMinMarginColumn) break;
      if (gap < (f.begin >= kFarRightColumn ? 2 : kMinMarginGap)) break;
    }
    if (Claimed(spans, i, f.begin, f.end)) break;
    const size_t before = marks->size();
    if (!parse_internal::ReadCodeList(text, f.begin, pack, true, marks)) break;
    seen_code = true;
    for (size_t m = before; m < marks->size(); ++m) {
      (*marks)[m].line = i + 1;
      (*marks)[m].page = page;
    }
  }
  // Fields were read right to left; keep the line's marks in text order.
  std::sort(marks->begin() + first_new, marks->end(),
            [](const Mark& a, const Mark& b) { return a.column < b.column; });
}

void FindPages(const std::vector<std::string_view>& lines,
               const std::vector<char>& phrases, Document* doc) {
  const int n = static_cast<int>(lines.size());
  bool any_form_feed = false;
  for (const std::string_view& l : lines) {
    if (!l.empty() && l[0] == '\f') {
      any_form_feed = true;
      break;
    }
  }
  // Room for a few pages at once (a released record has one to a few;
  // growing one at a time cost a copy at the 2nd and 3rd).
  if (n > 0) doc->pages.reserve(4);
  Page page{1, 1, n};
  auto start_page = [&](int index) {
    page.last_line = index;  // 1-based last line = index (0-based) of new start
    doc->pages.push_back(page);
    page = Page{page.number + 1, index + 1, n};
  };
  if (any_form_feed) {
    for (int i = 1; i < n; ++i) {
      if (!lines[i].empty() && lines[i][0] == '\f' && !IsBlankFrom(lines, i)) start_page(i);
    }
  } else {
    // No form feeds: a footer followed (blank lines aside) by a header
    // starts a new page at the header.
    int last_header_end = -1;
    for (int i = 0; i < n; ++i) {
      if (parse_internal::IsBlank(lines[i])) continue;
      HeaderHit hit;
      if ((phrases[i] & kHeaderPhrase) && parse_internal::ReadPageHeader(lines, i, &hit)) {
        if (last_header_end >= 0 && i > 0) start_page(i);
        last_header_end = hit.last_line;
        i = hit.last_line;
        continue;
      }
      last_header_end = -1;
    }
  }
  if (n > 0) doc->pages.push_back(page);
}

}  // namespace

Document Parse(std::string text, const RulePack& pack) {
  Document doc;
  doc.text = std::move(text);
  std::vector<char> phrases;  // LinePhrase bits per line
  parse_internal::ScanLines(doc.text, &doc.lines, &phrases);
  const std::vector<std::string_view>& lines = doc.lines;
  const int n = static_cast<int>(lines.size());
  FindPages(lines, phrases, &doc);

  // Regions claimed by the stamp and the classification block: a few.
  std::vector<Span> spans;
  spans.reserve(8);
  parse_internal::WithheldSheetReader sheets(pack);
  const bool has_sheets = !pack.withheld_sheets().empty();
  size_t page_index = 0;
  int header_last_line = -1;  // last line index of the header being read
  bool have_stamp = false;
  for (int i = 0; i < n; ++i) {
    while (page_index + 1 < doc.pages.size() && doc.pages[page_index].last_line < i + 1) {
      ++page_index;
    }
    const int page = doc.pages.empty() ? 1 : doc.pages[page_index].number;
    const std::string_view line = lines[i];
    const size_t text_begin = parse_internal::SkipSpaces(line, 0);
    if (text_begin == line.size()) continue;  // blank

    int tail_begin = -1;
    if (i > header_last_line) {
      HeaderHit hit;
      if ((phrases[i] & kHeaderPhrase) && parse_internal::ReadPageHeader(lines, i, &hit)) {
        hit.header.page = page;
        AddDistinct(hit.header.case_number, &doc.case_numbers);
        AddDistinct(hit.header.doc_number, &doc.doc_numbers);
        AddDistinct(hit.header.release_date, &doc.release_dates);
        // A released page carries one header: grow the vector once, not on
        // the 2nd and 3rd page (same below for the email header fields).
        if (doc.page_headers.empty()) doc.page_headers.reserve(4);
        doc.page_headers.push_back(std::move(hit.header));
        header_last_line = hit.last_line;
        if (hit.last_line == i) tail_begin = hit.tail_begin;
      }
    } else if (i == header_last_line) {
      // Second line of a split header: its tail is read like the first's.
      HeaderHit hit;
      if ((phrases[i - 1] & kHeaderPhrase) &&
          parse_internal::ReadPageHeader(lines, i - 1, &hit)) {
        tail_begin = hit.tail_begin;
      }
    }

    if (!have_stamp &&
        parse_internal::ReadStamp(lines, i, tail_begin, pack, &doc.stamp, &spans)) {
      have_stamp = true;
      for (Mark& m : doc.stamp.codes) m.page = doc.PageOfLine(m.line);
    }
    if ((phrases[i] & kClassifiedBy) && !doc.classification.has_value()) {
      Classification c;
      if (parse_internal::ReadClassification(lines, i, pack, &c, &spans)) {
        doc.classification = std::move(c);
      }
    }

    if (has_sheets && sheets.Feed(line, i, &doc.withheld_pages)) {
      for (auto w = doc.withheld_pages.rbegin();
           w != doc.withheld_pages.rend() && w->line == i + 1; ++w) {
        for (Mark& m : w->codes) m.page = page;
      }
      continue;
    }

    const size_t line_first = doc.marks.size();
    ReadMarks(line, i, page, spans, pack, &doc.marks);
    if (pack.has_inline_dialect()) {
      const size_t before = doc.marks.size();
      parse_internal::ReadInlineMarks(line, i, page, spans, pack, line_first, &doc.marks);
      if (doc.marks.size() != before) {
        std::sort(doc.marks.begin() + line_first, doc.marks.end(),
                  [](const Mark& a, const Mark& b) { return a.column < b.column; });
      }
    }
    if (pack.min_margin_gap() > 0 && doc.marks.size() == line_first) {
      parse_internal::ReadTightMarginMark(line, i, page, spans, pack, &doc.marks);
    }

    int value_begin = 0;
    const std::string_view field = EmailField(line, text_begin, &value_begin);
    if (!field.empty()) {
      int value_end = static_cast<int>(line.size());
      for (const Span& s : spans) {
        if (s.line == i && s.begin >= value_begin) value_end = std::min(value_end, s.begin);
      }
      for (auto m = doc.marks.rbegin(); m != doc.marks.rend() && m->line == i + 1; ++m) {
        if (m->column >= value_begin) value_end = std::min(value_end, m->column);
      }
      EmailHeader h;
      h.line = i + 1;
      h.field = std::string(field);
      h.value = std::string(parse_internal::Trim(line.substr(value_begin, value_end - value_begin)));
      if (doc.email_headers.empty()) doc.email_headers.reserve(16);
      doc.email_headers.push_back(std::move(h));
    }
  }
  return doc;
}

}  // namespace ra
