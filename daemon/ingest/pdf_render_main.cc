// redaction-audit-render: renders pages of one PDF for the daemon
// (ingest/pdf_render.h). Reads the request on stdin, writes each page's
// pixels to stdout in request order, exits 0. Run by the daemon only; the
// daemon kills it when its time budget runs out.
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "poppler-document.h"
#include "poppler-page-renderer.h"
#include "poppler-page.h"

namespace {

void Quiet(const std::string&, void*) {}

bool ReadAll(std::string* out) {
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = read(0, buf, sizeof buf);
    if (n == 0) return true;
    if (n < 0) return false;
    out->append(buf, static_cast<size_t>(n));
  }
}

bool WriteAll(const char* p, size_t n) {
  while (n > 0) {
    const ssize_t w = write(1, p, n);
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

template <typename T>
bool Take(const std::string& in, size_t* pos, T* v) {
  if (in.size() - *pos < sizeof *v) return false;
  std::memcpy(v, in.data() + *pos, sizeof *v);
  *pos += sizeof *v;
  return true;
}

}  // namespace

int main() {
  poppler::set_debug_error_function(&Quiet, nullptr);
  std::string in;
  if (!ReadAll(&in)) return 2;
  size_t pos = 0;
  uint64_t size = 0;
  if (!Take(in, &pos, &size) || in.size() - pos < size) return 2;
  const char* pdf = in.data() + pos;
  pos += size;
  uint32_t count = 0;
  if (!Take(in, &pos, &count)) return 2;
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(pdf, static_cast<int>(size)));
  if (doc == nullptr || doc->is_locked()) return 3;
  poppler::page_renderer renderer;
  renderer.set_image_format(poppler::image::format_argb32);
  for (uint32_t k = 0; k < count; ++k) {
    int32_t index = 0;
    double dpi = 0;
    if (!Take(in, &pos, &index) || !Take(in, &pos, &dpi)) return 2;
    int32_t header[4] = {index, -1, 0, 0};
    std::unique_ptr<poppler::page> page(
        index >= 0 && index < doc->pages() ? doc->create_page(index) : nullptr);
    poppler::image img;
    if (page != nullptr) img = renderer.render_page(page.get(), dpi, dpi);
    if (img.is_valid()) {
      header[1] = img.width();
      header[2] = img.height();
      header[3] = img.bytes_per_row();
    }
    if (!WriteAll(reinterpret_cast<const char*>(header), sizeof header)) return 4;
    if (img.is_valid() &&
        !WriteAll(img.const_data(), static_cast<size_t>(header[3]) * header[2])) {
      return 4;
    }
  }
  return 0;
}
