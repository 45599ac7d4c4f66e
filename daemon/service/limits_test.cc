#include "service/limits.h"

#include <cstring>
#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/testing.h"

namespace ra {
namespace {

using ::ra::testing::IsOk;
using ::ra::testing::StatusIs;
using ::testing::HasSubstr;

TEST(LimitsTest, AcceptsWithinLimits) {
  RequestLimits limits;
  limits.max_pages = 2;
  limits.max_lines = 3;
  limits.max_line_bytes = 5;
  EXPECT_THAT(CheckDocumentLimits("a.txt", "abc\n\fde\nxyz", limits), IsOk());
}

TEST(LimitsTest, EachLimitGivesItsCodeAndFlag) {
  RequestLimits limits;
  limits.max_pages = 2;
  limits.max_lines = 3;
  limits.max_line_bytes = 5;
  absl::Status lines = CheckDocumentLimits("a.txt", "a\nb\nc\nd\n", limits);
  EXPECT_THAT(lines, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_THAT(std::string(lines.message()), HasSubstr("a.txt: more than 3 lines"));
  absl::Status pages = CheckDocumentLimits("a.txt", "\f\f\f", limits);
  EXPECT_THAT(pages, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_THAT(std::string(pages.message()), HasSubstr("--max_pages"));
  absl::Status wide = CheckDocumentLimits("a.txt", "ok\n123456\n", limits);
  EXPECT_THAT(wide, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(wide.message()), HasSubstr("line 2 is 6 bytes long"));
}

// The checks one line at a time, as they were before the one-pass scan:
// what CheckDocumentLimits must still return, code and message.
absl::Status LineByLine(const std::string& shown, std::string_view content,
                        const RequestLimits& limits) {
  int64_t pages = 1, lines = 0;
  size_t start = 0;
  while (start < content.size()) {
    size_t end = content.find('\n', start);
    if (end == std::string_view::npos) end = content.size();
    ++lines;
    const int64_t length = static_cast<int64_t>(end - start);
    if (length > limits.max_line_bytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          shown, ": line ", lines, " is ", length, " bytes long, over the limit of ",
          limits.max_line_bytes, " bytes (--max_line_bytes)"));
    }
    for (size_t k = start; k < end; ++k) pages += content[k] == '\f';
    if (lines > limits.max_lines) {
      return absl::ResourceExhaustedError(absl::StrCat(
          shown, ": more than ", limits.max_lines, " lines (--max_lines)"));
    }
    if (pages > limits.max_pages) {
      return absl::ResourceExhaustedError(absl::StrCat(
          shown, ": more than ", limits.max_pages,
          " pages (form feeds), over the limit (--max_pages)"));
    }
    start = end + 1;
  }
  return absl::OkStatus();
}

// The scan reads sixteen bytes at a time: line breaks and form feeds at
// every position of a block and across blocks, in documents of every
// length around the block size, give the line-by-line result.
TEST(LimitsTest, OnePassScanMatchesLineByLine) {
  std::mt19937 rng(9);
  const char kBytes[] = {'a', 'a', 'a', ' ', '\n', '\f', '\r', '\xc3'};
  int over = 0;
  for (int round = 0; round < 4000; ++round) {
    const size_t size = rng() % 80;
    std::string content;
    for (size_t i = 0; i < size; ++i) content.push_back(kBytes[rng() % sizeof(kBytes)]);
    RequestLimits limits;
    limits.max_pages = 1 + rng() % 6;
    limits.max_lines = 1 + rng() % 12;
    limits.max_line_bytes = rng() % 20;
    const absl::Status want = LineByLine("d.txt", content, limits);
    const absl::Status got = CheckDocumentLimits("d.txt", content, limits);
    ASSERT_EQ(got, want) << "round " << round << ", content of " << size << " bytes";
    over += !want.ok();
  }
  // Both kinds of outcome were tried.
  EXPECT_GT(over, 400);
  EXPECT_LT(over, 3600);
}

}  // namespace
}  // namespace ra
