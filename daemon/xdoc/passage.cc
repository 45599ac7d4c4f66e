#include "xdoc/passage.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

// PassageText format, one record per line, fields separated by one space
// (the last field of L/M/H records runs to the end of the line):
//   P <first_line>                 one per page, in order
//   D <disposition> <codes|->      stamp disposition name, codes comma-joined
//   L <line> <column> <text>       a body line; removed spans blanked;
//                                  <column> is where <text> starts
//   M <line> <column> <code|-> <printed>   a mark (its span is blanked)
//   H <line> <F|S|J> <value>       email header From / Sent / Subject
// L, M and H records come in line order.

namespace ra::xdoc {
namespace {

bool IsWordByte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z') || c >= 0x80;
}

absl::string_view A(std::string_view s) {
  return absl::string_view(s.data(), s.size());
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

// Blanks links ("http://...", "www...", "[mailto:...]"): copies of one
// email differ in whether the text layer spells them out.
void BlankLinks(std::string& line) {
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ') ++j;
    std::string chunk = line.substr(i, j - i);
    for (char& c : chunk) c = static_cast<char>(std::tolower(c));
    bool link = false;
    for (const char* p : {"http:", "https:", "www.", "mailto", "=", "&", "%",
                          ".htm", ".php", ".jsp", ".asp", ".cfm", ".com/",
                          ".org/", ".gov/", ".net/", ".jpg", ".gif", ".png"}) {
      if (chunk.find(p) != std::string::npos) link = true;
    }
    // A wrapped link's continuation: a long chunk with a slash.
    if (chunk.size() >= 15 && chunk.find('/') != std::string::npos) link = true;
    if (link) {
      std::fill(line.begin() + i, line.begin() + j, ' ');
    }
    i = j;
  }
}

// A classification banner line ("SENSITIVE BUT UNCLASSIFIED",
// "UNCLASSIFIED"), printed at page tops and bottoms in some copies only.
bool IsBannerLine(std::string_view line) {
  bool any = false;
  size_t i = 0;
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

bool IsPageHeaderLine(std::string_view line) {
  // Whole, or split over two lines by the text layer.
  return line.find("Case No") != std::string_view::npos ||
         line.find("Doc No") != std::string_view::npos ||
         line.find("U.S. Department of State") != std::string_view::npos;
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
    if (leading && (k == WordKey("re") || k == WordKey("fw") ||
                    k == WordKey("fwd"))) {
      continue;
    }
    leading = false;
    h = (h ^ k) * 1099511628211ull;
  }
  return h;
}

}  // namespace

uint32_t WordKey(std::string_view word) {
  uint32_t h = 2166136261u;
  for (unsigned char c : word) {
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    switch (c) {
      case '0': c = 'o'; break;
      case '1': case 'i': case '|': c = 'l'; break;
      case '5': c = 's'; break;
      default: break;
    }
    h = (h ^ c) * 16777619u;
  }
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

std::string PassageText(const Document& doc) {
  std::string out;
  for (const Page& p : doc.pages) absl::StrAppend(&out, "P ", p.first_line, "\n");
  std::vector<std::string> codes;
  for (const Mark& m : doc.stamp.codes) {
    if (!m.code.empty()) codes.push_back(m.code);
  }
  absl::StrAppend(&out, "D ", A(DispositionName(doc.stamp.disposition)), " ",
                  codes.empty() ? "-" : absl::StrJoin(codes, ","), "\n");

  // Lines to drop whole, and spans to blank, by line.
  std::vector<bool> drop(doc.lines.size() + 2, false);
  for (const PageHeader& h : doc.page_headers) {
    if (h.line > 0 && h.line < static_cast<int>(drop.size())) drop[h.line] = true;
  }
  std::vector<std::vector<std::pair<int, int>>> blank(doc.lines.size() + 2);
  auto add_blank = [&](const Mark& m) {
    if (m.line > 0 && m.line < static_cast<int>(blank.size())) {
      blank[m.line].push_back({m.column, m.length});
    }
  };
  for (const Mark& m : doc.stamp.codes) add_blank(m);
  for (const Mark& m : doc.marks) add_blank(m);

  size_t next_mark = 0;
  size_t next_header = 0;
  for (int ln = 1; ln <= doc.line_count(); ++ln) {
    while (next_mark < doc.marks.size() && doc.marks[next_mark].line <= ln) {
      const Mark& m = doc.marks[next_mark++];
      if (m.line != ln) continue;
      absl::StrAppend(&out, "M ", m.line, " ", m.column, " ",
                      m.code.empty() ? "-" : m.code, " ", m.printed, "\n");
    }
    while (next_header < doc.email_headers.size() &&
           doc.email_headers[next_header].line <= ln) {
      const EmailHeader& h = doc.email_headers[next_header++];
      char f = h.field == "From" ? 'F' : h.field == "Sent" ? 'S'
               : h.field == "Subject" ? 'J' : 0;
      if (f == 0 || h.line != ln) continue;
      std::string value = h.value;
      std::replace(value.begin(), value.end(), '\n', ' ');
      absl::StrAppend(&out, "H ", h.line, " ", std::string(1, f), " ", value,
                      "\n");
    }
    if (drop[ln]) continue;
    std::string line(doc.lines[ln - 1]);
    if (IsPageHeaderLine(line) || IsBannerLine(line)) continue;
    for (auto [col, len] : blank[ln]) {
      if (col < 0 || col >= static_cast<int>(line.size())) continue;
      const size_t end = std::min(line.size(), static_cast<size_t>(col + len));
      std::fill(line.begin() + col, line.begin() + end, ' ');
    }
    if (ln == doc.stamp.line) BlankStampWords(line);
    BlankLinks(line);
    for (char& c : line) {
      if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    }
    size_t first = 0;
    while (first < line.size() && !IsWordByte(line[first])) ++first;
    size_t last = line.size();
    while (last > first && !IsWordByte(line[last - 1])) --last;
    if (first >= last) continue;
    absl::StrAppend(&out, "L ", ln, " ", first, " ",
                    absl::string_view(line).substr(first, last - first), "\n");
  }
  return out;
}

absl::StatusOr<PassageDoc> ParsePassageText(std::string_view passage_text) {
  PassageDoc doc;
  int line_no = 0;
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("passage text line ", line_no, ": ", why));
  };
  for (absl::string_view rec : absl::StrSplit(A(passage_text), '\n')) {
    ++line_no;
    if (rec.empty()) continue;
    if (rec.size() < 2 || rec[1] != ' ') return bad("malformed record");
    const char kind = rec[0];
    rec.remove_prefix(2);
    // Splits off the next space-separated field.
    auto field = [&rec]() {
      size_t sp = rec.find(' ');
      absl::string_view f = rec.substr(0, sp);
      rec = sp == absl::string_view::npos ? absl::string_view()
                                          : rec.substr(sp + 1);
      return f;
    };
    int a = 0;
    int b = 0;
    switch (kind) {
      case 'P':
        if (!absl::SimpleAtoi(field(), &a)) return bad("bad page line");
        doc.page_first_lines.push_back(a);
        break;
      case 'D': {
        absl::string_view name = field();
        std::optional<Disposition> d =
            ParseDisposition(std::string_view(name.data(), name.size()));
        if (!d.has_value()) return bad("bad disposition");
        doc.disposition = *d;
        absl::string_view codes = field();
        if (codes != "-") {
          for (absl::string_view c : absl::StrSplit(codes, ',')) {
            doc.stamp_codes.emplace_back(c);
          }
        }
        break;
      }
      case 'L': {
        if (!absl::SimpleAtoi(field(), &a) || !absl::SimpleAtoi(field(), &b)) {
          return bad("bad body line");
        }
        size_t i = 0;
        while (i < rec.size()) {
          while (i < rec.size() && !IsWordByte(rec[i])) ++i;
          size_t j = i;
          while (j < rec.size() && IsWordByte(rec[j])) ++j;
          if (j == i) break;
          Word w;
          w.key = WordKey(std::string_view(rec.data() + i, j - i));
          if (!doc.text.empty()) doc.text += ' ';
          w.offset = static_cast<uint32_t>(doc.text.size());
          w.size = static_cast<uint16_t>(std::min<size_t>(j - i, 65535));
          doc.text.append(rec.data() + i, w.size);
          w.column = static_cast<uint16_t>(std::min<size_t>(b + i, 65535));
          w.line = a;
          doc.words.push_back(w);
          i = j;
        }
        break;
      }
      case 'M': {
        SiteMark m;
        if (!absl::SimpleAtoi(field(), &m.line) ||
            !absl::SimpleAtoi(field(), &m.column)) {
          return bad("bad mark");
        }
        absl::string_view code = field();
        m.code = code == "-" ? "" : std::string(code);
        m.printed = std::string(rec);
        m.word = static_cast<int>(doc.words.size());
        doc.marks.push_back(std::move(m));
        break;
      }
      case 'H': {
        HeaderField h;
        if (!absl::SimpleAtoi(field(), &h.line)) return bad("bad header");
        absl::string_view f = field();
        if (f.size() != 1) return bad("bad header field");
        h.field = f[0];
        h.value_key = HashWords(std::string_view(rec.data(), rec.size()),
                                h.field == 'J');
        h.word = static_cast<int>(doc.words.size());
        doc.headers.push_back(h);
        break;
      }
      default:
        return bad(absl::StrCat("unknown record kind '", std::string(1, kind),
                                "'"));
    }
  }
  // A mark sits before the first word printed after it.
  for (SiteMark& m : doc.marks) {
    auto it = std::lower_bound(
        doc.words.begin(), doc.words.end(), m,
        [](const Word& w, const SiteMark& mk) {
          return w.line < mk.line || (w.line == mk.line && w.column < mk.column);
        });
    m.word = static_cast<int>(it - doc.words.begin());
  }
  return doc;
}

}  // namespace ra::xdoc
