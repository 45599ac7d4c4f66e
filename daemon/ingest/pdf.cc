#include "ingest/pdf.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <memory>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "ingest/pdf_layout.h"
#include "ingest/pdf_metadata.h"
#include "ingest/pdf_objects.h"
#include "ingest/pdf_raster.h"
#include "ingest/pdf_render.h"
#include "poppler-document.h"
#include "poppler-page-renderer.h"
#include "poppler-page.h"
#include "util/log.h"

namespace ra {
namespace {

absl::string_view A(std::string_view s) { return {s.data(), s.size()}; }

void Quiet(const std::string&, void*) {}

// UTF-16 code units of poppler's ustring -> UTF-8, with the byte offset of
// each code point.
std::string Utf8(const poppler::ustring& u, std::vector<int>* offsets) {
  std::string out;
  for (size_t i = 0; i < u.size(); ++i) {
    uint32_t c = u[i];
    if (c >= 0xD800 && c < 0xDC00 && i + 1 < u.size() && u[i + 1] >= 0xDC00 &&
        u[i + 1] < 0xE000) {
      c = 0x10000 + ((c - 0xD800) << 10) + (u[i + 1] - 0xDC00);
      ++i;
    } else if (c >= 0xD800 && c < 0xE000) {
      c = 0xFFFD;
    }
    if (offsets != nullptr) offsets->push_back(static_cast<int>(out.size()));
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

PdfRect FromPoppler(const poppler::rectf& r) {
  return PdfRect{r.left(), r.top(), r.width(), r.height()};
}

PdfRect Union(const PdfRect& a, const PdfRect& b) {
  const double x0 = std::min(a.x, b.x), y0 = std::min(a.y, b.y);
  const double x1 = std::max(a.x + a.width, b.x + b.width);
  const double y1 = std::max(a.y + a.height, b.y + b.height);
  return PdfRect{x0, y0, x1 - x0, y1 - y0};
}

bool Intersects(const PdfRect& a, const PdfRect& b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height &&
         b.y < a.y + a.height;
}

std::vector<PdfWord> PageWords(const poppler::page& page) {
  std::vector<PdfWord> words;
  for (const poppler::text_box& tb : page.text_list(0)) {
    PdfWord w;
    w.text = Utf8(tb.text(), &w.char_offsets);
    if (w.text.empty()) continue;
    w.box = FromPoppler(tb.bbox());
    for (size_t i = 0; i < w.char_offsets.size(); ++i) {
      const poppler::rectf r = tb.char_bbox(i);
      w.chars.push_back(r.width() > 0 || r.height() > 0 ? FromPoppler(r) : w.box);
    }
    words.push_back(std::move(w));
  }
  return words;
}

// Runs of hidden glyphs -> HiddenText, one per box (adjacent runs under
// the same box merge). `first_line` is the 1-based line of the page's
// first laid-out line, `shift` the bytes before the first line's text.
void CollectHidden(const Raster& raster, const std::vector<PdfWord>& words,
                   int page_number, double page_height, int first_line,
                   int shift, std::vector<HiddenText>* out) {
  std::vector<const PdfWord*> order;
  for (const PdfWord& w : words) order.push_back(&w);
  std::sort(order.begin(), order.end(), [](const PdfWord* a, const PdfWord* b) {
    return a->line != b->line ? a->line < b->line : a->column < b->column;
  });
  const size_t start = out->size();
  for (const PdfWord* w : order) {
    size_t i = 0;
    while (i < w->hidden.size()) {
      if (!w->hidden[i]) {
        ++i;
        continue;
      }
      size_t j = i;
      PdfRect glyphs = w->chars[i];
      while (j + 1 < w->hidden.size() && w->hidden[j + 1]) {
        glyphs = Union(glyphs, w->chars[++j]);
      }
      const int b0 = w->char_offsets[i];
      const int b1 = j + 1 < w->char_offsets.size()
                         ? w->char_offsets[j + 1]
                         : static_cast<int>(w->text.size());
      const std::string piece = w->text.substr(b0, b1 - b0);
      const std::optional<uint32_t> rgb = UniformDark(raster, w->chars[i]);
      const PdfRect box = BoxAround(raster, glyphs, rgb.value_or(0));
      const int line = first_line + w->line;
      const int column = w->column + b0 + (w->line == 0 ? shift : 0);
      HiddenText* prev = out->size() > start ? &out->back() : nullptr;
      if (prev != nullptr && prev->spot.line == line && Intersects(prev->box, box)) {
        prev->text += (column > prev->spot.column + prev->spot.length ? " " : "");
        prev->text += piece;
        prev->spot.length = column + (b1 - b0) - prev->spot.column;
        prev->box = Union(prev->box, box);
      } else {
        HiddenText h;
        h.spot = TextSpot{page_number, line, column, b1 - b0};
        h.box = box;
        h.text = piece;
        h.rgb = rgb.value_or(0);
        out->push_back(std::move(h));
      }
      i = j + 1;
    }
  }
  for (size_t k = start; k < out->size(); ++k) {
    HiddenText& h = (*out)[k];
    h.in_margin = h.box.y + h.box.height <= 0.1 * page_height ||
                  h.box.y >= 0.9 * page_height;
  }
}

void CollectLabels(const std::vector<PdfWord>& words, int page_number,
                   int first_line, int shift, std::vector<BoxLabel>* out) {
  std::vector<const PdfWord*> order;
  for (const PdfWord& w : words) {
    if (w.on_box) order.push_back(&w);
  }
  std::sort(order.begin(), order.end(), [](const PdfWord* a, const PdfWord* b) {
    return a->line != b->line ? a->line < b->line : a->column < b->column;
  });
  for (const PdfWord* wp : order) {
    const PdfWord& w = *wp;
    const int column = w.column + (w.line == 0 ? shift : 0);
    BoxLabel* prev = out->empty() ? nullptr : &out->back();
    // Words of one label ("(b)(6), (b)(7)(C)") join up.
    if (prev != nullptr && prev->spot.page == page_number &&
        prev->spot.line == first_line + w.line &&
        column - (prev->spot.column + prev->spot.length) <= 2 &&
        column >= prev->spot.column + prev->spot.length) {
      prev->text.append(static_cast<size_t>(column - prev->spot.column - prev->spot.length), ' ');
      prev->text += w.text;
      prev->spot.length = column + static_cast<int>(w.text.size()) - prev->spot.column;
      continue;
    }
    out->push_back(BoxLabel{TextSpot{page_number, first_line + w.line, column,
                                     static_cast<int>(w.text.size())},
                            w.text});
  }
}

void AppendVisible(const std::vector<PdfWord>& words, std::string* out) {
  for (const PdfWord& w : words) {
    if (std::find(w.hidden.begin(), w.hidden.end(), true) != w.hidden.end()) {
      continue;
    }
    for (char c : w.text) {
      out->push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    out->push_back(' ');
  }
}

// Pages from `page` on, not rendered because of `status` (from
// RenderHelper: DEADLINE_EXCEEDED or how the helper died).
UncheckedPages Unchecked(const absl::Status& status, int page, int pages,
                         const PdfLimits& limits) {
  const std::string reason =
      status.code() == absl::StatusCode::kDeadlineExceeded
          ? absl::StrCat("rendering page ", page, " exceeded the ",
                         limits.render_budget.count() / 1000.0, " s budget")
          : absl::StrCat("the page renderer ", status.message(), " on page ", page);
  return UncheckedPages{page, pages, reason};
}

}  // namespace

bool LooksLikePdf(std::string_view bytes) {
  return bytes.substr(0, 1024).find("%PDF-") != std::string_view::npos;
}

absl::StatusOr<PdfText> ExtractPdf(std::string_view file_name,
                                   std::string_view bytes,
                                   const PdfLimits& limits) {
  static std::once_flag quiet;
  std::call_once(quiet, [] { poppler::set_debug_error_function(&Quiet, nullptr); });
  const absl::string_view name = A(file_name);
  if (!LooksLikePdf(bytes)) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": not a PDF (no %PDF- signature)"));
  }
  const size_t tail = bytes.size() > 1024 ? bytes.size() - 1024 : 0;
  if (bytes.find("%%EOF", tail) == std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        name, ": truncated PDF (no %%EOF marker at the end of the file)"));
  }
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(
      bytes.data(), static_cast<int>(bytes.size())));
  if (doc == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        name, ": malformed PDF (no readable cross-reference table or catalog)"));
  }
  if (doc->is_locked()) {
    return absl::InvalidArgumentError(absl::StrCat(
        name, ": encrypted PDF (a password is needed to open it); submit an "
              "unencrypted copy"));
  }
  const int pages = doc->pages();
  if (pages <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": malformed PDF (no pages)"));
  }
  if (pages > limits.max_pages) {
    return absl::ResourceExhaustedError(
        absl::StrCat(name, ": PDF of ", pages, " pages is over the limit of ",
                     limits.max_pages, " pages"));
  }
  std::vector<std::unique_ptr<poppler::page>> page_list;
  for (int i = 0; i < pages; ++i) {
    std::unique_ptr<poppler::page> p(doc->create_page(i));
    if (p == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": malformed PDF (page ", i + 1, " is unreadable)"));
    }
    const poppler::rectf r = p->page_rect(poppler::media_box);
    if (!(r.width() > 0 && r.height() > 0) || r.width() > limits.max_page_side ||
        r.height() > limits.max_page_side) {
      return absl::ResourceExhaustedError(absl::StrCat(
          name, ": page ", i + 1, " is ", std::lround(r.width()), " x ",
          std::lround(r.height()), " points; pages may be at most ",
          std::lround(limits.max_page_side), " points on a side"));
    }
    page_list.push_back(std::move(p));
  }

  PdfText out;
  PdfAnalysis& a = out.analysis;
  a.page_count = pages;
  // Pages with text are rendered, to see which text a box covers.
  std::vector<std::vector<PdfWord>> all_words(pages);
  std::vector<RenderRequest> requests;
  for (int i = 0; i < pages; ++i) {
    all_words[i] = PageWords(*page_list[i]);
    if (all_words[i].empty()) continue;
    const poppler::rectf rect = page_list[i]->page_rect(poppler::crop_box);
    double dpi = limits.render_dpi;
    const double pixels = rect.width() * rect.height() * (dpi / 72) * (dpi / 72);
    if (pixels > limits.max_render_pixels) {
      dpi *= std::sqrt(limits.max_render_pixels / pixels);
    }
    requests.push_back(RenderRequest{i, dpi});
  }
  std::unique_ptr<RenderHelper> helper;
  if (!limits.render_helper.empty() && !requests.empty()) {
    absl::StatusOr<std::unique_ptr<RenderHelper>> started = RenderHelper::Start(
        limits.render_helper, bytes, requests,
        RenderHelper::Clock::now() + limits.render_budget);
    if (started.ok()) {
      helper = std::move(*started);
    } else if (started.status().code() == absl::StatusCode::kUnavailable) {
      return absl::UnavailableError(absl::StrCat(
          name, ": text under boxes cannot be checked: ", started.status().message()));
    } else {
      a.unchecked = Unchecked(started.status(), requests.front().page_index + 1,
                              pages, limits);
    }
  }
  poppler::page_renderer renderer;
  renderer.set_image_format(poppler::image::format_argb32);
  std::vector<int> first_lines(pages, 0);  // 1-based line of each page
  int line_count = 0;
  size_t next_request = 0;
  for (int i = 0; i < pages; ++i) {
    const poppler::page& page = *page_list[i];
    std::vector<PdfWord>& words = all_words[i];
    first_lines[i] = line_count + 1;
    if (!words.empty()) {
      const double dpi = requests[next_request++].dpi;
      poppler::image img;
      RenderedPage rendered;
      Raster raster;
      if (a.unchecked.has_value()) {
        // Over the budget: the text is laid out without the box check.
      } else if (helper != nullptr) {
        absl::StatusOr<RenderedPage> got = helper->Next();
        if (got.ok()) {
          rendered = std::move(*got);
          raster = Raster{reinterpret_cast<const unsigned char*>(rendered.pixels.data()),
                          rendered.width, rendered.height, rendered.stride, dpi / 72};
        } else {
          a.unchecked = Unchecked(got.status(), i + 1, pages, limits);
          helper.reset();  // kills it
        }
        if (got.ok() && rendered.width < 0) {
          return absl::InvalidArgumentError(absl::StrCat(
              name, ": malformed PDF (page ", i + 1, " cannot be rendered)"));
        }
      } else {
        img = renderer.render_page(&page, dpi, dpi);
        if (!img.is_valid()) {
          return absl::InvalidArgumentError(absl::StrCat(
              name, ": malformed PDF (page ", i + 1, " cannot be rendered)"));
        }
        raster = Raster{reinterpret_cast<const unsigned char*>(img.const_data()),
                        img.width(), img.height(), img.bytes_per_row(), dpi / 72};
      }
      if (raster.data != nullptr) MarkHiddenGlyphs(raster, &words);
      std::vector<std::string> lines = LayoutPage(&words);
      const int shift = i > 0 ? 1 : 0;
      if (raster.data != nullptr) {
        const poppler::rectf rect = page.page_rect(poppler::crop_box);
        CollectHidden(raster, words, i + 1, rect.height(), line_count + 1, shift,
                      &a.hidden_text);
        CollectLabels(words, i + 1, line_count + 1, shift, &a.box_labels);
      }
      for (size_t k = 0; k < lines.size(); ++k) {
        if (k == 0 && i > 0) out.text += '\f';
        out.text += lines[k];
        out.text += '\n';
      }
      line_count += static_cast<int>(lines.size());
      AppendVisible(words, &a.visible_text);
    }
    if (words.empty() && i > 0) {
      out.text += "\f\n";
      ++line_count;
    }
  }
  helper.reset();
  if (a.unchecked.has_value()) {
    LogWarning("event=pdf_render_cut file=\"", name, "\" reason=\"",
               a.unchecked->reason, "\"");
  }

  for (const RawRedactAnnotation& r : FindRedactAnnotations(bytes, pages)) {
    const poppler::rectf media = page_list[r.page_index]->page_rect(poppler::media_box);
    RedactAnnotation ra;
    ra.page = r.page_index + 1;
    ra.rect = PdfRect{r.x0 - media.left(), media.bottom() - r.y1, r.x1 - r.x0,
                      r.y1 - r.y0};
    ra.overlay_text = r.overlay_text;
    for (const PdfWord& w : all_words[r.page_index]) {
      const double cx = w.box.x + w.box.width / 2, cy = w.box.y + w.box.height / 2;
      if (cx < ra.rect.x || cx > ra.rect.x + ra.rect.width || cy < ra.rect.y ||
          cy > ra.rect.y + ra.rect.height) {
        continue;
      }
      if (ra.text_under.empty()) {
        ra.spot.page = ra.page;
        ra.spot.line = first_lines[r.page_index] + w.line;
        ra.spot.column = w.column + (w.line == 0 && r.page_index > 0 ? 1 : 0);
        ra.spot.length = static_cast<int>(w.text.size());
      }
      if (!ra.text_under.empty()) ra.text_under += ' ';
      ra.text_under += w.text;
    }
    a.redact_annotations.push_back(std::move(ra));
  }
  ReadDocumentMetadata(*doc, &a);
  return out;
}

}  // namespace ra
