// Loading the issue-4 parts of a pack: statutes, personal-data and date
// settings, custom RE2 pattern rules, suppressions; and their errors, each
// naming file:line:column.
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pack/pack.h"
#include "testing/testing.h"

namespace ra {
namespace {

using ::ra::testing::IsOk;
using ::ra::testing::StatusIs;

using ::ra::testing::WriteFile;

TEST(PackCustomTest, ShippedPacksCarryStatutesPiiAndLegalSettings) {
  auto pack = RulePack::LoadFolder(testing::SourcePath("rules/state"));
  ASSERT_THAT(pack, IsOk());
  ASSERT_NE((*pack)->FindStatute("CIA"), nullptr);
  EXPECT_EQ((*pack)->FindStatute("cia")->citation, "50 U.S.C. 3507");
  EXPECT_NE((*pack)->FindStatute("50 USC 3024(i)"), nullptr);
  EXPECT_EQ((*pack)->FindStatute("XYZ"), nullptr);
  EXPECT_EQ((*pack)->legal().max_classification_years, 25);
  EXPECT_EQ((*pack)->legal().deliberative_process_years, 25);
  EXPECT_THAT((*pack)->legal().duration_exemptions, ::testing::Contains("50X1-HUM"));
  EXPECT_THAT((*pack)->pii().allowed_domains, ::testing::Contains("*.gov"));
  const ExemptionInfo* legacy = (*pack)->FindExemption("1.5(b)");
  ASSERT_NE(legacy, nullptr);
  EXPECT_EQ(legacy->superseded_by, "1.4(b)");
  ASSERT_NE((*pack)->Lookup("1.5(B)"), nullptr);
}

TEST(PackCustomTest, PatternRuleCompilesAndCanBeOverridden) {
  const std::string dir = testing::MakeTempDir();
  WriteFile(dir, "p.textproto",
            "patterns { id: \"custom.aurora\" pattern: \"\\\\bAURORA\\\\b\" "
            "ignore_case: true message: \"codeword\" }\n"
            "rules { id: \"custom.aurora\" severity: WARNING }\n"
            "suppressions { fingerprint: \"ABC123\" reason: \"published\" }\n");
  auto pack = RulePack::LoadFolder(dir);
  ASSERT_THAT(pack, IsOk());
  ASSERT_EQ((*pack)->patterns().size(), 1u);
  EXPECT_EQ((*pack)->Rule("custom.aurora").severity, Severity::kWarning);
  EXPECT_TRUE((*pack)->IsSuppressed("abc123"));
  EXPECT_FALSE((*pack)->IsSuppressed("abc124"));
}

TEST(PackCustomTest, BadRegexNamesFileLineColumn) {
  const std::string dir = testing::MakeTempDir();
  WriteFile(dir, "p.textproto",
            "name: \"x\"\npatterns {\n  id: \"custom.bad\"\n  pattern: \"(unclosed\"\n}\n");
  EXPECT_THAT(RulePack::LoadFolder(dir),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       dir + "/p.textproto:4:3: invalid RE2 pattern of rule "
                             "\"custom.bad\": missing )"));
}

TEST(PackCustomTest, PatternIdOutsideCustomNamespaceIsRejected) {
  const std::string dir = testing::MakeTempDir();
  WriteFile(dir, "p.textproto", "\npatterns { id: \"b6.mine\" pattern: \"x\" }\n");
  EXPECT_THAT(RulePack::LoadFolder(dir),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "p.textproto:2:12: pattern rule id \"b6.mine\" must start"));
}

TEST(PackCustomTest, BadFieldNamesFileLineColumn) {
  const std::string dir = testing::MakeTempDir();
  WriteFile(dir, "p.textproto", "name: \"x\"\npii {\n  allowed_domain: \"a.org\"\n}\n");
  EXPECT_THAT(RulePack::LoadFolder(dir),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       dir + "/p.textproto:3:17: Message type "
                             "\"redaction_audit.v1.PiiSettings\" has no field named "
                             "\"allowed_domain\""));
}

TEST(PackCustomTest, UnknownCodeNamesFileLineColumn) {
  const std::string dir = testing::MakeTempDir();
  WriteFile(dir, "p.textproto",
            "exemptions { code: \"1.4(b)\" }\n"
            "exemptions {\n  code: \"1.5(b)\"\n  superseded_by: \"1.4(z)\"\n}\n");
  EXPECT_THAT(RulePack::LoadFolder(dir),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "p.textproto:4:3: exemption \"1.5(b)\" is superseded by "
                       "unknown code \"1.4(z)\""));
}

TEST(PackCustomTest, ImportCycleNamesTheImportLine) {
  const std::string dir = testing::MakeTempDir();
  WriteFile(dir, "a.textproto", "name: \"a\"\nimports: \"b.textproto\"\n");
  WriteFile(dir, "b.textproto", "name: \"b\"\n\nimports: \"a.textproto\"\n");
  EXPECT_THAT(RulePack::LoadFile(dir + "/a.textproto"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       dir + "/b.textproto:3:1: import cycle: "));
}

TEST(PackCustomTest, SuppressionWithoutReasonIsRejected) {
  const std::string dir = testing::MakeTempDir();
  WriteFile(dir, "p.textproto", "suppressions {\n  fingerprint: \"ab\"\n}\n");
  EXPECT_THAT(RulePack::LoadFolder(dir),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "p.textproto:2:3: suppression of ab needs a reason"));
}

}  // namespace
}  // namespace ra
