#include "ingest/ingest.h"

#include <algorithm>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "absl/strings/str_cat.h"
#include "model/status_macros.h"
#include "util/sha256.h"

namespace ra {
namespace {

absl::string_view AsAbsl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

int LineOfOffset(std::string_view bytes, size_t offset) {
  return 1 + static_cast<int>(
                 std::count(bytes.begin(), bytes.begin() + offset, '\n'));
}

}  // namespace

size_t FindInvalidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    // Fast path over ASCII: with SSE2 (every x86-64) 64 bytes a round
    // (one sign-bit mask of four blocks), then 8 bytes at a time.
#ifdef __SSE2__
    while (i + 64 <= n) {
      auto block = [&](size_t k) {
        return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + k));
      };
      const __m128i any = _mm_or_si128(_mm_or_si128(block(0), block(16)),
                                       _mm_or_si128(block(32), block(48)));
      if (_mm_movemask_epi8(any) != 0) break;
      i += 64;
    }
#endif
    while (i + 8 <= n) {
      uint64_t w;
      std::copy(p + i, p + i + 8, reinterpret_cast<unsigned char*>(&w));
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len;
    uint32_t min;
    if ((c & 0xE0) == 0xC0) {
      len = 2, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, min = 0x10000;
    } else {
      return i;
    }
    if (i + len > n) return i;
    uint32_t cp = c & (0x7F >> len);
    for (int k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}

absl::StatusOr<IngestedText> IngestText(std::string_view file_name,
                                        std::string bytes,
                                        const IngestOptions& options) {
  const absl::string_view name = AsAbsl(file_name);
  if (bytes.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": empty document (0 bytes)"));
  }
  if (static_cast<int64_t>(bytes.size()) > options.max_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat(name, ": document of ", bytes.size(),
                     " bytes is over the limit of ", options.max_bytes,
                     " bytes"));
  }
  const size_t nul = bytes.find('\0');
  if (nul != std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        name, ": binary content (NUL byte at offset ", nul,
        "); submit the document's text layer as UTF-8 text"));
  }
  const size_t bad = FindInvalidUtf8(bytes);
  if (bad != std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        name, ": invalid UTF-8 at byte ", bad, " (line ",
        LineOfOffset(bytes, bad), "); convert the text to UTF-8"));
  }
  IngestedText out;
  out.sha256 = Sha256Hex(bytes);
  if (bytes.size() >= 3 && bytes.compare(0, 3, "\xEF\xBB\xBF") == 0) {
    bytes.erase(0, 3);
  }
  out.text = std::move(bytes);
  return out;
}

absl::StatusOr<IngestedDocument> IngestDocument(std::string_view file_name,
                                                std::string bytes,
                                                std::string_view content_type,
                                                const IngestOptions& options) {
  const absl::string_view name = AsAbsl(file_name);
  constexpr std::string_view kPdf = "application/pdf";
  constexpr std::string_view kText = "text/plain";
  if (!content_type.empty() && content_type != kPdf && content_type != kText) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": unsupported content type \"", AsAbsl(content_type),
                     "\" (give text/plain or application/pdf)"));
  }
  IngestedDocument out;
  if (!LooksLikePdf(bytes)) {
    if (content_type == kPdf) {
      return absl::InvalidArgumentError(absl::StrCat(
          name, ": declared application/pdf but the content is not a PDF "
                "(no %PDF- signature)"));
    }
    RA_ASSIGN_OR_RETURN(IngestedText text,
                        IngestText(file_name, std::move(bytes), options));
    out.text = std::move(text.text);
    out.sha256 = std::move(text.sha256);
    out.content_type = std::string(kText);
    return out;
  }
  if (static_cast<int64_t>(bytes.size()) > options.max_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat(name, ": document of ", bytes.size(),
                     " bytes is over the limit of ", options.max_bytes,
                     " bytes"));
  }
  RA_ASSIGN_OR_RETURN(PdfText pdf, ExtractPdf(file_name, bytes, options.pdf));
  out.sha256 = Sha256Hex(bytes);
  out.text = std::move(pdf.text);
  out.content_type = std::string(kPdf);
  out.pdf = std::move(pdf.analysis);
  return out;
}

}  // namespace ra
