// ingest: bytes of a submitted document -> validated UTF-8 text and the
// content digest that identifies its version. Rejects empty, oversized,
// binary and non-UTF-8 input with an error naming the file and the reason.
#ifndef RA_INGEST_INGEST_H_
#define RA_INGEST_INGEST_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace ra {

struct IngestOptions {
  // Largest document accepted, in bytes.
  int64_t max_bytes = int64_t{100} << 20;
};

struct IngestedText {
  std::string text;    // UTF-8, without a byte-order mark
  std::string sha256;  // hex digest of the bytes as submitted
};

// INVALID_ARGUMENT for empty, binary or invalid UTF-8 content;
// RESOURCE_EXHAUSTED above options.max_bytes. Messages start with
// `file_name`.
absl::StatusOr<IngestedText> IngestText(std::string_view file_name,
                                        std::string bytes,
                                        const IngestOptions& options);

// Byte offset of the first invalid UTF-8 sequence, or npos when valid.
size_t FindInvalidUtf8(std::string_view bytes);

}  // namespace ra

#endif  // RA_INGEST_INGEST_H_
