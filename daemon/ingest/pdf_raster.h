// Reads a rendered page (32-bit pixels) to tell which glyphs of the text
// layer a reader cannot see: every pixel of the glyph's box is the same
// dark colour, so a box covers it (or it is painted in the box's colour).
#ifndef RA_INGEST_PDF_RASTER_H_
#define RA_INGEST_PDF_RASTER_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "ingest/pdf_layout.h"
#include "model/pdf.h"

namespace ra {

// A rendered page: 0xAARRGGBB pixels, rows of `stride` bytes; `scale` is
// pixels per PDF point.
struct Raster {
  const unsigned char* data = nullptr;
  int width = 0;
  int height = 0;
  int stride = 0;
  double scale = 1.0;

  uint32_t At(int x, int y) const;
};

// The single dark colour (0xRRGGBB) covering `r`, or nullopt when the
// pixels of `r` differ or are not dark.
std::optional<uint32_t> UniformDark(const Raster& raster, const PdfRect& r);

// Sets words[i].hidden for every glyph of `words`.
void MarkHiddenGlyphs(const Raster& raster, std::vector<PdfWord>* words);

// Grows `seed` to the extent of the box of colour `rgb` around it (in
// points), bounded by the page.
PdfRect BoxAround(const Raster& raster, const PdfRect& seed, uint32_t rgb);

}  // namespace ra

#endif  // RA_INGEST_PDF_RASTER_H_
