// Page rendering out of process: a PDF whose pages take poppler minutes to
// render (a corrupt JBIG2 image, a pathological pattern) must not tie up a
// daemon worker. The daemon spawns the helper `redaction-audit-render`
// (pdf_render_main.cc, installed beside the daemon) with posix_spawn, sends
// it the PDF and the pages to render on its stdin, reads the rasters back
// from its stdout and kills it (SIGKILL) when the time budget runs out.
// The daemon is multithreaded, so the helper is exec'd, never a bare fork.
#ifndef RA_INGEST_PDF_RENDER_H_
#define RA_INGEST_PDF_RENDER_H_

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace ra {

// One page to render: 0-based index and resolution.
struct RenderRequest {
  int32_t page_index = 0;
  double dpi = 72;
};

// A page rendered by the helper: 0xAARRGGBB pixels; width < 0 when poppler
// could not render the page.
struct RenderedPage {
  int32_t page_index = 0;
  int32_t width = 0;
  int32_t height = 0;
  int32_t stride = 0;
  std::string pixels;
};

// Wire format (native byte order, one machine): request = u64 PDF size,
// the PDF, u32 page count, then per page i32 index and f64 dpi; response =
// per page i32 index, width, height, stride, then stride * height bytes.
std::string EncodeRenderRequest(std::string_view pdf,
                                const std::vector<RenderRequest>& pages);

// A running helper. The destructor kills and reaps it.
class RenderHelper {
 public:
  using Clock = std::chrono::steady_clock;

  // Spawns `helper_path` and sends it the request; errors are UNAVAILABLE
  // (cannot spawn) or DEADLINE_EXCEEDED (request not taken by `deadline`).
  static absl::StatusOr<std::unique_ptr<RenderHelper>> Start(
      const std::string& helper_path, std::string_view pdf,
      const std::vector<RenderRequest>& pages, Clock::time_point deadline);

  // The next rendered page, in request order. DEADLINE_EXCEEDED when it
  // is not there by the deadline; INTERNAL when the helper died (the
  // message says how).
  absl::StatusOr<RenderedPage> Next();

  ~RenderHelper();
  RenderHelper(const RenderHelper&) = delete;
  RenderHelper& operator=(const RenderHelper&) = delete;

 private:
  RenderHelper(pid_t pid, int fd, Clock::time_point deadline)
      : pid_(pid), fd_(fd), deadline_(deadline) {}
  absl::Status ReadFully(char* out, size_t n);
  std::string Died();  // reaps the helper; how it ended

  pid_t pid_;
  int fd_;
  Clock::time_point deadline_;
  bool reaped_ = false;
};

}  // namespace ra

#endif  // RA_INGEST_PDF_RENDER_H_
