#include "ingest/pdf_objects.h"

#include <algorithm>

#include "qpdf/qpdf-c.h"

namespace ra {
namespace {

// Owns a qpdf_data.
class Qpdf {
 public:
  Qpdf() : q_(qpdf_init()) {
    qpdf_silence_errors(q_);
    qpdf_set_suppress_warnings(q_, QPDF_TRUE);
  }
  ~Qpdf() { qpdf_cleanup(&q_); }
  Qpdf(const Qpdf&) = delete;
  Qpdf& operator=(const Qpdf&) = delete;
  qpdf_data get() const { return q_; }

 private:
  qpdf_data q_;
};

}  // namespace

std::vector<RawRedactAnnotation> FindRedactAnnotations(std::string_view bytes,
                                                       int max_pages) {
  std::vector<RawRedactAnnotation> out;
  Qpdf holder;
  qpdf_data q = holder.get();
  if (qpdf_read_memory(q, "document", bytes.data(),
                       static_cast<unsigned long long>(bytes.size()),
                       "") & QPDF_ERRORS) {
    return out;
  }
  const int pages = qpdf_get_num_pages(q);
  if (qpdf_has_error(q) || pages <= 0) return out;
  for (int i = 0; i < std::min(pages, max_pages); ++i) {
    const qpdf_oh page = qpdf_get_page_n(q, static_cast<size_t>(i));
    const qpdf_oh annots = qpdf_oh_get_key(q, page, "/Annots");
    if (!qpdf_oh_is_array(q, annots)) continue;
    const int n = qpdf_oh_get_array_n_items(q, annots);
    for (int k = 0; k < n; ++k) {
      const qpdf_oh a = qpdf_oh_get_array_item(q, annots, k);
      if (!qpdf_oh_is_dictionary(q, a)) continue;
      if (!qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, a, "/Subtype"),
                                      "/Redact")) {
        continue;
      }
      RawRedactAnnotation r;
      r.page_index = i;
      const qpdf_oh rect = qpdf_oh_get_key(q, a, "/Rect");
      if (qpdf_oh_is_array(q, rect) && qpdf_oh_get_array_n_items(q, rect) == 4) {
        double v[4];
        for (int j = 0; j < 4; ++j) {
          v[j] = qpdf_oh_get_numeric_value(q, qpdf_oh_get_array_item(q, rect, j));
        }
        r.x0 = std::min(v[0], v[2]);
        r.x1 = std::max(v[0], v[2]);
        r.y0 = std::min(v[1], v[3]);
        r.y1 = std::max(v[1], v[3]);
      }
      const qpdf_oh overlay = qpdf_oh_get_key(q, a, "/OverlayText");
      if (qpdf_oh_is_string(q, overlay)) {
        r.overlay_text = qpdf_oh_get_utf8_value(q, overlay);
      }
      out.push_back(std::move(r));
    }
    qpdf_oh_release_all(q);
  }
  if (qpdf_has_error(q)) qpdf_get_error(q);  // clear it; poppler is the judge
  return out;
}

}  // namespace ra
