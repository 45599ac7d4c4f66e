// Reads PDF objects poppler-cpp does not expose (annotations), with qpdf's
// C API (which reports errors instead of throwing).
#ifndef RA_INGEST_PDF_OBJECTS_H_
#define RA_INGEST_PDF_OBJECTS_H_

#include <string>
#include <string_view>
#include <vector>

namespace ra {

// A /Redact annotation as stored: rectangle in PDF user space (origin at
// the bottom-left, y up).
struct RawRedactAnnotation {
  int page_index = 0;  // 0-based
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  std::string overlay_text;
};

// Every /Redact annotation on the first `max_pages` pages. Files qpdf cannot
// read give an empty list (poppler already vetted the file).
std::vector<RawRedactAnnotation> FindRedactAnnotations(std::string_view bytes,
                                                       int max_pages);

}  // namespace ra

#endif  // RA_INGEST_PDF_OBJECTS_H_
