// parse: a PDF's laid-out text plus what ingest saw in the PDF. Besides the
// text parser's margin codes, labels printed on redaction boxes (Acrobat's
// "(b)(6)") are read as marks at their spot.
#ifndef RA_PARSE_PDF_MARKS_H_
#define RA_PARSE_PDF_MARKS_H_

#include <optional>
#include <string>

#include "model/document.h"
#include "model/pdf.h"
#include "pack/pack.h"

namespace ra {

// Parse(text), with `pdf` attached as Document::pdf and the codes of its
// box labels added to Document::marks (in text order, no duplicates).
Document ParseWithPdf(std::string text, std::optional<PdfAnalysis> pdf,
                      const RulePack& pack);

}  // namespace ra

#endif  // RA_PARSE_PDF_MARKS_H_
