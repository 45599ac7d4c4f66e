#include "ingest/pdf_raster.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace ra {
namespace {

// Largest per-channel difference between pixels of one box, and the
// brightest a box may be (Rec. 601 luma, 0..255) to count as dark.
constexpr int kTolerance = 24;
constexpr int kDarkLuma = 110;

int Channel(uint32_t p, int shift) { return static_cast<int>((p >> shift) & 0xFF); }

bool Close(uint32_t a, uint32_t b) {
  for (int s : {0, 8, 16}) {
    if (std::abs(Channel(a, s) - Channel(b, s)) > kTolerance) return false;
  }
  return true;
}

bool Dark(uint32_t p) {
  const int luma = (299 * Channel(p, 16) + 587 * Channel(p, 8) +
                    114 * Channel(p, 0)) / 1000;
  return luma <= kDarkLuma;
}

struct PixelRect {
  int x0, y0, x1, y1;  // half-open
  bool empty() const { return x0 >= x1 || y0 >= y1; }
};

// Pixels of `r`, shrunk by a pixel on each side when there is room (edge
// pixels are blends with whatever is next to the glyph).
PixelRect ToPixels(const Raster& raster, const PdfRect& r) {
  PixelRect p{static_cast<int>(std::floor(r.x * raster.scale)),
              static_cast<int>(std::floor(r.y * raster.scale)),
              static_cast<int>(std::ceil((r.x + r.width) * raster.scale)),
              static_cast<int>(std::ceil((r.y + r.height) * raster.scale))};
  if (p.x1 - p.x0 > 2) ++p.x0, --p.x1;
  if (p.y1 - p.y0 > 2) ++p.y0, --p.y1;
  p.x0 = std::clamp(p.x0, 0, raster.width);
  p.x1 = std::clamp(p.x1, 0, raster.width);
  p.y0 = std::clamp(p.y0, 0, raster.height);
  p.y1 = std::clamp(p.y1, 0, raster.height);
  return p;
}

bool SpanIs(const Raster& raster, int x0, int y0, int x1, int y1,
            uint32_t rgb) {
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) {
      if (!Close(raster.At(x, y), rgb)) return false;
    }
  }
  return true;
}

}  // namespace

uint32_t Raster::At(int x, int y) const {
  uint32_t p;
  std::memcpy(&p, data + static_cast<size_t>(y) * stride + 4 * static_cast<size_t>(x), 4);
  return p & 0xFFFFFF;
}

std::optional<uint32_t> UniformDark(const Raster& raster, const PdfRect& r) {
  const PixelRect p = ToPixels(raster, r);
  if (p.empty()) return std::nullopt;
  const uint32_t first = raster.At(p.x0, p.y0);
  if (!Dark(first)) return std::nullopt;
  if (!SpanIs(raster, p.x0, p.y0, p.x1, p.y1, first)) return std::nullopt;
  return first;
}

namespace {

bool Inside(const std::vector<PixelRect>& rects, int x, int y) {
  for (const PixelRect& r : rects) {
    if (x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1) return true;
  }
  return false;
}

// The dark colour at the four (inset) corners of `r`, when they agree.
std::optional<uint32_t> DarkCorners(const Raster& raster, const PdfRect& r) {
  const PixelRect p = ToPixels(raster, r);
  if (p.empty()) return std::nullopt;
  const uint32_t c = raster.At(p.x0, p.y0);
  if (!Dark(c) || !Close(raster.At(p.x1 - 1, p.y0), c) ||
      !Close(raster.At(p.x0, p.y1 - 1), c) ||
      !Close(raster.At(p.x1 - 1, p.y1 - 1), c)) {
    return std::nullopt;
  }
  return c;
}

// Glyphs of a word on a dark box that other words (a label printed on the
// box) overlap: judged by the pixels no other word covers. Returns 1
// (hidden), 0 (visible) or -1 (too little of the glyph left to tell).
int JudgeUncovered(const Raster& raster, const PdfRect& glyph,
                   const std::vector<PixelRect>& others, uint32_t colour) {
  const PixelRect p = ToPixels(raster, glyph);
  int total = 0, left = 0;
  for (int y = p.y0; y < p.y1; ++y) {
    for (int x = p.x0; x < p.x1; ++x) {
      ++total;
      if (Inside(others, x, y)) continue;
      ++left;
      if (!Close(raster.At(x, y), colour)) return 0;
    }
  }
  return total > 0 && left * 4 >= total ? 1 : -1;
}

}  // namespace

void MarkHiddenGlyphs(const Raster& raster, std::vector<PdfWord>* words_in) {
  std::vector<PdfWord>& words = *words_in;
  for (size_t wi = 0; wi < words.size(); ++wi) {
    PdfWord& w = words[wi];
    w.hidden.assign(w.chars.size(), false);
    // Most words are plainly visible on a light page: one look at the
    // corners of the word's box settles it.
    const std::optional<uint32_t> bg = DarkCorners(raster, w.box);
    if (!bg.has_value()) continue;
    int hidden = 0;
    for (size_t i = 0; i < w.chars.size(); ++i) {
      w.hidden[i] = UniformDark(raster, w.chars[i]).has_value();
      hidden += w.hidden[i];
    }
    if (hidden == static_cast<int>(w.chars.size())) continue;
    // Other words printed over this one.
    std::vector<PixelRect> others;
    for (size_t k = 0; k < words.size(); ++k) {
      const PdfRect& o = words[k].box;
      if (k == wi || o.x >= w.box.x + w.box.width || w.box.x >= o.x + o.width ||
          o.y >= w.box.y + w.box.height || w.box.y >= o.y + o.height) {
        continue;
      }
      others.push_back(ToPixels(raster, o));
    }
    std::vector<int> verdict(w.chars.size(), 1);
    int visible = 0;
    for (size_t i = 0; i < w.chars.size(); ++i) {
      if (w.hidden[i]) continue;
      verdict[i] = others.empty() ? 0 : JudgeUncovered(raster, w.chars[i], others, *bg);
      hidden += verdict[i] == 1;
      visible += verdict[i] == 0;
    }
    for (size_t i = 0; i < w.chars.size(); ++i) {
      w.hidden[i] = verdict[i] == 1 || (verdict[i] == -1 && hidden > visible);
    }
    w.on_box = std::find(w.hidden.begin(), w.hidden.end(), true) == w.hidden.end();
  }
}

PdfRect BoxAround(const Raster& raster, const PdfRect& seed, uint32_t rgb) {
  PixelRect p = ToPixels(raster, seed);
  if (p.empty()) return seed;
  const int ry0 = p.y0, ry1 = p.y1, rx0 = p.x0, rx1 = p.x1;
  while (p.x0 > 0 && SpanIs(raster, p.x0 - 1, ry0, p.x0, ry1, rgb)) --p.x0;
  while (p.x1 < raster.width && SpanIs(raster, p.x1, ry0, p.x1 + 1, ry1, rgb)) {
    ++p.x1;
  }
  while (p.y0 > 0 && SpanIs(raster, rx0, p.y0 - 1, rx1, p.y0, rgb)) --p.y0;
  while (p.y1 < raster.height && SpanIs(raster, rx0, p.y1, rx1, p.y1 + 1, rgb)) {
    ++p.y1;
  }
  return PdfRect{p.x0 / raster.scale, p.y0 / raster.scale,
                 (p.x1 - p.x0) / raster.scale, (p.y1 - p.y0) / raster.scale};
}

}  // namespace ra
