#include "parse/classification.h"

#include <algorithm>
#include <cstdlib>
#include <string>

#include "parse/codes.h"

namespace ra::parse_internal {
namespace {

constexpr std::string_view kClassifiedBy = "Classified by";
// Continuation fields may start this far left of "Classified by".
constexpr int kColumnSlack = 10;
constexpr int kMaxBlockLines = 5;
// Gap (bytes) between two pieces of the block on one line; wider gaps
// separate it from a margin code or the stamp.
constexpr int kMaxInnerGap = 8;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A date "MM/DD/YYYY" starting at or after `pos`, spaces inside allowed
// (a wrapped "11/24/" + "2025"); empty if none within a few bytes.
std::string DateAfter(const std::string& s, size_t pos) {
  while (pos < s.size() && !IsDigit(s[pos]) && pos < s.size()) {
    if (s[pos] != ' ' && s[pos] != ':' && s[pos] != '.' && s[pos] != ';') return "";
    ++pos;
  }
  std::string out;
  for (; pos < s.size() && out.size() < 10; ++pos) {
    const char c = s[pos];
    if (IsDigit(c) || c == '/' || (c == '-' && !out.empty())) {
      out.push_back(c);
    } else if (c != ' ') {
      break;
    }
  }
  return out;
}

bool Claimed(const std::vector<Span>& spans, int line, int begin, int end) {
  for (const Span& s : spans) {
    if (s.line == line && begin < s.end && s.begin < end) return true;
  }
  return false;
}

bool Complete(const std::string& text) {
  const size_t d = text.find("Declassify on");
  if (d == std::string::npos) return false;
  return DateAfter(text, d + 13).size() == 10;
}

// Strips block punctuation (dashes, em dashes) around a piece of text.
std::string_view StripDashes(std::string_view s) {
  while (true) {
    s = Trim(s);
    if (!s.empty() && (s.back() == '-' || s.back() == ',')) {
      s.remove_suffix(1);
    } else if (s.size() >= 3 && s.substr(s.size() - 3) == "\xe2\x80\x94") {
      s.remove_suffix(3);
    } else {
      return s;
    }
  }
}

void ParseBlock(const std::string& t, const RulePack& pack, Classification* c) {
  size_t by = t.find(kClassifiedBy);
  const size_t cls = t.find("Class:");
  const size_t reason = t.find("Reason");
  const size_t declass = t.find("Declassify");
  if (by != std::string::npos) {
    by += kClassifiedBy.size();
    const size_t end = cls == std::string::npos ? t.size() : cls;
    size_t on = t.rfind(" on ", end);
    if (on == std::string::npos || on < by) on = end;
    c->classified_by = std::string(StripDashes(std::string_view(t).substr(by, on - by)));
    if (on < end) c->classified_on = DateAfter(t, on + 4);
  }
  if (cls != std::string::npos) {
    size_t p = cls + 6;
    while (p < t.size() && t[p] == ' ') ++p;
    size_t e = p;
    while (e < t.size() && t[e] >= 'A' && t[e] <= 'Z') ++e;
    c->level = t.substr(p, e - p);
  }
  if (reason != std::string::npos) {
    size_t p = t.find(':', reason);
    if (p != std::string::npos) {
      const size_t end = declass == std::string::npos || declass < p ? t.size() : declass;
      std::string_view list = StripDashes(std::string_view(t).substr(p + 1, end - p - 1));
      while (!list.empty()) {
        size_t comma = list.find(',');
        std::string_view piece = StripDashes(list.substr(0, comma));
        if (const CodeMatch* m = pack.Lookup(piece)) {
          c->reasons.push_back(m->code);
        } else {
          // "1.4 (B)(D)": one section with several paragraphs.
          const size_t open = piece.find('(');
          size_t p = open;
          while (p != std::string_view::npos && p + 2 < piece.size() && piece[p + 2] == ')') {
            std::string one(piece.substr(0, open));
            one.append(piece.substr(p, 3));
            if (const CodeMatch* m = pack.Lookup(one)) c->reasons.push_back(m->code);
            p = piece.find('(', p + 3);
          }
        }
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
      }
    }
  }
  if (declass != std::string::npos) {
    const size_t on = t.find("on", declass + 10);
    if (on != std::string::npos) c->declassify_on = DateAfter(t, on + 2);
  }
}

}  // namespace

bool ReadClassification(const std::vector<std::string_view>& lines, int i,
                        const RulePack& pack, Classification* out,
                        std::vector<Span>* spans) {
  const std::string_view line = lines[i];
  const size_t pos = line.find(kClassifiedBy);
  if (pos == std::string_view::npos) return false;
  const int column = static_cast<int>(pos);
  std::string text;
  std::vector<Span> used;
  thread_local std::vector<Field> fields;
  thread_local std::vector<Mark> codes;
  const int n = static_cast<int>(lines.size());
  for (int j = i; j < n && j <= i + kMaxBlockLines && (j == i || !Complete(text)); ++j) {
    SplitFields(lines[j], &fields);
    int last_end = -1;  // end of the last field taken on this line
    for (const Field& f : fields) {
      if (last_end < 0) {
        // The block's text starts at "Classified by", or (wrapped) in the
        // same column; text left of it is an email header or the body.
        if (j == i ? f.end <= column : std::abs(f.begin - column) > kColumnSlack) continue;
      } else if (f.begin - last_end > kMaxInnerGap) {
        break;  // a margin code or the stamp, right of the block
      }
      if (Claimed(*spans, j, f.begin, f.end)) break;
      codes.clear();
      if (last_end >= 0 && ReadCodeList(FieldText(lines[j], f), f.begin, pack, false, &codes)) {
        break;
      }
      const int begin = j == i ? std::max(f.begin, column) : f.begin;
      if (!text.empty()) text.push_back(' ');
      text.append(lines[j].substr(begin, f.end - begin));
      used.push_back(Span{j, begin, f.end});
      last_end = f.end;
    }
  }
  if (text.find("Class") == std::string::npos || text.find("Reason") == std::string::npos) {
    return false;
  }
  Classification c;
  c.line = i + 1;
  ParseBlock(text, pack, &c);
  *out = std::move(c);
  spans->insert(spans->end(), used.begin(), used.end());
  return true;
}

}  // namespace ra::parse_internal
