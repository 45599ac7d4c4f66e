#include "service/limits.h"

#include <cstring>

#include "absl/strings/str_cat.h"

namespace ra {

absl::Status CheckDocumentLimits(std::string_view shown, std::string_view content,
                                 const RequestLimits& limits) {
  const absl::string_view name(shown.data(), shown.size());
  int64_t pages = 1, lines = 0, line_no = 1;
  size_t start = 0;
  while (start < content.size()) {
    size_t end = content.find('\n', start);
    if (end == std::string_view::npos) end = content.size();
    ++lines;
    const int64_t length = static_cast<int64_t>(end - start);
    if (length > limits.max_line_bytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          name, ": line ", line_no, " is ", length, " bytes long, over the limit of ",
          limits.max_line_bytes, " bytes (--max_line_bytes)"));
    }
    // Form feeds are rare: searched for, not compared byte by byte.
    for (const char* p = static_cast<const char*>(
             std::memchr(content.data() + start, '\f', end - start));
         p != nullptr;
         p = static_cast<const char*>(std::memchr(
             p + 1, '\f', content.data() + end - (p + 1)))) {
      ++pages;
    }
    if (lines > limits.max_lines) {
      return absl::ResourceExhaustedError(absl::StrCat(
          name, ": more than ", limits.max_lines, " lines (--max_lines)"));
    }
    if (pages > limits.max_pages) {
      return absl::ResourceExhaustedError(absl::StrCat(
          name, ": more than ", limits.max_pages,
          " pages (form feeds), over the limit (--max_pages)"));
    }
    ++line_no;
    start = end + 1;
  }
  return absl::OkStatus();
}

}  // namespace ra
