// Other agencies' dialects, each defined in its rule pack (rules/doj,
// rules/dhs, rules/fbi, rules/cia), on real released records committed
// under tests/fixtures/dialects/ (see its README), one test per file, plus
// the negative control: a court opinion citing "Rule 12(b)(6)".
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "parse/parser.h"
#include "testing/testing.h"

namespace ra {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::shared_ptr<const RulePack> LoadPack(const std::string& folder) {
  auto pack = RulePack::LoadFolder(ra::testing::SourcePath(folder));
  EXPECT_THAT(pack, ra::testing::IsOk());
  return pack.ok() ? *pack : nullptr;
}

Document ParseFixture(const std::string& file, const RulePack& pack) {
  return Parse(ra::testing::ReadFileOrDie(ra::testing::FixturePath("dialects/" + file)), pack);
}

Document ParseText(const std::vector<std::string>& lines, const RulePack& pack) {
  std::string text;
  for (const std::string& l : lines) text += l + "\n";
  return Parse(text, pack);
}

std::map<std::string, int> CountByCode(const std::vector<Mark>& marks) {
  std::map<std::string, int> out;
  for (const Mark& m : marks) ++out[m.code.empty() ? "?" + m.printed : m.code];
  return out;
}

std::vector<std::string> CodesOnLine(const std::vector<Mark>& marks, int line) {
  std::vector<std::string> out;
  for (const Mark& m : marks) {
    if (m.line == line) out.push_back(m.code);
  }
  return out;
}

std::vector<std::string> Codes(const std::vector<Mark>& marks) {
  std::vector<std::string> out;
  for (const Mark& m : marks) out.push_back(m.code.empty() ? "?" + m.printed : m.code);
  return out;
}

constexpr char kDhs[] = "dhs_ice_cbp_form_I-213_2019-ICLI-00003_3866f3-1789-1791.pdftotext.txt";
constexpr char kCia[] = "cia_cib_C02733122_released_2019.pdftotext.txt";
constexpr char kFbi[] = "fbi_epstein_31E-MM-108062_sec1_HO018872_excerpt.txt";
constexpr char kNegative[] = "negctrl_rule12b6_court_opinion_EFTA01386028_p001.md";

TEST(DialectsTest, DhsBoxLabelsInsideTheText) {
  auto pack = LoadPack("rules/dhs");
  const Document doc = ParseFixture(kDhs, *pack);
  // Box labels, joined "(b)(6), (b)(7)(C)" and spaced "(b) (6), (b) (7)(C)".
  EXPECT_THAT(CodesOnLine(doc.marks, 7), ElementsAre("(b)(6)", "(b)(7)(C)"));
  EXPECT_THAT(CodesOnLine(doc.marks, 79),
              ElementsAre("(b)(6)", "(b)(7)(C)", "(b)(6)", "(b)(7)"));
  EXPECT_THAT(CodesOnLine(doc.marks, 80), ElementsAre("(b)(7)(E)"));
  // Inside a sentence: "On March 4, 2020, (b)(6), (b)(7)(C)    , DOB (b)(6), (b)(7)(C) ,".
  EXPECT_THAT(CodesOnLine(doc.marks, 106),
              ElementsAre("(b)(6)", "(b)(7)(C)", "(b)(6)", "(b)(7)(C)"));
  // Clipped boxes: "(b) (6), (b)" gives the (b)(6) mark only.
  EXPECT_THAT(CodesOnLine(doc.marks, 108), ElementsAre("(b)(6)", "(b)(7)(C)", "(b)(6)"));
  EXPECT_THAT(CodesOnLine(doc.marks, 184), ElementsAre("(b)(6)"));  // "ALIEN-(b) (6), (b)"
  EXPECT_THAT(CountByCode(doc.marks),
              (std::map<std::string, int>{{"(b)(6)", 45},
                                          {"(b)(7)", 4},
                                          {"(b)(7)(C)", 32},
                                          {"(b)(7)(E)", 3}}));
  // "212(a)(7)(A)(i)(I) of the INA" and "8 USC 1182" are not marks.
  EXPECT_THAT(CodesOnLine(doc.marks, 134 + 15), ElementsAre("(b)(6)", "(b)(7)"));
  EXPECT_THAT(doc.withheld_pages, IsEmpty());
}

TEST(DialectsTest, CiaDeclassificationMarksInTheMargin) {
  auto pack = LoadPack("rules/cia");
  const Document doc = ParseFixture(kCia, *pack);
  EXPECT_THAT(CodesOnLine(doc.marks, 8), ElementsAre("3.5(c)"));
  EXPECT_THAT(CodesOnLine(doc.marks, 46), ElementsAre("3.5(c)"));  // beside "Approved for Release"
  EXPECT_THAT(CodesOnLine(doc.marks, 56), ElementsAre("3.3(h)(2)"));
  EXPECT_THAT(CountByCode(doc.marks),
              (std::map<std::string, int>{{"3.3(h)(2)", 15}, {"3.5(c)", 23}}));
}

TEST(DialectsTest, FbiDeletedPageInformationSheetAndMarginCodes) {
  auto pack = LoadPack("rules/fbi");
  const Document doc = ParseFixture(kFbi, *pack);
  // Every line of the sheet stands for one page withheld in full; the sheet
  // itself says "Total Deleted Page(s) = 152".
  ASSERT_EQ(doc.withheld_pages.size(), 152u);
  const WithheldPage& first = doc.withheld_pages[0];
  EXPECT_EQ(first.line, 6);  // "Page 43 - b6; b7C;"
  EXPECT_EQ(first.page_number, 43);
  EXPECT_THAT(Codes(first.codes), ElementsAre("(b)(6)", "(b)(7)(C)"));
  int no_dash = 0, duplicates = 0, other = 0, b3 = 0;
  for (const WithheldPage& w : doc.withheld_pages) {
    if (w.page_number == 46) {  // "Page 46 b6; b7C;": no dash
      ++no_dash;
      EXPECT_THAT(Codes(w.codes), ElementsAre("(b)(6)", "(b)(7)(C)"));
    }
    if (w.page_number == 100) {
      EXPECT_THAT(Codes(w.codes), ElementsAre("(b)(6)", "(b)(7)(C)", "(b)(7)(E)"));
    }
    if (w.duplicate) {
      ++duplicates;
      EXPECT_EQ(w.duplicate_of, "serial 57");
      EXPECT_THAT(w.codes, IsEmpty());
    }
    if (!w.other_reason.empty()) {
      ++other;
      EXPECT_EQ(w.other_reason, "OTHER - Court Sealing Order");
    }
    if (w.codes.size() == 1 && w.codes[0].code == "(b)(3)") ++b3;
  }
  EXPECT_EQ(no_dash, 1);
  EXPECT_EQ(duplicates, 2);  // pages 404 and 405
  EXPECT_EQ(other, 67);  // pages 250-255, 257-317: "OTHER - Court Sealing Order"
  EXPECT_EQ(b3, 9);
  // Line 55: five entries whose rows the OCR joined with vertical tabs.
  std::vector<int> line55;
  for (const WithheldPage& w : doc.withheld_pages) {
    if (w.line == 55) line55.push_back(w.page_number);
  }
  EXPECT_THAT(line55, ElementsAre(144, 145, 146, 150, 152));

  // Margin codes: on their own lines, or one space after the body text.
  EXPECT_THAT(CodesOnLine(doc.marks, 189), ElementsAre("(b)(6)"));  // "... masseuses. b6"
  EXPECT_THAT(CodesOnLine(doc.marks, 190), ElementsAre("(b)(7)(C)"));
  EXPECT_THAT(CodesOnLine(doc.marks, 286), ElementsAre("(b)(3)"));
  EXPECT_THAT(CountByCode(doc.marks),
              (std::map<std::string, int>{{"(b)(3)", 3}, {"(b)(6)", 7}, {"(b)(7)(C)", 7}}));
  // Sheet lines are not margin marks.
  for (const Mark& m : doc.marks) EXPECT_GT(m.line, 159);
}

TEST(DialectsTest, FbiCountSuffixAndSemicolonLists) {
  auto pack = LoadPack("rules/fbi");
  const Document doc = ParseText(
      {"FEDERAL BUREAU OF INVESTIGATION",
       "Date of transcription    07/27/2006",
       "was interviewed at her residence by SA                          b6 -1",
       "                                                                b7C -1",
       "advised that she had met EPSTEIN through a friend. b6-2",
       "                                                   b6; b7C;",
       "Page 43 - b6; b7C; is no withheld page without a sheet title, and 12 -1 no code."},
      *pack);
  EXPECT_THAT(Codes(doc.marks), ElementsAre("(b)(6)", "(b)(7)(C)", "(b)(6)", "(b)(6)", "(b)(7)(C)"));
  EXPECT_EQ(doc.marks[0].printed, "b6");
  EXPECT_EQ(doc.marks[2].printed, "b6");
  // Without a sheet title, "Page 43 - b6; b7C;" is no withheld page.
  EXPECT_THAT(doc.withheld_pages, IsEmpty());
}

TEST(DialectsTest, DojStatuteStyleAndPrivacyAct) {
  auto pack = LoadPack("rules/doj");
  const Document doc = ParseText(
      {"Interview of (b)(6), (b)(7)(C) on 3/4/2019, with (b) (6) present.",
       "The file (b)(7)(C) was referred; exempt under (j)(2) and (k)(5) of the Privacy Act.",
       "Dismissed under Rule 12(b)(6); see 5 U.S.C. 552(b)(6) and 552a(k)(5).",
       "(b)(10) and (x)(6) are no codes."},
      *pack);
  EXPECT_THAT(CodesOnLine(doc.marks, 1), ElementsAre("(b)(6)", "(b)(7)(C)", "(b)(6)"));
  EXPECT_THAT(CodesOnLine(doc.marks, 2), ElementsAre("(b)(7)(C)", "(j)(2)", "(k)(5)"));
  EXPECT_THAT(CodesOnLine(doc.marks, 3), IsEmpty());
  EXPECT_THAT(CodesOnLine(doc.marks, 4), IsEmpty());
}

TEST(DialectsTest, Eo13526DeclassificationCodes) {
  auto pack = LoadPack("rules/cia");
  const Document doc = ParseText(
      {"The station reported that the source                                     25X1",
       "had met the minister twice.                                              3.3(b)(1)",
       "                                                                         (b)(3) 1.4(c)"},
      *pack);
  EXPECT_THAT(Codes(doc.marks), ElementsAre("25X1", "3.3(b)(1)", "(b)(3)", "1.4(c)"));
}

TEST(DialectsTest, NegativeControlYieldsNoMarkInAnyPack) {
  for (const char* folder :
       {"rules/state", "rules/doj", "rules/dhs", "rules/fbi", "rules/cia"}) {
    auto pack = LoadPack(folder);
    const Document doc = ParseFixture(kNegative, *pack);
    EXPECT_THAT(doc.marks, IsEmpty()) << folder;
    EXPECT_THAT(doc.withheld_pages, IsEmpty()) << folder;
    EXPECT_EQ(doc.stamp.disposition, Disposition::kNone) << folder;
  }
}

}  // namespace
}  // namespace ra
