#include "service/limits.h"

#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "absl/strings/str_cat.h"

namespace ra {
namespace {

// The limits of one document, checked line by line as a scan of the
// content finds the line breaks and form feeds.
class LimitScan {
 public:
  LimitScan(absl::string_view name, const RequestLimits& limits)
      : name_(name), limits_(limits) {}

  void FormFeed() { ++pages_; }
  // The line [start_, end) is complete: false, with `status()` set, when
  // it takes the document over a limit.
  bool EndLine(size_t end) {
    ++lines_;
    const int64_t length = static_cast<int64_t>(end - start_);
    if (length > limits_.max_line_bytes || lines_ > limits_.max_lines ||
        pages_ > limits_.max_pages) {
      status_ = Over(length);
      return false;
    }
    start_ = end + 1;
    return true;
  }
  size_t start() const { return start_; }
  absl::Status status() const { return status_; }

 private:
  // The first limit the line ending now is over, in the order a reader of
  // the line meets them: its length, the count of lines, the pages so far.
  absl::Status Over(int64_t length) const {
    if (length > limits_.max_line_bytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          name_, ": line ", lines_, " is ", length, " bytes long, over the limit of ",
          limits_.max_line_bytes, " bytes (--max_line_bytes)"));
    }
    if (lines_ > limits_.max_lines) {
      return absl::ResourceExhaustedError(absl::StrCat(
          name_, ": more than ", limits_.max_lines, " lines (--max_lines)"));
    }
    return absl::ResourceExhaustedError(absl::StrCat(
        name_, ": more than ", limits_.max_pages,
        " pages (form feeds), over the limit (--max_pages)"));
  }

  const absl::string_view name_;
  const RequestLimits& limits_;
  int64_t pages_ = 1;
  int64_t lines_ = 0;
  size_t start_ = 0;  // of the line being read
  absl::Status status_;
};

}  // namespace

absl::Status CheckDocumentLimits(std::string_view shown, std::string_view content,
                                 const RequestLimits& limits) {
  LimitScan scan(absl::string_view(shown.data(), shown.size()), limits);
  const char* const data = content.data();
  const size_t n = content.size();
  // A byte that is a line break or a form feed, in text order.
  auto at = [&scan, data](size_t k) {
    if (data[k] == '\n') return scan.EndLine(k);
    scan.FormFeed();
    return true;
  };
  size_t k = 0;
#ifdef __SSE2__
  // Sixteen bytes a round: most hold neither byte, and a line break or a
  // form feed is found without a call a line.
  const __m128i newline = _mm_set1_epi8('\n');
  const __m128i form_feed = _mm_set1_epi8('\f');
  for (; k + 16 <= n; k += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + k));
    unsigned bits = static_cast<unsigned>(_mm_movemask_epi8(
        _mm_or_si128(_mm_cmpeq_epi8(x, newline), _mm_cmpeq_epi8(x, form_feed))));
    for (; bits != 0; bits &= bits - 1) {
      if (!at(k + static_cast<size_t>(__builtin_ctz(bits)))) return scan.status();
    }
  }
#endif
  for (; k < n; ++k) {
    if ((data[k] == '\n' || data[k] == '\f') && !at(k)) return scan.status();
  }
  // The last line, when the content does not end with a line break.
  if (scan.start() < n && !scan.EndLine(n)) return scan.status();
  return absl::OkStatus();
}

}  // namespace ra
