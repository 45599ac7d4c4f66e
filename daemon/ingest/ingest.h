// ingest: bytes of a submitted document -> validated UTF-8 text and the
// content digest that identifies its version. Rejects empty, oversized,
// binary and non-UTF-8 input with an error naming the file and the reason.
#ifndef RA_INGEST_INGEST_H_
#define RA_INGEST_INGEST_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "ingest/pdf.h"
#include "model/pdf.h"

namespace ra {

struct IngestOptions {
  // Largest document accepted, in bytes.
  int64_t max_bytes = int64_t{100} << 20;
  // Limits on submitted PDFs (page count, page size, rendering).
  PdfLimits pdf;
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

// A submitted document of either kind, as text the parser reads.
struct IngestedDocument {
  std::string text;          // UTF-8 (a PDF's laid-out text layer)
  std::string sha256;        // hex digest of the bytes as submitted
  std::string content_type;  // "text/plain" or "application/pdf"
  std::optional<PdfAnalysis> pdf;  // set for PDFs
};

// The content type is detected from the bytes (a PDF starts with "%PDF-");
// `content_type` ("", "text/plain" or "application/pdf", as declared by the
// client) is checked against it: INVALID_ARGUMENT when a declared PDF is
// not one, or for any other declared type. Errors as IngestText and
// ExtractPdf, messages starting with `file_name`.
absl::StatusOr<IngestedDocument> IngestDocument(std::string_view file_name,
                                                std::string bytes,
                                                std::string_view content_type,
                                                const IngestOptions& options);

// Byte offset of the first invalid UTF-8 sequence, or npos when valid.
size_t FindInvalidUtf8(std::string_view bytes);

}  // namespace ra

#endif  // RA_INGEST_INGEST_H_
