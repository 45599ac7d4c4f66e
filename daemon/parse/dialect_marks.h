// Marks of dialects laid out unlike the State Department's, driven by the
// rule pack's Dialect layout fields (rule_pack.proto fields 4-10): codes
// inside body text (INLINE placement: DOJ, DHS), margin codes one space
// from the text (FBI OCR layers), and withheld-page sheets (the FBI's
// "DELETED PAGE INFORMATION SHEET").
#ifndef RA_PARSE_DIALECT_MARKS_H_
#define RA_PARSE_DIALECT_MARKS_H_

#include <string_view>
#include <vector>

#include "model/document.h"
#include "pack/pack.h"
#include "parse/fields.h"

namespace ra::parse_internal {

// Appends the marks of INLINE dialects printed inside `line` (0-based index
// `i`): "(b)(6)", "(b) (7)(C)" standing as words, not glued to a preceding
// letter or digit ("12(b)(6)" is not a mark), outside `spans` and outside
// marks of the line already in `marks` from index `line_first` on.
void ReadInlineMarks(std::string_view line, int i, int page, const std::vector<Span>& spans,
                     const RulePack& pack, size_t line_first, std::vector<Mark>* marks);

// For a line without other marks: its last word (and a code suffix after
// it) when that is a code of a dialect whose margin_gap allows it to stand
// this close to the text. Returns true when a mark was appended.
bool ReadTightMarginMark(std::string_view line, int i, int page,
                         const std::vector<Span>& spans, const RulePack& pack,
                         std::vector<Mark>* marks);

// Reads withheld-page sheets line by line.
class WithheldSheetReader {
 public:
  explicit WithheldSheetReader(const RulePack& pack) : pack_(pack) {}
  // Feeds line `i`; returns true when the line is a sheet title or entry
  // (an entry is appended to `out`), so no marks are to be read in it.
  bool Feed(std::string_view line, int i, std::vector<WithheldPage>* out);

 private:
  bool ReadEntry(std::string_view line, int i, std::vector<WithheldPage>* out) const;
  // Entries of OCR text that set a block of k lines as one line of
  // columns, its rows joined by vertical tabs.
  bool ReadTransposed(std::string_view line, int i, std::vector<WithheldPage>* out) const;

  const RulePack& pack_;
  const WithheldSheetInfo* sheet_ = nullptr;  // the open sheet, if any
  int misses_ = 0;  // non-blank lines since the last entry
};

}  // namespace ra::parse_internal

#endif  // RA_PARSE_DIALECT_MARKS_H_
