// Table-driven tests of parse on snippets of real State Department releases
// (pdftotext -layout text layers of the Clinton email production).
#include "parse/parser.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "parse/codes.h"
#include "parse/fields.h"
#include "testing/testing.h"

namespace ra {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class ParserTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto pack = RulePack::LoadFolder(ra::testing::SourcePath("rules/state"));
    ASSERT_THAT(pack, ra::testing::IsOk());
    pack_ = new std::shared_ptr<const RulePack>(*pack);
  }
  static const RulePack& pack() { return **pack_; }
  static Document ParseLines(const std::vector<std::string>& lines) {
    std::string text;
    for (const std::string& l : lines) text += l + "\n";
    return Parse(text, pack());
  }
  static std::vector<std::string> Codes(const std::vector<Mark>& marks) {
    std::vector<std::string> out;
    for (const Mark& m : marks) out.push_back(m.code.empty() ? "?" + m.printed : m.code);
    return out;
  }
  static std::vector<int> Lines(const std::vector<Mark>& marks) {
    std::vector<int> out;
    for (const Mark& m : marks) out.push_back(m.line);
    return out;
  }
  static std::shared_ptr<const RulePack>* pack_;
};
std::shared_ptr<const RulePack>* ParserTest::pack_ = nullptr;

const char kHeader[] =
    "     UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05761411 "
    "Date: 06/30/2015";

struct StampCase {
  const char* name;
  std::vector<std::string> lines;
  Disposition disposition;
  std::vector<std::string> codes;
};

TEST_F(ParserTest, Stamps) {
  const std::vector<StampCase> cases = {
      {"split RELEASE IN / PART B6",
       {kHeader, "", "                                              RELEASE IN",
        "                                              PART B6", "",
        "From:                          Lissa Muscatine"},
       Disposition::kPart,
       {"(b)(6)"}},
      {"one line",
       {kHeader, "                                       RELEASE IN PART B5,B6"},
       Disposition::kPart,
       {"(b)(5)", "(b)(6)"}},
      {"merged into header: FuLL",
       {"    UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05763139 "
        "Date: 07/31/2015FuLL",
        "", "From:                              Abedin, Huma <AbedinH@state.gov>"},
       Disposition::kFull,
       {}},
      {"merged into header: SE IN FULL",
       {"      UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05762867 "
        "Date: 06/30/2015SE IN FULL",
        "                                                                              -"},
       Disposition::kFull,
       {}},
      {"header ends RELEASE IN, FULL below",
       {"     UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05762317 "
        "Date: 06/30/2015 RELEASE IN",
        "                                                                                  "
        "                  FULL —"},
       Disposition::kFull,
       {}},
      {"OCR KtLt/Abt IN",
       {kHeader, "                                                    KtLt/Abt IN",
        "                                                    PART B5,B6"},
       Disposition::kPart,
       {"(b)(5)", "(b)(6)"}},
      {"OCR KtLt/Abt IN after a tab",
       {kHeader, "Subject: about the meeting on the budget\tKtLt/Abt IN",
        "                              PART B5,B6"},
       Disposition::kPart,
       {"(b)(5)", "(b)(6)"}},
      {"RELEASE / IN PART B6",
       {kHeader, "                                                          RELEASE",
        "                                                          IN PART B6"},
       Disposition::kPart,
       {"(b)(6)"}},
      {"beside email header fields",
       {kHeader, "",
        "From:                             Abedin, Huma <AbedinH@state.gov>                "
        "           RELEASE IN",
        "Sent:                             Sunday, August 02, 2009 9:38 AM                 "
        "           PART",
        "To:                               H                                               "
        "           B1,1.4(B),1.4(D)",
        "Subject:                          Fw: Update"},
       Disposition::kPart,
       {"(b)(1)", "1.4(b)", "1.4(d)"}},
      {"code on the From line under the stamp",
       {kHeader, "                                                             RELEASE IN PART",
        "From:                             H <hrod17@clintonemail.com >             B6",
        "Sent:                             Sunday, June 13, 2010 9:28 PM"},
       Disposition::kPart,
       {"(b)(6)"}},
      {"code list continued on the next line",
       {kHeader,
        "Classified by DAS, A/GIS, DoS on 09/30/2015 — Class: CONFIDENTIAL                "
        "     RELEASE IN PART",
        "                                                                                 "
        "     B1,1.4(B),1.4(D),",
        "— Reason: 1.4(B), 1.4(D) — Declassify on: 02/13/2026                             "
        "     B5, B6"},
       Disposition::kPart,
       {"(b)(1)", "1.4(b)", "1.4(d)", "(b)(5)", "(b)(6)"}},
      {"no stamp", {kHeader, "", "From:    Jake Sullivan"}, Disposition::kNone, {}},
  };
  for (const StampCase& c : cases) {
    SCOPED_TRACE(c.name);
    const Document doc = ParseLines(c.lines);
    EXPECT_EQ(doc.stamp.disposition, c.disposition);
    EXPECT_EQ(Codes(doc.stamp.codes), c.codes);
    EXPECT_THAT(doc.marks, IsEmpty()) << "stamp codes are not marks";
  }
}

struct MarkCase {
  const char* name;
  std::string line;
  std::vector<std::string> codes;  // "?B66" for an unknown printed code
};

TEST_F(ParserTest, MarksOnOneLine) {
  const std::vector<MarkCase> cases = {
      {"margin code after a header field",
       "Sent:                          Sunday, March 29, 2009 3:44 PM                     B6",
       {"(b)(6)"}},
      {"code-only line", "                                                      B6", {"(b)(6)"}},
      {"code list split into marks",
       "Subject: Update                                                     B1,1.4(D)",
       {"(b)(1)", "1.4(d)"}},
      {"code after a short gap in a Cc list",
       "Cc: Verveer, Melanne S; TovNF@state.govi <TovNF@state.gov >;         Yu, Wenchi;   B1",
       {"(b)(1)"}},
      {"stray quote after the code", "                                          B1     '",
       {"(b)(1)"}},
      {"qualifier", "                                                   B3 CIA", {"(b)(3)"}},
      {"OCR variant", "                                                   BS", {"(b)(5)"}},
      {"unknown code", "                                                  B66", {"?B66"}},
      {"page number 7C)", "                                                     7C)", {}},
      {"P2 noise", "                                                             P2", {}},
      {"H2 alias", "To:                              H2", {}},
      {"distribution list", "Cc: SES-0 CMS; SES-0_0S", {}},
      {"sign-off", "Xx000", {}},
      {"signature", "LoveF7", {}},
      {"1.3 million", "Pakistan has 1.3 million displaced people", {}},
      {"body word far right", "I think so.                                          Thx.", {}},
      {"code inside body text", "We discussed B6 at length yesterday with the team", {}},
  };
  for (const MarkCase& c : cases) {
    SCOPED_TRACE(c.name);
    const Document doc = ParseLines({kHeader, "", c.line});
    EXPECT_EQ(Codes(doc.marks), c.codes);
    for (const Mark& m : doc.marks) EXPECT_EQ(m.line, 3);
  }
}

// FindNoCase folds a letter with c | 0x20, which is exact for letters
// only: a needle starting with a digit must not match the control byte
// 0x11 (0x11 | 0x20 == '1').
TEST_F(ParserTest, FindNoCaseFoldsLettersOnly) {
  using parse_internal::FindNoCase;
  EXPECT_EQ(FindNoCase("x\x11" ".4(b) 1.4(B)", "1.4(b)"), 8u);
  EXPECT_EQ(FindNoCase("a [elease ReLeAsE", "RELEASE"), 10u);
  EXPECT_EQ(FindNoCase("RELEASE", "release", 1), std::string_view::npos);
  EXPECT_EQ(FindNoCase("EASE IN", "EASE IN"), 0u);
  EXPECT_EQ(FindNoCase("EAS", "EASE"), std::string_view::npos);
}

// ReadCodeList splits its words only as far as it reads them; a text of
// more than twelve words is still no code list, even when its last two
// words are read as one spelling ("1.4 D)").
TEST_F(ParserTest, CodeListHasAtMostTwelveWords) {
  const std::string twelve = "B1,B2,B3,B4,B5,B6,B7,B8,B9,B1,B2,B3";
  std::vector<Mark> out(1);  // a mark read before stays
  EXPECT_TRUE(parse_internal::ReadCodeList(twelve, 50, pack(), true, &out));
  ASSERT_EQ(out.size(), 13u);
  EXPECT_EQ(out[12].column, 50 + 33);
  out.resize(1);
  EXPECT_FALSE(parse_internal::ReadCodeList(twelve + ",B6", 50, pack(), true, &out));
  EXPECT_FALSE(parse_internal::ReadCodeList("B1,B2,B3,B4,B5,B6,B7,B8,B9,B1,B2, 1.4 D)", 50,
                                            pack(), true, &out));
  EXPECT_EQ(out.size(), 1u);
  EXPECT_TRUE(parse_internal::ReadCodeList("B1,B2,B3,B4,B5,B6,B7,B8,B9,B1, 1.4 D)", 50,
                                           pack(), true, &out));
  EXPECT_EQ(out.back().code, "1.4(d)");
  out.resize(1);
  EXPECT_FALSE(parse_internal::ReadCodeList("Hello B6", 50, pack(), true, &out));
  EXPECT_EQ(out.size(), 1u);
  out.clear();
  EXPECT_TRUE(parse_internal::ReadCodeList("b6, 1.4 D), (b)(6)", 0, pack(), false, &out));
  EXPECT_EQ(out.size(), 3u);
}

// A list is rejected on its first word's first byte unless a spelling or a
// code-shaped unknown word may start with it: with a pack that spells only
// "B6", the unknown "(b)(10)" and "1.4(Z)" are still read.
TEST_F(ParserTest, UnknownCodeShapesStartingNoSpelling) {
  const std::string dir = ra::testing::MakeTempDir();
  ra::testing::WriteFile(dir, "p.textproto",
                         "exemptions { code: \"(b)(6)\" }\n"
                         "dialects { name: \"d\" spellings { text: \"B6\" code: \"(b)(6)\" } }\n");
  auto loaded = RulePack::LoadFolder(dir);
  ASSERT_THAT(loaded, ra::testing::IsOk());
  for (const char* unknown : {"(b)(10)", "1.4(Z)", "B66", "b0"}) {
    std::vector<Mark> out;
    EXPECT_TRUE(parse_internal::ReadCodeList(unknown, 0, **loaded, true, &out)) << unknown;
    EXPECT_FALSE(parse_internal::ReadCodeList(unknown, 0, **loaded, false, &out)) << unknown;
  }
}

// Lookup skips a line break inside a word (a PDF label's text may hold
// one); the first-byte shortcut must not reject the list before it.
TEST_F(ParserTest, CodeListWordStartingWithALineBreak) {
  std::vector<Mark> out;
  EXPECT_TRUE(parse_internal::ReadCodeList("\nB6", 0, pack(), false, &out));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].code, "(b)(6)");
}

// A margin field is read when it is at most 40 bytes long, whatever stands
// left of it: a gap of spaces or tabs, or nothing.
TEST_F(ParserTest, MarginFieldOfFortyBytesAndNoMore) {
  const std::string body = "We met the delegation on Monday morning.";  // 40 bytes
  const std::string forty = "B1,B2,B3,B4,B5,B6,B7,B8,B9,1.4(B),1.4(C)";
  const std::string forty_one = "B1,B2,B3,B4,B5,B6,B7,B8,B9,1.4(B), 1.4(C)";
  ASSERT_EQ(forty.size(), 40u);
  EXPECT_EQ(ParseLines({kHeader, body + "   " + forty}).marks.size(), 11u);
  EXPECT_EQ(ParseLines({kHeader, body + "\t\t\t" + forty}).marks.size(), 11u);
  EXPECT_EQ(ParseLines({kHeader, std::string(40, ' ') + forty}).marks.size(), 11u);
  EXPECT_THAT(ParseLines({kHeader, body + "   " + forty_one}).marks, IsEmpty());
  EXPECT_THAT(ParseLines({kHeader, body + "\t\t\t" + forty_one}).marks, IsEmpty());
  EXPECT_THAT(ParseLines({kHeader, std::string(40, ' ') + forty_one}).marks, IsEmpty());
  // Starting the line: not in the margin, but a code-only line.
  EXPECT_EQ(ParseLines({kHeader, forty}).marks.size(), 11u);
  EXPECT_THAT(ParseLines({kHeader, forty_one}).marks, IsEmpty());
  EXPECT_EQ(ParseLines({kHeader, " " + forty}).marks.front().column, 1);
}

TEST_F(ParserTest, MarkDetails) {
  const Document doc = ParseLines({kHeader, "", "                      B3 CIA",
                                   "                                        B66"});
  ASSERT_EQ(doc.marks.size(), 2u);
  EXPECT_EQ(doc.marks[0].qualifier, "CIA");
  EXPECT_EQ(doc.marks[0].printed, "B3");
  EXPECT_EQ(doc.marks[0].column, 22);
  EXPECT_TRUE(doc.marks[1].code.empty());
  EXPECT_FALSE(doc.marks[1].suggestion.empty());
  const Document bs = ParseLines({kHeader, "", "                                 BS"});
  ASSERT_EQ(bs.marks.size(), 1u);
  EXPECT_TRUE(bs.marks[0].ocr_variant);
}

// HRCEmail_OctWeb/C05764647 (lines 1-6, 17, 40 as released): the October
// 2015 release prints "B3 CIA PERS/ORG" (CIA Act, personnel and
// organization), in the margin and split over the stamp's two lines.
TEST_F(ParserTest, B3CiaPersOrgIsAQualifiedB3) {
  const Document doc = ParseLines({
      "      UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc "
      "No. C05764647 Date: 10/30/2015",
      "",
      "",
      "  Classified by DAS, A/GIS, DoS on 10/30/2015 \u2014 Class:           "
      "                     RELEASE IN PART B1,1.4(D),B3 CIA",
      "  CONFIDENTIAL \u2014 Reason: 1.4(D) \u2014 Declassify on:            "
      "                          PERS/ORG,B6",
      "  09/07/2024",
      "I will be in Washington for a day-long meeting on Thursday this week  "
      "                                 B3 CIA PERS/ORG            I",
      "measures would be perceived by Iran as an indication of weakness, on t"
      "he other.                              B3 CIA PERS/ORG",
  });
  EXPECT_EQ(doc.stamp.disposition, Disposition::kPart);
  EXPECT_THAT(Codes(doc.stamp.codes), ElementsAre("(b)(1)", "1.4(d)", "(b)(3)", "(b)(6)"));
  ASSERT_EQ(doc.stamp.codes.size(), 4u);
  EXPECT_EQ(doc.stamp.codes[2].qualifier, "CIA PERS/ORG");
  EXPECT_EQ(doc.stamp.codes[3].line, 5);
  // Line 7 (17 in the release) ends in OCR debris, a lone "I" twelve
  // spaces after the mark: the State dialect's trailing_debris.
  EXPECT_THAT(Codes(doc.marks), ElementsAre("(b)(3)", "(b)(3)"));
  EXPECT_THAT(Lines(doc.marks), ElementsAre(7, 8));
  EXPECT_EQ(doc.marks[0].length, 2);
  for (const Mark& m : doc.marks) {
    EXPECT_EQ(m.qualifier, "CIA PERS/ORG");
    ASSERT_NE(pack().FindStatute(m.qualifier), nullptr);
    EXPECT_EQ(pack().FindStatute(m.qualifier)->name, "CIA Act");
  }
  // A one-word qualifier still reads alone, and an unknown second word
  // keeps the line from being a code list.
  EXPECT_EQ(ParseLines({kHeader, "", "                                   B3 CIA"})
                .marks.at(0)
                .qualifier,
            "CIA");
  EXPECT_THAT(ParseLines({kHeader, "", "                               B3 CIA PERS/XYZ"}).marks,
              IsEmpty());
  // Debris is skipped only after a code: a lone "I" is no mark.
  EXPECT_THAT(ParseLines({kHeader, "", "so said the report.                        I"}).marks,
              IsEmpty());
}

TEST_F(ParserTest, CodeOnPageHeaderLineMarksWithheldPage) {
  const Document doc = ParseLines(
      {kHeader, "body", kHeader,
       "\fUNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05761411 "
       "Date: 06/30/2015   B5",
       "", kHeader});
  EXPECT_THAT(Codes(doc.marks), ElementsAre("(b)(5)"));
  EXPECT_THAT(Lines(doc.marks), ElementsAre(4));
  EXPECT_EQ(doc.marks[0].page, 2);
  ASSERT_EQ(doc.page_count(), 2);
  EXPECT_EQ(doc.pages[1].first_line, 4);
  EXPECT_EQ(doc.page_headers.size(), 4u);
  EXPECT_THAT(doc.doc_numbers, ElementsAre("C05761411"));
}

TEST_F(ParserTest, PageHeadersKeepRawValues) {
  const Document doc = ParseLines(
      {"    UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05763139 "
       "Date: 07/31/2015",
       "body", "    UNCLASSIFIED U.S. Department of State Case No. -1014-20439",
       "                                                    F          Doc No. C05763139 "
       "Date: 07/31/2015",
       "\f      UNCLASSIFIED U.S. Department of State Case No. F!2014-20439 Doc No. C05763139 "
       "Date: 07/31/2015"});
  EXPECT_THAT(doc.case_numbers, ElementsAre("F-2014-20439", "-1014-20439", "F!2014-20439"));
  EXPECT_THAT(doc.doc_numbers, ElementsAre("C05763139"));
  EXPECT_THAT(doc.release_dates, ElementsAre("07/31/2015"));
  ASSERT_EQ(doc.page_headers.size(), 3u);
  EXPECT_EQ(doc.page_headers[1].line, 3);
  EXPECT_EQ(doc.page_headers[1].doc_number, "C05763139");
  EXPECT_EQ(doc.page_headers[2].page, 2);
}

TEST_F(ParserTest, ClassificationBlockInterleavedWithEmailHeaders) {
  const Document doc = ParseLines(
      {kHeader, "",
       "From: H <HDR22@clintonemail.com>        Classified by DAS, A/GIS, DoS on 09/30/2015 - "
       "Class: CONFIDENTIAL -",
       "To: Mills, Cheryl D                     Reason: 1.4(D) - Declassify on: 03/08/2026",
       "Cc: Verveer, Melanne S"});
  ASSERT_TRUE(doc.classification.has_value());
  const Classification& c = *doc.classification;
  EXPECT_EQ(c.line, 3);
  EXPECT_EQ(c.level, "CONFIDENTIAL");
  EXPECT_THAT(c.reasons, ElementsAre("1.4(d)"));
  EXPECT_EQ(c.declassify_on, "03/08/2026");
  EXPECT_EQ(c.classified_by, "DAS, A/GIS, DoS");
  EXPECT_EQ(c.classified_on, "09/30/2015");
  EXPECT_THAT(doc.marks, IsEmpty());
  ASSERT_GE(doc.email_headers.size(), 3u);
  EXPECT_EQ(doc.email_headers[0].field, "From");
  EXPECT_EQ(doc.email_headers[0].value, "H <HDR22@clintonemail.com>");
  EXPECT_EQ(doc.email_headers[1].value, "Mills, Cheryl D");
}

// The lines that may hold a page header or open a classification block are
// found in the pass that splits the lines (ScanLines): each match must land
// on its own line, after empty lines, CRLF line ends, at the start of a
// line and at the end of a text without a final line break.
TEST_F(ParserTest, HeaderAndClassificationLinesAmongEmptyAndCrlfLines) {
  const Document doc = Parse(
      "\r\n\r\nbody\r\n\r\nCase No. F-2014-20439 Doc No. C05763139 Date: 07/31/2015\r\n\n"
      "Classified by DAS, A/GIS, DoS on 07/30/2015 - Class: CONFIDENTIAL - Reason: 1.4(B) - "
      "Declassify on: 08/01/2024\r\nbase No. F-2014-20440 Doc No. C0576",
      pack());
  ASSERT_EQ(doc.page_headers.size(), 2u);
  EXPECT_EQ(doc.page_headers[0].line, 5);
  EXPECT_EQ(doc.page_headers[1].line, 8);
  EXPECT_EQ(doc.page_headers[1].case_number, "F-2014-20440");
  EXPECT_EQ(doc.page_headers[1].doc_number, "C0576");
  ASSERT_TRUE(doc.classification.has_value());
  EXPECT_EQ(doc.classification->line, 7);
  EXPECT_THAT(doc.classification->reasons, ElementsAre("1.4(b)"));
}

TEST_F(ParserTest, ClassificationBlockOverThreeLinesWithMarginCode) {
  const Document doc = ParseLines(
      {kHeader, "", "    Classified by DAS, A/GIS, DoS on 07/30/2015 — Class:",
       "    CONFIDENTIAL — Reason: 1.4(B), 1.4(D) — Declassify                          1.4(D)",
       "    on: 08/01/2024", "", "CONFIDENTIAL memo heading"});
  ASSERT_TRUE(doc.classification.has_value());
  EXPECT_THAT(doc.classification->reasons, ElementsAre("1.4(b)", "1.4(d)"));
  EXPECT_EQ(doc.classification->declassify_on, "08/01/2024");
  EXPECT_THAT(Codes(doc.marks), ElementsAre("1.4(d)"));
}

TEST_F(ParserTest, NoClassificationForMemoHeadings) {
  const Document doc = ParseLines({kHeader, "", "                CONFIDENTIAL", "",
                                   "This email is UNCLASSIFIED.", "(SBU) Paragraph"});
  EXPECT_FALSE(doc.classification.has_value());
}

TEST_F(ParserTest, LinesAndPages) {
  const Document doc = Parse("a\r\nb\n\fc\nd\n\f", pack());
  ASSERT_EQ(doc.line_count(), 5);
  EXPECT_EQ(doc.lines[0], "a");
  EXPECT_EQ(doc.lines[2], "\fc");
  ASSERT_EQ(doc.page_count(), 2);
  EXPECT_EQ(doc.pages[0].last_line, 2);
  EXPECT_EQ(doc.pages[1].first_line, 3);
  EXPECT_EQ(doc.pages[1].last_line, 5);
  EXPECT_EQ(doc.PageOfLine(5), 2);
}

// The lines are views into the document's own text after every copy and
// move, a short text (kept inside the string object) included: the dev
// corpus's C05762481.txt is one form feed.
TEST_F(ParserTest, LinesViewTheDocumentsOwnTextAfterCopiesAndMoves) {
  auto inside = [](const Document& d) {
    for (std::string_view line : d.lines) {
      if (line.data() < d.text.data() || line.data() + line.size() > d.text.data() + d.text.size()) {
        return false;
      }
    }
    return true;
  };
  for (const std::string& text : {std::string("\f"), std::string("a\nb\n"),
                                 std::string(200, 'x') + "\n\fy\n"}) {
    std::vector<Document> docs;
    docs.push_back(Parse(text, pack()));
    ASSERT_GE(docs[0].line_count(), 1) << text;
    EXPECT_TRUE(inside(docs[0])) << text;
    const Document copy = docs[0];
    EXPECT_TRUE(inside(copy)) << text;
    EXPECT_EQ(copy.lines, docs[0].lines);
    docs.resize(100);  // moves docs[0]
    Document moved = std::move(docs[0]);
    EXPECT_TRUE(inside(moved)) << text;
    EXPECT_EQ(moved.lines, copy.lines);
    Document assigned;
    assigned = copy;
    EXPECT_TRUE(inside(assigned)) << text;
    assigned = std::move(moved);
    EXPECT_TRUE(inside(assigned)) << text;
    EXPECT_EQ(assigned.lines, copy.lines);
  }
}

// The one-pass scans over a document's text (LinesHolding, the personal-
// data pre-pass) run only when every line is a view into the text, in
// order; any line elsewhere, or out of order, sends them line by line.
TEST_F(ParserTest, LinesAreViewsInOrderChecksEveryLine) {
  const Document doc = Parse("Case No. F-2014-20439\nbody\nDoc No. C05765911\nend\n", pack());
  ASSERT_EQ(doc.line_count(), 4);
  EXPECT_TRUE(LinesAreViewsInOrder(doc));
  EXPECT_THAT(LinesHolding(doc, {"Case No", "Doc No"}), ElementsAre(1, 0, 1, 0));

  Document middle = doc;  // lines 1 and 4 still views into the text
  const std::string elsewhere = "Doc No. C05765911 (elsewhere)";
  middle.lines[1] = elsewhere;
  middle.lines[2] = std::string_view(middle.text).substr(0, 4);  // "Case", before line 2
  EXPECT_FALSE(LinesAreViewsInOrder(middle));
  EXPECT_THAT(LinesHolding(middle, {"Case No", "Doc No"}), ElementsAre(1, 1, 0, 0));

  Document reversed = doc;
  std::swap(reversed.lines[0], reversed.lines[3]);
  EXPECT_FALSE(LinesAreViewsInOrder(reversed));
  EXPECT_THAT(LinesHolding(reversed, {"Case No", "Doc No"}), ElementsAre(0, 0, 1, 1));

  Document none;
  EXPECT_TRUE(LinesAreViewsInOrder(none));
}

TEST_F(ParserTest, EmptyText) {
  const Document doc = Parse("", pack());
  EXPECT_EQ(doc.line_count(), 0);
  EXPECT_EQ(doc.stamp.disposition, Disposition::kNone);
}

TEST_F(ParserTest, RawExtractionWithoutLayout) {
  const Document doc = Parse(
      ra::testing::ReadFileOrDie(ra::testing::FixturePath("C05788291-raw-extraction.txt")),
      pack());
  EXPECT_EQ(doc.stamp.disposition, Disposition::kPart);
  EXPECT_THAT(Codes(doc.stamp.codes), ElementsAre("(b)(5)"));
  EXPECT_THAT(Codes(doc.marks), ElementsAre("(b)(5)"));
}

TEST_F(ParserTest, LabeledFixture) {
  const Document doc = Parse(ra::testing::ReadFileOrDie(ra::testing::FixturePath(
                                 "sample-release/HRCEmail_JulyWeb/C05763089.txt")),
                             pack());
  EXPECT_EQ(doc.stamp.disposition, Disposition::kPart);
  EXPECT_THAT(Codes(doc.stamp.codes), ElementsAre("(b)(1)", "1.4(b)", "1.4(d)"));
  EXPECT_THAT(Codes(doc.marks), ElementsAre("1.4(b)", "1.4(d)", "(b)(1)"));
  EXPECT_THAT(Lines(doc.marks), ElementsAre(18, 19, 20));
  ASSERT_TRUE(doc.classification.has_value());
  EXPECT_EQ(doc.classification->line, 34);
}

}  // namespace
}  // namespace ra
