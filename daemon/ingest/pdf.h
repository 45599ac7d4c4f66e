// PDF ingest: a released PDF -> its text layer laid out as text lines (form
// feeds between pages, as `pdftotext -layout` writes them) plus what the
// PDF hides: text under dark boxes, unapplied redaction annotations,
// metadata, embedded files and bookmarks (model/pdf.h). Uses poppler-cpp
// for text, rendering and metadata, and qpdf for annotations.
#ifndef RA_INGEST_PDF_H_
#define RA_INGEST_PDF_H_

#include <chrono>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "model/pdf.h"

namespace ra {

// Limits that keep a hostile PDF (a "PDF bomb") from exhausting the daemon.
struct PdfLimits {
  int max_pages = 5000;
  // Longest page side accepted, in points (72 per inch): 200 inches.
  double max_page_side = 14400;
  // Pages are rendered at this resolution to see which text is covered,
  // lowered for large pages so that no render exceeds max_render_pixels.
  double render_dpi = 72;
  double max_render_pixels = 16e6;
  // When set, pages are rendered by this helper executable
  // (redaction-audit-render, pdf_render.h), killed once rendering the
  // document has taken `render_budget`; the pages not rendered by then are
  // reported in PdfAnalysis::unchecked. Empty: rendered in this process,
  // without a budget.
  std::string render_helper;
  std::chrono::milliseconds render_budget{5000};
};

struct PdfText {
  std::string text;  // UTF-8 lines; each page after the first starts with \f
  PdfAnalysis analysis;
};

// True when `bytes` start with the PDF signature ("%PDF-", possibly after
// a few bytes of junk, as readers allow).
bool LooksLikePdf(std::string_view bytes);

// INVALID_ARGUMENT for malformed, truncated or encrypted PDFs;
// RESOURCE_EXHAUSTED over `limits`; UNAVAILABLE when the render helper
// cannot be started. Messages start with `file_name`. Rendering over the
// budget is not an error: see PdfLimits::render_helper.
absl::StatusOr<PdfText> ExtractPdf(std::string_view file_name,
                                   std::string_view bytes,
                                   const PdfLimits& limits);

}  // namespace ra

#endif  // RA_INGEST_PDF_H_
