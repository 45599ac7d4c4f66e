// Limits on what one request may ask of the daemon. No gRPC here.
#ifndef RA_SERVICE_LIMITS_H_
#define RA_SERVICE_LIMITS_H_

#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace ra {

struct RequestLimits {
  // Form-feed-delimited pages of one document.
  int64_t max_pages = 5000;
  // Lines of one document.
  int64_t max_lines = 1000000;
  // Bytes of one line (without its newline).
  int64_t max_line_bytes = 1 << 20;
  // AuditDocuments streams open at the same time, over all clients.
  int max_streams = 64;
  // Longest an AuditDocuments stream may stay open.
  absl::Duration max_stream_time = absl::Minutes(60);
};

// RESOURCE_EXHAUSTED for too many pages or lines, INVALID_ARGUMENT for a
// line longer than allowed; messages start with `shown` (the file name) and
// give the limit and its flag. (Document size is checked by ingest.)
absl::Status CheckDocumentLimits(std::string_view shown, std::string_view content,
                                 const RequestLimits& limits);

}  // namespace ra

#endif  // RA_SERVICE_LIMITS_H_
