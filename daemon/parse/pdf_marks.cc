#include "parse/pdf_marks.h"

#include <algorithm>
#include <vector>

#include "parse/codes.h"
#include "parse/parser.h"

namespace ra {

Document ParseWithPdf(std::string text, std::optional<PdfAnalysis> pdf,
                      const RulePack& pack) {
  Document doc = Parse(std::move(text), pack);
  doc.pdf = std::move(pdf);
  if (!doc.pdf.has_value()) return doc;
  bool added = false;
  for (const BoxLabel& label : doc.pdf->box_labels) {
    std::vector<Mark> marks;
    if (!parse_internal::ReadCodeList(label.text, label.spot.column, pack,
                                      /*allow_unknown=*/false, &marks)) {
      continue;
    }
    for (Mark& m : marks) {
      m.page = label.spot.page;
      m.line = label.spot.line;
      const bool seen = std::any_of(
          doc.marks.begin(), doc.marks.end(), [&](const Mark& o) {
            return o.line == m.line && o.column == m.column;
          });
      if (seen) continue;
      doc.marks.push_back(std::move(m));
      added = true;
    }
  }
  if (added) {
    std::stable_sort(doc.marks.begin(), doc.marks.end(),
                     [](const Mark& a, const Mark& b) {
                       return a.line != b.line ? a.line < b.line
                                               : a.column < b.column;
                     });
  }
  return doc;
}

}  // namespace ra
