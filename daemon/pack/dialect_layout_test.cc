// The dialect layout fields of rule_pack.proto (placement, margin gap and
// column, code suffixes, list separators, clipped spellings, withheld-page
// sheets): the shipped agency packs load, and bad values are rejected with
// file:line:column.
#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "pack/pack.h"
#include "testing/testing.h"

namespace ra {
namespace {

using ::ra::testing::IsOk;
using ::ra::testing::StatusIs;

using ::ra::testing::WriteFile;

// A pack file of one exemption and one dialect with `body` inside it.
std::string Pack(const std::string& body) {
  return "name: \"x\"\n"
         "exemptions { code: \"(b)(6)\" }\n"
         "dialects {\n"
         "  name: \"d\"\n" +
         body + "}\n";
}

TEST(DialectLayoutTest, AgencyPacksLoad) {
  for (const char* folder : {"rules/doj", "rules/dhs", "rules/fbi", "rules/cia"}) {
    auto pack = RulePack::LoadFolder(testing::SourcePath(folder));
    ASSERT_THAT(pack, IsOk()) << folder;
  }
  auto dhs = *RulePack::LoadFolder(testing::SourcePath("rules/dhs"));
  EXPECT_TRUE(dhs->has_inline_dialect());
  ASSERT_NE(dhs->Lookup("(b) (7)(C)"), nullptr);
  EXPECT_TRUE(dhs->Lookup("(b) (7)(C)")->read_inline);
  EXPECT_TRUE(dhs->IsClipped("(b)"));
  EXPECT_EQ(dhs->Lookup("(k)(5)")->code, "(k)(5)");

  auto fbi = *RulePack::LoadFolder(testing::SourcePath("rules/fbi"));
  EXPECT_FALSE(fbi->has_inline_dialect());
  EXPECT_EQ(fbi->Lookup("b7C")->code, "(b)(7)(C)");
  EXPECT_EQ(fbi->Lookup("b7C")->margin_gap, 1);
  EXPECT_EQ(fbi->min_margin_gap(), 1);
  EXPECT_TRUE(fbi->IsCodeSuffix("-1"));
  EXPECT_TRUE(fbi->IsCodeSuffix("- 12"));
  EXPECT_FALSE(fbi->IsCodeSuffix("-"));
  EXPECT_FALSE(fbi->IsCodeSuffix("-1a"));
  EXPECT_EQ(fbi->CodeSuffixLength("b6-1"), 2u);
  EXPECT_EQ(fbi->CodeSuffixLength("b6"), 0u);
  EXPECT_TRUE(fbi->IsListSeparator(';'));
  EXPECT_TRUE(fbi->IsListSeparator(','));
  ASSERT_EQ(fbi->withheld_sheets().size(), 1u);
  EXPECT_EQ(fbi->withheld_sheets()[0].title, "DELETED PAGE INFORMATION SHEET");

  auto cia = *RulePack::LoadFolder(testing::SourcePath("rules/cia"));
  EXPECT_EQ(cia->Lookup("3.5(c)")->code, "3.5(c)");
  EXPECT_EQ(cia->Lookup("25X1")->code, "25X1");
  EXPECT_EQ(cia->Lookup("3.3(b)(1)")->code, "3.3(b)(1)");
  ASSERT_NE(cia->FindExemption("3.3(h)(2)"), nullptr);
  EXPECT_EQ(cia->FindExemption("25X1")->citation, "E.O. 13526 sec. 3.3(b)(1), 3.3(f)");

  // The State pack keeps the State layout.
  auto state = *RulePack::LoadFolder(testing::SourcePath("rules/state"));
  EXPECT_FALSE(state->has_inline_dialect());
  EXPECT_EQ(state->min_margin_gap(), 0);
  EXPECT_FALSE(state->IsListSeparator(';'));
}

TEST(DialectLayoutTest, InlineSpellingMustStartWithParenthesis) {
  const std::string dir = testing::MakeTempDir();
  WriteFile(dir, "p.textproto",
            Pack("  placement: INLINE\n  spellings { text: \"b6\" code: \"(b)(6)\" }\n"));
  EXPECT_THAT(RulePack::LoadFolder(dir),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "p.textproto:6:3: spelling \"b6\" of INLINE dialect \"d\" must start"));
}

TEST(DialectLayoutTest, SuffixWithLettersIsRejected) {
  const std::string dir = testing::MakeTempDir();
  WriteFile(dir, "p.textproto", Pack("  code_suffixes: \"-1\"\n  code_suffixes: \"x#\"\n"));
  EXPECT_THAT(RulePack::LoadFolder(dir),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "p.textproto:6:3: dialect \"d\": a code suffix may not contain letters"));
}

TEST(DialectLayoutTest, SuffixOfDigitsOnlyIsRejected) {
  const std::string dir = testing::MakeTempDir();
  WriteFile(dir, "p.textproto", Pack("  code_suffixes: \"#\"\n"));
  EXPECT_THAT(RulePack::LoadFolder(dir),
              StatusIs(absl::StatusCode::kInvalidArgument, "p.textproto:5:3: dialect \"d\""));
}

TEST(DialectLayoutTest, LetterAsListSeparatorIsRejected) {
  const std::string dir = testing::MakeTempDir();
  WriteFile(dir, "p.textproto", Pack("  list_separators: \";b\"\n"));
  EXPECT_THAT(RulePack::LoadFolder(dir),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "p.textproto:5:3: dialect \"d\": list separator 'b' may not be"));
}

TEST(DialectLayoutTest, ClippedSpellingThatIsAFullSpellingIsRejected) {
  const std::string dir = testing::MakeTempDir();
  WriteFile(dir, "p.textproto",
            Pack("  spellings { text: \"(b)(6)\" code: \"(b)(6)\" }\n"
                 "  clipped_spellings: \"(b) (6)\"\n"));
  EXPECT_THAT(RulePack::LoadFolder(dir),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "p.textproto:6:3: dialect \"d\": clipped spelling \"(b) (6)\" is also"));
}

TEST(DialectLayoutTest, TrailingDebrisThatIsASpellingIsRejected) {
  const std::string dir = testing::MakeTempDir();
  WriteFile(dir, "p.textproto",
            Pack("  spellings { text: \"B6\" code: \"(b)(6)\" }\n"
                 "  trailing_debris: \"b6\"\n"));
  EXPECT_THAT(RulePack::LoadFolder(dir),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "p.textproto:6:3: dialect \"d\": trailing debris \"b6\" is also"));
  WriteFile(dir, "p.textproto", Pack("  trailing_debris: \"IIII\"\n"));
  EXPECT_THAT(RulePack::LoadFolder(dir),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "p.textproto:5:3: dialect \"d\": trailing debris must be 1 to 3"));
}

TEST(DialectLayoutTest, NegativeMarginGapIsRejected) {
  const std::string dir = testing::MakeTempDir();
  WriteFile(dir, "p.textproto", Pack("  margin_gap: -2\n"));
  EXPECT_THAT(RulePack::LoadFolder(dir),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "p.textproto:5:3: dialect \"d\": margin_gap must be between"));
}

TEST(DialectLayoutTest, SheetWithoutPageWordIsRejected) {
  const std::string dir = testing::MakeTempDir();
  WriteFile(dir, "p.textproto",
            Pack("  withheld_page_sheet {\n    title: \"DELETED PAGE INFORMATION SHEET\"\n  }\n"));
  EXPECT_THAT(RulePack::LoadFolder(dir),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "p.textproto:5:3: dialect \"d\": withheld_page_sheet needs"));
}

}  // namespace
}  // namespace ra
