#include "service/auth_table.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/testing.h"
#include "util/sha256.h"

namespace ra {
namespace {

using ::ra::testing::IsOk;
using ::ra::testing::StatusIs;
using ::testing::HasSubstr;

TEST(AuthTableTest, ParsesTokensAndCertificateNames) {
  const std::string text = "# tokens\n\n" + Sha256Hex("s3cret") +
                           " reviewer Ada Lovelace\n"
                           "x509:ci-bot submitter CI bot\n";
  absl::StatusOr<AuthTable> table = AuthTable::Parse(text, "tokens");
  ASSERT_THAT(table.status(), IsOk());
  EXPECT_EQ(table->size(), 2u);
  std::optional<Principal> p = table->ForToken("s3cret");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->name, "Ada Lovelace");
  EXPECT_EQ(p->role, Role::kReviewer);
  EXPECT_FALSE(table->ForToken("S3cret").has_value());
  EXPECT_FALSE(table->ForToken(Sha256Hex("s3cret")).has_value());
  ASSERT_TRUE(table->ForCertificate("ci-bot").has_value());
  EXPECT_EQ(table->ForCertificate("ci-bot")->role, Role::kSubmitter);
  EXPECT_FALSE(table->ForCertificate("ci").has_value());
}

TEST(AuthTableTest, RejectsMalformedLinesNamingTheLine) {
  EXPECT_THAT(AuthTable::Parse("s3cret admin root\n", "f").status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  absl::Status bad_role =
      AuthTable::Parse("\n" + Sha256Hex("x") + " owner bob\n", "f").status();
  EXPECT_THAT(bad_role, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(bad_role.message()), HasSubstr("f:2: role \"owner\""));
  EXPECT_THAT(AuthTable::Parse(Sha256Hex("x") + " admin\n", "f").status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  const std::string twice = Sha256Hex("x") + " admin a\n" + Sha256Hex("x") + " admin b\n";
  EXPECT_THAT(AuthTable::Parse(twice, "f").status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(AuthTableTest, MissingFileIsNotFound) {
  EXPECT_THAT(AuthTable::Load("/nonexistent/tokens").status(),
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace ra
