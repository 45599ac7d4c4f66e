#include "pack/pack.h"

#include <fstream>

#include "gtest/gtest.h"
#include "pack/rule_catalog.h"
#include "testing/testing.h"

namespace ra {
namespace {

using ::ra::testing::IsOk;
using ::ra::testing::StatusIs;

using ::ra::testing::WriteFile;

TEST(RulePackTest, ShippedStatePackLoads) {
  auto pack = RulePack::LoadFolder(testing::SourcePath("rules/state"));
  ASSERT_THAT(pack, IsOk());
  EXPECT_EQ((*pack)->name(), "us-foia-state");
  ASSERT_NE((*pack)->Lookup("B6"), nullptr);
  EXPECT_EQ((*pack)->Lookup("B6")->code, "(b)(6)");
  EXPECT_EQ((*pack)->Lookup("b 6")->code, "(b)(6)");
  EXPECT_EQ((*pack)->Lookup("(b) (6)")->code, "(b)(6)");
  EXPECT_EQ((*pack)->Lookup("1.4(D)")->code, "1.4(d)");
  ASSERT_NE((*pack)->Lookup("BS"), nullptr);
  EXPECT_TRUE((*pack)->Lookup("BS")->ocr_variant);
  EXPECT_EQ((*pack)->Lookup("B0"), nullptr);
  EXPECT_EQ((*pack)->Suggest("B66"), "B6");
  EXPECT_TRUE((*pack)->IsQualifier("CIA"));
  EXPECT_TRUE((*pack)->FindExemption("(b)(3)")->requires_qualifier);
  EXPECT_EQ((*pack)->Rule(rule_id::kStampNotMarked).severity, Severity::kWarning);
}

// Lookups reject most words on their first byte and length before hashing
// (RulePack::KeyFilter): every key of every file loaded must get through,
// however it is printed, and what is not a key must not.
TEST(RulePackTest, LookupsFindEveryKeyOfEveryFile) {
  const std::string dir = testing::MakeTempDir();
  WriteFile(dir, "a.textproto",
            "exemptions { code: \"(b)(6)\" }\n"
            "exemptions { code: \"(b)(3)\" }\n"
            "dialects { name: \"a\" spellings { text: \"b6\" code: \"(b)(6)\" }\n"
            "  qualifiers: \"cia\" }\n");
  // A later file brings keys with new first bytes and longer than the
  // first file's.
  WriteFile(dir, "b.textproto",
            "dialects { name: \"b\"\n"
            "  spellings { text: \"(b) (3) statute\" code: \"(b)(3)\" }\n"
            "  spellings { text: \"%6\" code: \"(b)(6)\" ocr_variant: true }\n"
            "  qualifiers: \"pers/org long\"\n"
            "  clipped_spellings: \"(b)\" trailing_debris: \"i\" }\n");
  auto loaded = RulePack::LoadFolder(dir);
  ASSERT_THAT(loaded, IsOk());
  const RulePack& pack = **loaded;
  ASSERT_NE(pack.Lookup("B6"), nullptr);
  EXPECT_EQ(pack.Lookup(" b 6")->code, "(b)(6)");
  ASSERT_NE(pack.Lookup("(B)(3)STATUTE"), nullptr);
  EXPECT_EQ(pack.Lookup("(b)(3) Statute")->code, "(b)(3)");
  ASSERT_NE(pack.Lookup("%6"), nullptr);
  EXPECT_TRUE(pack.Lookup("%6")->ocr_variant);
  EXPECT_EQ(pack.Lookup("(b)(3) Statutes"), nullptr);  // one byte too long
  EXPECT_EQ(pack.Lookup("B"), nullptr);
  EXPECT_EQ(pack.Lookup("c6"), nullptr);
  EXPECT_EQ(pack.Lookup(""), nullptr);
  EXPECT_EQ(pack.Lookup("   "), nullptr);
  EXPECT_TRUE(pack.IsQualifier("CIA"));
  EXPECT_TRUE(pack.IsQualifier("Pers/Org Long"));
  EXPECT_FALSE(pack.IsQualifier("PERS/ORG LONGER"));
  EXPECT_FALSE(pack.IsQualifier("DIA"));
  EXPECT_TRUE(pack.IsClipped("( b )"));
  EXPECT_FALSE(pack.IsClipped("(b)(6"));
  for (char c : {'B', 'b', '(', '%'}) EXPECT_TRUE(pack.MayStartSpelling(c)) << c;
  for (char c : {'c', '1', ' ', '\xe2'}) EXPECT_FALSE(pack.MayStartSpelling(c)) << c;
  EXPECT_TRUE(pack.IsTrailingDebris("I"));
  EXPECT_FALSE(pack.IsTrailingDebris("II"));
  EXPECT_FALSE(pack.IsTrailingDebris("l"));
  // The first-byte shortcut sees the byte the fold keeps: white space
  // before it is dropped, case folded.
  EXPECT_TRUE(pack.IsTrailingDebris(" I"));
  EXPECT_TRUE(pack.IsTrailingDebris("\t\ni "));
  EXPECT_FALSE(pack.IsTrailingDebris(" l"));
  EXPECT_FALSE(pack.IsTrailingDebris(""));
  EXPECT_FALSE(pack.IsTrailingDebris("   "));
}

TEST(RulePackTest, SyntaxErrorNamesFileLineColumn) {
  const std::string dir = testing::MakeTempDir();
  WriteFile(dir, "bad.textproto", "name: \"x\"\nexemptions {\n  cod: \"B6\"\n}\n");
  auto pack = RulePack::LoadFolder(dir);
  EXPECT_THAT(pack, StatusIs(absl::StatusCode::kInvalidArgument,
                             dir + "/bad.textproto:3:"));
  EXPECT_THAT(pack, StatusIs(absl::StatusCode::kInvalidArgument,
                             "no field named \"cod\""));
}

TEST(RulePackTest, UnknownRuleIdIsRejectedWithLocation) {
  const std::string dir = testing::MakeTempDir();
  WriteFile(dir, "p.textproto", "name: \"x\"\n\nrules { id: \"no.such-rule\" }\n");
  EXPECT_THAT(RulePack::LoadFolder(dir),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "p.textproto:3:9: unknown rule id \"no.such-rule\""));
}

TEST(RulePackTest, SpellingOfUnknownCodeIsRejected) {
  const std::string dir = testing::MakeTempDir();
  WriteFile(dir, "p.textproto",
            "exemptions { code: \"(b)(6)\" }\n"
            "dialects {\n  name: \"d\"\n  spellings { text: \"B6\" code: \"(b)(6)\" }\n"
            "  spellings { text: \"B7\" code: \"(b)(7)\" }\n}\n");
  EXPECT_THAT(RulePack::LoadFolder(dir),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "p.textproto:5:3: spelling \"B7\""));
}

TEST(RulePackTest, ImportCycleIsRejected) {
  const std::string dir = testing::MakeTempDir();
  WriteFile(dir, "a.textproto", "imports: \"b.textproto\"\n");
  WriteFile(dir, "b.textproto", "imports: \"a.textproto\"\n");
  EXPECT_THAT(RulePack::LoadFolder(dir),
              StatusIs(absl::StatusCode::kInvalidArgument, "import cycle"));
}

TEST(RulePackTest, MissingFolderIsNotFound) {
  EXPECT_THAT(RulePack::LoadFolder("/nonexistent/rules"),
              StatusIs(absl::StatusCode::kNotFound, "/nonexistent/rules"));
}

TEST(RulePackTest, SeverityOverrideAndDisable) {
  const std::string dir = testing::MakeTempDir();
  WriteFile(dir, "p.textproto",
            "rules { id: \"stamp.missing\" severity: ERROR }\n"
            "rules { id: \"mark.unknown-code\" enabled: false }\n");
  auto pack = RulePack::LoadFolder(dir);
  ASSERT_THAT(pack, IsOk());
  EXPECT_EQ((*pack)->Rule(rule_id::kStampMissing).severity, Severity::kError);
  EXPECT_FALSE((*pack)->Rule(rule_id::kUnknownCode).enabled);
  EXPECT_TRUE((*pack)->Rule(rule_id::kFullWithMarks).enabled);
}

}  // namespace
}  // namespace ra
