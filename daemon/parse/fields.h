// Line-as-fields reading shared by the parse stage: a pdftotext -layout line
// is a row of fields separated by wide gaps (two or more spaces, or a tab or
// form feed); single spaces stay inside a field. Columns are byte offsets.
#ifndef RA_PARSE_FIELDS_H_
#define RA_PARSE_FIELDS_H_

#include <string_view>
#include <vector>

namespace ra::parse_internal {

// A field of a line: bytes [begin, end) of the line.
struct Field {
  int begin = 0;
  int end = 0;
};

// A region of a line already explained by the stamp or a classification
// block: marks are not read there.
struct Span {
  int line = 0;  // 0-based line index
  int begin = 0;
  int end = 0;
};

// Clears `fields` and fills it with the fields of `line`, left to right.
void SplitFields(std::string_view line, std::vector<Field>* fields);

inline std::string_view FieldText(std::string_view line, Field f) {
  return line.substr(f.begin, f.end - f.begin);
}

// True for the bytes that separate words: space, tab, form feed, CR, VT.
inline bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\f' || c == '\r' || c == '\v';
}

std::string_view Trim(std::string_view s);
bool IsBlank(std::string_view s);
// ASCII case-insensitive prefix test and search.
bool StartsWithNoCase(std::string_view s, std::string_view prefix);
size_t FindNoCase(std::string_view s, std::string_view needle, size_t from = 0);
// True when s[pos..] starts with a date "MM/DD/YYYY".
bool IsDateAt(std::string_view s, size_t pos);

}  // namespace ra::parse_internal

#endif  // RA_PARSE_FIELDS_H_
