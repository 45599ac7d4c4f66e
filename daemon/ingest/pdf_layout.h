// Lays out the words of a PDF page as text lines with columns, the way
// `pdftotext -layout` does, so the text parser reads PDFs and text alike.
#ifndef RA_INGEST_PDF_LAYOUT_H_
#define RA_INGEST_PDF_LAYOUT_H_

#include <string>
#include <vector>

#include "model/pdf.h"

namespace ra {

// One word of a page's text layer.
struct PdfWord {
  std::string text;               // UTF-8
  std::vector<int> char_offsets;  // byte offset in `text` of each glyph
  std::vector<PdfRect> chars;     // glyph boxes, same order
  PdfRect box;                    // the whole word
  std::vector<bool> hidden;       // per glyph: drawn under a dark box
  bool on_box = false;  // visible text printed on a dark box (a label)
  // Set by LayoutPage: 0-based line of the page's lines, byte column.
  int line = 0;
  int column = 0;
};

// Groups `words` into lines (by vertical position) and places each word at
// a column proportional to its x position. Returns the page's lines (no
// newlines) and sets each word's line and column. Blank lines stand for
// vertical gaps (at most 3 in a row).
std::vector<std::string> LayoutPage(std::vector<PdfWord>* words);

}  // namespace ra

#endif  // RA_INGEST_PDF_LAYOUT_H_
