#include "service/limits.h"

#include <string>

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

}  // namespace
}  // namespace ra
