#include "service/convert.h"

#include "gtest/gtest.h"
#include "testing/testing.h"

namespace ra {
namespace {

using ::ra::testing::IsOk;
using ::ra::testing::StatusIs;

TEST(ConvertTest, FindingNamesRoundTrip) {
  const std::string name = FindingName("F-2014-20439", "C05788291", 42);
  EXPECT_EQ(name, "cases/F-2014-20439/documents/C05788291/findings/42");
  auto ref = ParseFindingName(name);
  ASSERT_THAT(ref, IsOk());
  EXPECT_EQ(ref->case_number, "F-2014-20439");
  EXPECT_EQ(ref->doc_number, "C05788291");
  EXPECT_EQ(ref->id, 42);
}

TEST(ConvertTest, BadNamesAreInvalidArgument) {
  for (const char* bad : {"", "42", "cases/F/documents/C/findings/x",
                          "cases/F/documents/C/findings/0",
                          "cases//documents/C/findings/1",
                          "case/F/documents/C/findings/1"}) {
    EXPECT_THAT(ParseFindingName(bad),
                StatusIs(absl::StatusCode::kInvalidArgument, "is not of the form"))
        << bad;
  }
  EXPECT_THAT(ParseCaseName("cases/F-1"), IsOk());
  EXPECT_THAT(ParseCaseName("F-1"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ConvertTest, PageTokensRoundTripAndRejectForgeries) {
  auto id = DecodePageToken(EncodePageToken(1234567));
  ASSERT_THAT(id, IsOk());
  EXPECT_EQ(*id, 1234567);
  EXPECT_THAT(DecodePageToken("not-a-token"),
              StatusIs(absl::StatusCode::kInvalidArgument, "page_token"));
}

TEST(ConvertTest, StatusCodesMapOneToOne) {
  grpc::Status s = ToGrpc(absl::AbortedError("stale etag"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(s.error_message(), "stale etag");
  EXPECT_TRUE(ToGrpc(absl::OkStatus()).ok());
}

}  // namespace
}  // namespace ra
