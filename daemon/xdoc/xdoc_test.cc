#include "xdoc/xdoc.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pack/pack.h"
#include "parse/parser.h"
#include "testing/testing.h"
#include "xdoc/passage.h"

namespace ra::xdoc {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::ra::testing::FixturePath;
using ::ra::testing::ReadFileOrDie;
using ::ra::testing::SourcePath;
using ::ra::testing::StatusIs;

constexpr char kCase[] = "F-2014-20439";
// A real two-page memo (RELEASE IN FULL) and a real email pair where a
// sentence withheld (B6, no code in the text layer) in C05760397 is printed
// in C05765720.
constexpr char kMemo[] = "xdoc/C05760093.txt";
constexpr char kWithheld[] = "xdoc/C05760397.txt";
constexpr char kReleased[] = "xdoc/C05765720.txt";
// Two lines of the memo's page 1 (lines 43-44), removed in the tests.
constexpr char kPassage[] =
    "Regrettably, some governments in the region have\n"
    "   sought to curtail the essential freedoms of expression and "
    "association.";

class XdocTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto pack = RulePack::LoadFolder(SourcePath("rules/state"));
    ASSERT_TRUE(pack.ok()) << pack.status();
    pack_ = new std::shared_ptr<const RulePack>(*pack);
  }
  static const RulePack& pack() { return **pack_; }

  static PassageDoc Passage(const std::string& text,
                            const std::string& doc_number,
                            Document* parsed = nullptr) {
    Document doc = Parse(text, pack());
    absl::StatusOr<PassageDoc> p = ParsePassageText(PassageText(doc));
    EXPECT_TRUE(p.ok()) << p.status();
    p->case_number = kCase;
    p->doc_number = doc_number;
    if (parsed != nullptr) *parsed = std::move(doc);
    return *std::move(p);
  }

  // The memo under another doc number with kPassage replaced by a B6 mark
  // (`code` as printed) and the stamp changed to RELEASE IN PART.
  static std::string Redacted(const std::string& memo, const std::string& doc,
                              const std::string& code) {
    std::string text = memo;
    EXPECT_NE(text.find(kPassage), std::string::npos);
    text = absl::StrReplaceAll(
        text, {{kPassage, "                         " + code + "\n"},
               {"C05760093", doc},
               {"RELEASE IN FULL", "RELEASE IN PART " + code}});
    return text;
  }

  // A fixture document of tests/fixtures/xdoc under its doc number.
  static PassageDoc Fixture(const std::string& doc_number,
                            Document* parsed = nullptr) {
    return Passage(ReadFileOrDie(FixturePath("xdoc/" + doc_number + ".txt")),
                   doc_number, parsed);
  }

  // `checked` checked against an index holding `indexed`.
  static std::vector<XdocFinding> CheckAgainst(const std::string& indexed,
                                               const PassageDoc& checked) {
    PassageIndex index;
    index.Put(Fixture(indexed));
    return index.Check(checked, pack());
  }

  static std::vector<XdocFinding> Of(const std::vector<XdocFinding>& all,
                                     const std::string& doc,
                                     const std::string& rule) {
    std::vector<XdocFinding> out;
    for (const XdocFinding& x : all) {
      if (x.doc_number == doc && x.finding.rule_id == rule) out.push_back(x);
    }
    return out;
  }

  // No finding of `all` quotes `piece` as its evidence.
  static void ExpectNoEvidence(const std::vector<XdocFinding>& all,
                               const std::string& piece) {
    for (const XdocFinding& x : all) {
      EXPECT_THAT(x.finding.evidence, ::testing::Not(HasSubstr(piece)))
          << x.doc_number << " " << x.finding.message;
    }
  }

  // `red` (C05788039, `schedule`, with page `page` withheld in full under
  // B5; `red_doc` its parse) checked against C05788039: one
  // released-elsewhere on the page's first line quoting `evidence`, and
  // its mirror on page `page` of C05788039, on a line printing
  // `released_line`. Returns the two findings (released, mirror).
  static std::vector<XdocFinding> ExpectWithheldPagePair(
      const std::string& schedule, const PassageDoc& red,
      const Document& red_doc, int page, const std::string& evidence,
      const std::string& released_line) {
    PassageIndex index;
    Document released;
    index.Put(Passage(schedule, "C05788039", &released));
    const std::vector<XdocFinding> all = index.Check(red, pack());
    EXPECT_EQ(all.size(), 2u);
    auto on_red = Of(all, red.doc_number, "xdoc.released-elsewhere");
    auto mirror = Of(all, "C05788039", "xdoc.withheld-elsewhere");
    if (on_red.size() != 1 || mirror.size() != 1) {
      ADD_FAILURE() << "no released/withheld-elsewhere pair";
      return {};
    }
    const Finding& f = on_red[0].finding;
    EXPECT_EQ(f.page, page);
    EXPECT_EQ(f.line, red_doc.pages[page - 1].first_line);
    EXPECT_THAT(f.message,
                HasSubstr(absl::StrCat("page ", page,
                                       " withheld in full here ((b)(5))")));
    EXPECT_THAT(f.evidence, HasSubstr(evidence));
    EXPECT_EQ(mirror[0].finding.page, page);
    EXPECT_THAT(std::string(released.lines[mirror[0].finding.line - 1]),
                HasSubstr(released_line));
    EXPECT_THAT(mirror[0].finding.message,
                HasSubstr(absl::StrCat("withheld in full as page ", page,
                                       " ((b)(5)) in ", red.doc_number,
                                       " page ", page, " line ",
                                       red_doc.pages[page - 1].first_line)));
    return {on_red[0], mirror[0]};
  }

  static std::shared_ptr<const RulePack>* pack_;
};

std::shared_ptr<const RulePack>* XdocTest::pack_ = nullptr;

TEST_F(XdocTest, WordKeyFoldsCaseAndOcrLookAlikes) {
  EXPECT_EQ(WordKey("Hello"), WordKey("hello"));
  EXPECT_EQ(WordKey("B0LD"), WordKey("bold"));
  EXPECT_EQ(WordKey("Wil1"), WordKey("will"));
  EXPECT_NE(WordKey("bold"), WordKey("bald"));
}

TEST_F(XdocTest, PassageTextDropsHeadersStampAndMarks) {
  const std::string memo = ReadFileOrDie(FixturePath(kMemo));
  const std::string redacted = Redacted(memo, "C09999001", "B6");
  Document doc;
  PassageDoc p = Passage(redacted, "C09999001", &doc);
  ASSERT_FALSE(doc.marks.empty()) << "the parser must see the B6 mark";
  ASSERT_EQ(p.marks.size(), doc.marks.size());
  EXPECT_EQ(p.marks[0].code, "(b)(6)");
  EXPECT_EQ(p.disposition, Disposition::kPart);
  EXPECT_EQ(p.page_first_lines.size(), doc.pages.size());
  EXPECT_THAT(p.text, ::testing::Not(HasSubstr("Case No")));
  EXPECT_THAT(p.text, ::testing::Not(HasSubstr("RELEASE")));
  EXPECT_THAT(p.text, ::testing::Not(HasSubstr("B6")));
  // The mark sits between the words around the removed passage.
  EXPECT_EQ(p.WordText(p.marks[0].word - 1), "level");
  EXPECT_EQ(p.Excerpt(p.marks[0].word, p.marks[0].word + 4),
            "The United States supports");
}

TEST_F(XdocTest, ParsePassageTextRejectsGarbage) {
  EXPECT_THAT(ParsePassageText("X 1 2\n").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "line 1"));
  EXPECT_THAT(ParsePassageText("P 1\nL one two\n").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "line 2"));
}

TEST_F(XdocTest, RemovedPassageIsReportedOnBothDocuments) {
  const std::string memo = ReadFileOrDie(FixturePath(kMemo));
  PassageIndex index;
  index.Put(Passage(memo, "C05760093"));
  Document red_doc;
  PassageDoc red = Passage(Redacted(memo, "C09999001", "B6"), "C09999001",
                           &red_doc);
  const std::vector<XdocFinding> all = index.Check(red, pack());

  auto on_red = Of(all, "C09999001", "xdoc.released-elsewhere");
  ASSERT_EQ(on_red.size(), 1u);
  const Finding& f = on_red[0].finding;
  EXPECT_EQ(f.line, red_doc.marks[0].line);  // at the B6 mark
  EXPECT_EQ(f.page, 1);
  EXPECT_EQ(f.severity, Severity::kError);
  EXPECT_THAT(f.evidence, HasSubstr("Regrettably some governments"));
  EXPECT_THAT(f.evidence, HasSubstr("expression and association"));
  EXPECT_THAT(f.message, HasSubstr("C05760093 page 1 line 43"));
  EXPECT_THAT(f.message, HasSubstr("(b)(6)"));

  auto on_memo = Of(all, "C05760093", "xdoc.withheld-elsewhere");
  ASSERT_EQ(on_memo.size(), 1u);
  EXPECT_EQ(on_memo[0].finding.line, 43);
  EXPECT_EQ(on_memo[0].finding.page, 1);
  const std::vector<std::string> memo_lines = absl::StrSplit(memo, '\n');
  EXPECT_EQ(on_memo[0].finding.column,
            static_cast<int>(memo_lines[42].find("Regrettably")));
  EXPECT_THAT(on_memo[0].finding.message, HasSubstr("C09999001"));
  EXPECT_EQ(all.size(), 2u);

  // The whole-case check finds the same pair, whichever was indexed first.
  index.Put(red);
  const std::vector<XdocFinding> whole = index.CheckCase(kCase, pack());
  ASSERT_EQ(whole.size(), 2u);
  EXPECT_EQ(whole[0].finding.fingerprint, on_memo[0].finding.fingerprint);
  EXPECT_EQ(whole[1].finding.fingerprint, f.fingerprint);
}

TEST_F(XdocTest, OtherLineWrappingAndPageBreaksDoNotHideIt) {
  const std::string memo = ReadFileOrDie(FixturePath(kMemo));
  // The releasing copy re-laid out: paragraph lines 36-47 re-wrapped at 40
  // columns with a page break and a page header in the middle of the
  // context before the passage.
  std::vector<std::string> lines = absl::StrSplit(memo, '\n');
  std::string para;
  for (int i = 35; i < 47; ++i) para += lines[i] + " ";
  std::vector<std::string> words =
      absl::StrSplit(para, ' ', absl::SkipEmpty());
  std::vector<std::string> wrapped(1);
  for (const std::string& w : words) {
    if (wrapped.back().size() + w.size() > 40) wrapped.emplace_back();
    wrapped.back() += w + " ";
  }
  wrapped.insert(wrapped.begin() + 3,
                 "\n\fUNCLASSIFIED U.S. Department of State Case No. "
                 "F-2014-20439 Doc No. C09999002 Date: 06/30/2015\n");
  std::vector<std::string> out(lines.begin(), lines.begin() + 35);
  out.insert(out.end(), wrapped.begin(), wrapped.end());
  out.insert(out.end(), lines.begin() + 47, lines.end());
  const std::string rewrapped = absl::StrReplaceAll(
      absl::StrJoin(out, "\n"), {{"C05760093", "C09999002"}});
  ASSERT_EQ(rewrapped.find(kPassage), std::string::npos);

  PassageIndex index;
  Document re_doc;
  index.Put(Passage(rewrapped, "C09999002", &re_doc));
  ASSERT_GT(re_doc.page_count(), Parse(memo, pack()).page_count());
  const std::vector<XdocFinding> all = index.Check(
      Passage(Redacted(memo, "C09999001", "B6"), "C09999001"), pack());
  ASSERT_EQ(Of(all, "C09999001", "xdoc.released-elsewhere").size(), 1u);
  auto mirror = Of(all, "C09999002", "xdoc.withheld-elsewhere");
  ASSERT_EQ(mirror.size(), 1u);
  // Points at "Regrettably" in the re-wrapped copy, on its second page.
  const int line = mirror[0].finding.line;
  EXPECT_THAT(std::string(re_doc.lines[line - 1]), HasSubstr("Regrettably"));
  EXPECT_EQ(mirror[0].finding.page, re_doc.PageOfLine(line));
  EXPECT_EQ(mirror[0].finding.page, 2);
}

TEST_F(XdocTest, RealThreadWithheldInOneReleasedInTheOther) {
  PassageIndex index;
  Document released;
  index.Put(Passage(ReadFileOrDie(FixturePath(kReleased)), "C05765720",
                    &released));
  const std::vector<XdocFinding> all = index.Check(
      Passage(ReadFileOrDie(FixturePath(kWithheld)), "C05760397"), pack());
  auto on_withheld = Of(all, "C05760397", "xdoc.released-elsewhere");
  ASSERT_EQ(on_withheld.size(), 1u);
  EXPECT_THAT(on_withheld[0].finding.evidence,
              HasSubstr("I am catching the next train from NY to RI"));
  // The gap is just before "Cheryl believe I can do early morning".
  EXPECT_EQ(on_withheld[0].finding.line, 35);
  auto on_released = Of(all, "C05765720", "xdoc.withheld-elsewhere");
  ASSERT_EQ(on_released.size(), 1u);
  EXPECT_EQ(on_released[0].finding.line, 25);
  EXPECT_THAT(std::string(released.lines[24]), HasSubstr("catching the next"));
}

TEST_F(XdocTest, DifferentCodesAtTheSameSite) {
  const std::string memo = ReadFileOrDie(FixturePath(kMemo));
  PassageIndex index;
  index.Put(Passage(Redacted(memo, "C09999001", "B6"), "C09999001"));
  const std::vector<XdocFinding> all = index.Check(
      Passage(Redacted(memo, "C09999003", "B5"), "C09999003"), pack());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].finding.rule_id, "xdoc.exemption-differs");
  EXPECT_EQ(all[1].finding.rule_id, "xdoc.exemption-differs");
  EXPECT_THAT(Of(all, "C09999003", "xdoc.exemption-differs")[0].finding.message,
              HasSubstr("under (b)(5); the same passage is withheld under "
                        "(b)(6) in C09999001"));
}

TEST_F(XdocTest, ConsistentCopiesYieldNothing) {
  const std::string memo = ReadFileOrDie(FixturePath(kMemo));
  PassageIndex index;
  index.Put(Passage(memo, "C05760093"));
  index.Put(Passage(Redacted(memo, "C09999001", "B6"), "C09999001"));
  // An identical copy of the memo under another doc number.
  const std::string copy =
      absl::StrReplaceAll(memo, {{"C05760093", "C09999004"}});
  EXPECT_THAT(Of(index.Check(Passage(copy, "C09999004"), pack()), "C09999004",
                 "xdoc.released-elsewhere"),
              IsEmpty());
  // A second copy redacted the same way: consistent with the first.
  PassageIndex redacted_only;
  redacted_only.Put(Passage(Redacted(memo, "C09999001", "B6"), "C09999001"));
  EXPECT_THAT(redacted_only.Check(
                  Passage(Redacted(memo, "C09999005", "B6"), "C09999005"),
                  pack()),
              IsEmpty());
}

TEST_F(XdocTest, SameContentUnderTwoDispositions) {
  const std::string memo = ReadFileOrDie(FixturePath(kMemo));
  PassageIndex index;
  index.Put(Passage(memo, "C05760093"));
  // Nothing removed, but stamped RELEASE IN PART.
  const std::string part = absl::StrReplaceAll(
      memo, {{"C05760093", "C09999006"},
             {"RELEASE IN FULL", "RELEASE IN PART B6"}});
  const std::vector<XdocFinding> all =
      index.Check(Passage(part, "C09999006"), pack());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].doc_number, "C05760093");
  EXPECT_EQ(all[0].finding.rule_id, "xdoc.disposition-differs");
  EXPECT_THAT(all[1].finding.message,
              HasSubstr("same content as C05760093, but stamped PART here "
                        "and FULL there"));
}

TEST_F(XdocTest, UnrelatedDocumentsYieldNothing) {
  PassageIndex index;
  index.Put(Passage(ReadFileOrDie(FixturePath(kMemo)), "C05760093"));
  index.Put(Passage(ReadFileOrDie(FixturePath(kReleased)), "C05765720"));
  EXPECT_THAT(index.CheckCase(kCase, pack()), IsEmpty());
  EXPECT_EQ(index.size(), 2u);
  EXPECT_EQ(index.CaseSize(kCase), 2u);
  EXPECT_EQ(index.CaseSize("F-0000-00000"), 0u);
}

TEST_F(XdocTest, OtherCasesAreNotComparedByDefault) {
  const std::string memo = ReadFileOrDie(FixturePath(kMemo));
  PassageIndex index;
  PassageDoc other = Passage(memo, "C05760093");
  other.case_number = "F-2015-04841";
  index.Put(std::move(other));
  EXPECT_THAT(index.Check(Passage(Redacted(memo, "C09999001", "B6"),
                                  "C09999001"),
                          pack()),
              IsEmpty());
}

// Regression tests for the false-positive classes of the first corpus
// read, each on the real documents where it showed.

TEST_F(XdocTest, HeaderLineOnlyOneCopyPrintsIsNotWithheldText) {
  // C05760560 prints "Attachments: HRC talking points on Goodwin - Craig.doc;
  // ... Feinstein.doc" (two lines) under the forwarded header; C05760563
  // (RELEASE IN PART B6) quotes the same email without that line.
  const PassageDoc red = Fixture("C05760563");
  ASSERT_EQ(red.disposition, Disposition::kPart);
  EXPECT_THAT(CheckAgainst("C05760560", red), IsEmpty());
}

TEST_F(XdocTest, AddressWithheldOnAToLineIsStillReported) {
  // The control for the test above: C05764873 withholds (B6) Huma Abedin's
  // address on its "To:" line, which C05760474 prints.
  const std::vector<XdocFinding> all =
      CheckAgainst("C05760474", Fixture("C05764873"));
  auto on_red = Of(all, "C05764873", "xdoc.released-elsewhere");
  ASSERT_EQ(on_red.size(), 1u);
  EXPECT_EQ(on_red[0].finding.line, 19);
  EXPECT_THAT(on_red[0].finding.evidence, HasSubstr("Huma clintonemail com"));
  auto mirror = Of(all, "C05760474", "xdoc.withheld-elsewhere");
  ASSERT_EQ(mirror.size(), 1u);
  EXPECT_EQ(mirror[0].finding.line, 28);
}

TEST_F(XdocTest, MarginCodeListOnOtherLinesIsOneSite) {
  // The same forwarded header with the margin codes 1.4(B) 1.4(D) B1 B5:
  // one code a line beside From/To/Sent in C05760029, every other line in
  // C05764099. Compared three words at a time they looked like (b)(1)
  // here and (b)(5) there.
  const PassageDoc a = Fixture("C05760029");
  ASSERT_GE(a.marks.size(), 4u);
  EXPECT_THAT(CheckAgainst("C05764099", a), IsEmpty());
}

TEST_F(XdocTest, TextPrintedInAnotherPlaceIsNotAGap) {
  // C05775721 prints a photo caption ("Israeli police volunteers go
  // through the belongings an al-Arakib family") between the paragraphs;
  // C05770188 (RELEASE IN PART B6) has the picture's captions read
  // elsewhere and an OCR'd "ima. med.".
  ExpectNoEvidence(CheckAgainst("C05775721", Fixture("C05770188")),
                   "belongings");
  // And two paragraphs of the memo in the other order, in a copy stamped
  // RELEASE IN PART: the moved paragraph is printed, not withheld.
  const std::string memo = ReadFileOrDie(FixturePath(kMemo));
  std::vector<std::string> lines = absl::StrSplit(memo, '\n');
  std::vector<std::string> swapped(lines.begin(), lines.begin() + 35);
  swapped.insert(swapped.end(), lines.begin() + 42, lines.begin() + 47);
  swapped.insert(swapped.end(), lines.begin() + 35, lines.begin() + 42);
  swapped.insert(swapped.end(), lines.begin() + 47, lines.end());
  const std::string moved = absl::StrReplaceAll(
      absl::StrJoin(swapped, "\n"),
      {{"C05760093", "C09999007"}, {"RELEASE IN FULL", "RELEASE IN PART B6"}});
  PassageIndex memo_index;
  memo_index.Put(Passage(memo, "C05760093"));
  for (const XdocFinding& x :
       memo_index.Check(Passage(moved, "C09999007"), pack())) {
    EXPECT_NE(x.finding.rule_id, "xdoc.released-elsewhere")
        << x.doc_number << " " << x.finding.message;
    EXPECT_NE(x.finding.rule_id, "xdoc.withheld-elsewhere")
        << x.doc_number << " " << x.finding.message;
  }
}

// C05788039 (a real three-page schedule, RELEASE IN FULL) with its page 2
// withheld in full: the page header, "B5" beside it, no text.
// C05788039 (three pages) under another doc number and RELEASE IN PART,
// its page `page` withheld in full the way the corpus prints such a page
// (C05764640 pages 2-3, C05771129 page 3): the page header with `code`
// beside it, blank lines, the page footer.
std::string WithholdPage(const std::string& schedule, const std::string& doc,
                         const std::string& code, int page) {
  // Three pages and the text after the last page break (empty).
  std::vector<std::string> pages = absl::StrSplit(schedule, '\f');
  EXPECT_EQ(pages.size(), 4u);
  std::vector<std::string> lines = absl::StrSplit(pages[page - 1], '\n');
  std::string withheld;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i == 0) {
      withheld += lines[i] + "   " + code + "\n";
    } else if (i + 1 == lines.size() ||
               lines[i].find("Doc No.") != std::string::npos) {
      withheld += lines[i] + (i + 1 == lines.size() ? "" : "\n");
    } else {
      withheld += "\n";
    }
  }
  pages[page - 1] = withheld;
  return absl::StrReplaceAll(
      absl::StrJoin(pages, "\f"),
      {{"C05788039", doc}, {"RELEASE IN FULL", "RELEASE IN PART"}});
}

std::string WithholdPage2(const std::string& schedule, const std::string& doc,
                          const std::string& code) {
  return WithholdPage(schedule, doc, code, 2);
}

TEST_F(XdocTest, PageWithheldInFullIsASiteOfItsOwn) {
  const std::string schedule =
      ReadFileOrDie(FixturePath("xdoc/C05788039.txt"));
  Document red_doc;
  const PassageDoc red =
      Passage(WithholdPage2(schedule, "C09999008", "B5"), "C09999008",
              &red_doc);
  ASSERT_EQ(red.withheld_pages.size(), 1u);
  EXPECT_EQ(red.withheld_pages[0].page, 2);
  EXPECT_THAT(red.withheld_pages[0].codes, ::testing::ElementsAre("(b)(5)"));
  EXPECT_THAT(red.text, ::testing::Not(HasSubstr("Kikwete")));

  const std::vector<XdocFinding> pair =
      ExpectWithheldPagePair(schedule, red, red_doc, 2,
                             "Meetings with Leading Opposition",
                             "Meetings with Leading Opposition Candidates");
  ASSERT_EQ(pair.size(), 2u);
  EXPECT_THAT(pair[0].finding.message,
              HasSubstr("released in C05788039 page 2 line 67"));
  EXPECT_EQ(red_doc.pages[1].first_line, 62);

  // Withheld in full in both copies: consistent, nothing to report.
  PassageIndex both;
  both.Put(Passage(WithholdPage2(schedule, "C09999009", "B5"), "C09999009"));
  EXPECT_THAT(both.Check(red, pack()), IsEmpty());
}

TEST_F(XdocTest, LastPageWithheldInFullIsComparedToo) {
  // Page 3 of C05788039 is its last: no text of the redacting copy follows
  // it, so no run of words both copies print comes after the page.
  const std::string schedule =
      ReadFileOrDie(FixturePath("xdoc/C05788039.txt"));
  Document red_doc;
  const PassageDoc red = Passage(
      WithholdPage(schedule, "C09999010", "B5", 3), "C09999010", &red_doc);
  ASSERT_EQ(red.withheld_pages.size(), 1u);
  EXPECT_EQ(red.withheld_pages[0].page, 3);
  EXPECT_EQ(red.withheld_pages[0].word, static_cast<int>(red.words.size()));
  EXPECT_THAT(red.text, ::testing::Not(HasSubstr("Lalibela")));

  ExpectWithheldPagePair(schedule, red, red_doc, 3,
                         "Townterview with Women Leaders",
                         "Townterview with Women Leaders");

  // Withheld in full in both copies: nothing to report.
  PassageIndex both;
  both.Put(Passage(WithholdPage(schedule, "C09999011", "B5", 3), "C09999011"));
  EXPECT_THAT(both.Check(red, pack()), IsEmpty());

  // The other copy (withheld in part too) prints only "DRAFT" on that
  // page: no prose released in its place (a page read as debris, a cover
  // sheet), though the withheld page prints its code.
  std::vector<std::string> pages = absl::StrSplit(schedule, '\f');
  std::vector<std::string> lines = absl::StrSplit(pages[2], '\n');
  for (size_t i = 1; i + 2 < lines.size(); ++i) {
    if (lines[i].find_first_not_of(' ') != std::string::npos) {
      lines[i] = "                              DRAFT";
    }
  }
  pages[2] = absl::StrJoin(lines, "\n");
  PassageIndex draft;
  draft.Put(Passage(absl::StrReplaceAll(absl::StrJoin(pages, "\f"),
                                        {{"C05788039", "C09999012"},
                                         {"RELEASE IN FULL", "RELEASE IN PART"}}),
                    "C09999012"));
  EXPECT_THAT(draft.Check(red, pack()), IsEmpty());
}

TEST_F(XdocTest, WordsBeforeALastPageWithheldInFullThatBothPrintAreContext) {
  // C05787368 quotes a letter, "Nora F Toiv, ToivNF@state.gov", a B1
  // 1.4(D) mark, "Dear Secretary Clinton," and its last page withheld in
  // full; C05779999, another forward of the coalition's letters, prints
  // the same address block, then Wenchi Yu's signature block, "Dear
  // Secretary Clinton," and withholds the letter (1.4(D) B1, a page of
  // codes) up to a last "Cell:". What stands in the place of the last page
  // is what follows "Dear Secretary Clinton," in both: "Cell" alone, not
  // the signature block printed before it.
  const PassageDoc red = Fixture("C05787368");
  ASSERT_FALSE(red.withheld_pages.empty());
  EXPECT_EQ(red.withheld_pages.back().word,
            static_cast<int>(red.words.size()));
  const std::vector<XdocFinding> all = CheckAgainst("C05779999", red);
  for (const XdocFinding& x : all) {
    EXPECT_THAT(x.finding.message, ::testing::Not(HasSubstr("Wenchi Yu")))
        << x.doc_number << " " << x.finding.rule_id;
  }
  EXPECT_THAT(all, IsEmpty());
}

TEST_F(XdocTest, HeadingPrintedAsAnImageInOneCopyIsNotWithheldText) {
  // C05786453 prints the heading of Anne-Marie Slaughter's article as
  // text, "1Notes front the" / "FOREIGN POLICY" / "FRONTIER" (page 2, lines
  // 80-82), above "raditional foreign policy continues ..."; C05781664
  // (RELEASE IN PART B6) prints the heading as an image and no mark there.
  const PassageDoc red = Fixture("C05781664");
  const PassageDoc other = Fixture("C05786453");
  EXPECT_THAT(other.text, HasSubstr("FOREIGN POLICY FRONTIER"));
  EXPECT_THAT(red.text, ::testing::Not(HasSubstr("FRONTIER")));
  EXPECT_THAT(CheckAgainst("C05786453", red), IsEmpty());

  // The same heading filling its lines, as a withheld passage would, is
  // still reported.
  std::string text = ReadFileOrDie(FixturePath("xdoc/C05786453.txt"));
  const std::string heading =
      "          1Notes front the\n   FOREIGN POLICY\n         FRONTIER\n";
  ASSERT_NE(text.find(heading), std::string::npos);
  text = absl::StrReplaceAll(
      text, {{heading,
              "Notes from the foreign policy frontier where the world of "
              "societies meets the world of states\n"},
             {"C05786453", "C09999013"}});
  PassageIndex index;
  index.Put(Passage(text, "C09999013"));
  auto on_red = Of(index.Check(red, pack()), "C05781664",
                   "xdoc.released-elsewhere");
  ASSERT_EQ(on_red.size(), 1u);
  EXPECT_THAT(on_red[0].finding.evidence, HasSubstr("world of societies"));
}

TEST_F(XdocTest, WordsBetweenTwoPiecesOfALinkAreTheLink) {
  // C05771946 prints "hitp.i/www.publicpolicypolling.com/pcif/PPP Release
  // OH 903.pdf" (page 2, line 84), a link the text layer read with spaces;
  // C05772001 (RELEASE IN PART B6) quotes the same poll without it.
  const PassageDoc released = Fixture("C05771946");
  EXPECT_THAT(released.text, ::testing::Not(HasSubstr("Release OH 903")));
  // Links read with spaces or an OCR-read scheme, real lines of C05767167
  // ("<htt2://business.theatlantic.com/2009/03/big pharmas top_ lobbyist
  // said what.pho>"), C05780311 ("[mallto:HDR22@clintonemall.com]") and
  // C05765809 ("href=http ://www. sp lcenter. org/inte l/intelreport/"),
  // C05767482 ("http://www.qcaralan.cc.uk/uk/2009/n   aa-war-inguiry-
  // chilcot-blair") and C05767171 ("<hLt. r,-//www   t:aJ-)h .html>").
  const PassageDoc links =
      Passage(ReadFileOrDie(FixturePath("xdoc/links.txt")), "C09999010");
  EXPECT_THAT(links.text, HasSubstr("appeared on CNBC"));
  EXPECT_THAT(links.text, HasSubstr("From H"));
  EXPECT_THAT(links.text, HasSubstr("substantially"));
  EXPECT_THAT(links.text, HasSubstr("taken"));
  EXPECT_THAT(links.text, HasSubstr("Chief of Staff John Podesta"));
  for (const char* piece : {"lobbyist", "288218", "HDR22", "lcenter",
                            "intelreport", "chilcot", "hLt", "aJ"}) {
    EXPECT_THAT(links.text, ::testing::Not(HasSubstr(piece)));
  }
  ExpectNoEvidence(CheckAgainst("C05771946", Fixture("C05772001")),
                   "903");
}

TEST_F(XdocTest, LinkWrappedOntoTheNextLineIsTheLink) {
  // Real lines: a link in angle brackets (or a bare one broken after a
  // '-') that the text wraps onto the next line, across a page break, with
  // its '>' read as "h" or OCR spaces in it, of C05777587 (page 6 line 318,
  // page 7 line 370), C05759806 (line 100), C05769013 (line 126),
  // C05765936 (line 116), C05769397 (lines 101-107, a Digg link) and
  // C05769394 (line 93, "wait-can-   n-comoanies nnw-soend--", the
  // rest of its line), but not the text after a '>' read as "k" in
  // C05759646 (line 83, "aqueductentertainment.comk (3-1): Competitive
  // bid"); and
  // the bracketed address of From: lines of C05780913, C05780907,
  // C05782730 and C05793158 read as "[ma ilto:", "l[nnailto:", "[mak°",
  // "[maiho:".
  const PassageDoc links = Passage(
      ReadFileOrDie(FixturePath("xdoc/wrapped_links.txt")), "C09999011");
  for (const char* kept :
       {"two unarmed Iraqi", "a rabbi named Yitzhak", "was a welcome first",
        "Netanyahu and Pastor", "by Attorney", "From Ivalmor0 From IvalmoroL",
        "From Harold Koh From H", "Competitive bid"}) {
    EXPECT_THAT(links.text, HasSubstr(kept));
  }
  for (const char* piece :
       {"iraqis", "gentile", "Profitsh", "lovefest", "cuomo", "tied",
        "election", "typica", "lective", "Blumenthal", "ilto",
        "nnailto", "mak", "maiho", "HDR22", " lmoro", "comoanies",
        "soend"}) {
    EXPECT_THAT(links.text, ::testing::Not(HasSubstr(piece))) << piece;
  }
}

TEST_F(XdocTest, OcrReadMailtoAfterASenderIsNotWithheldText) {
  // C05786505 prints "From: Ivalmoro" (RELEASE IN PART B6, the address
  // withheld); C05780913 "From: Ivalmor0   I [ma ilto:Iva lmoro", its
  // address withheld too, "mailto" read with a space.
  ExpectNoEvidence(CheckAgainst("C05780913", Fixture("C05786505")), "ilto");
  // C05793161 blanks "[mailto:HDR22@clintonemail.com]" as a link;
  // C05793158 prints it read as "[maiho:HDR22@clintonemail.com]".
  ExpectNoEvidence(CheckAgainst("C05793158", Fixture("C05793161")), "maiho");
}

TEST_F(XdocTest, AnswersAddedBetweenTheLinesAreNotWithheldText) {
  // C05761234 answers the requests of C05758484 (RELEASE IN PART B6)
  // between its lines ("Paul Jones says he is not aware of any
  // conversations with Danspeckgruber."); C05758484 prints its requests
  // one blank line apart, no mark, no room for a passage.
  ExpectNoEvidence(CheckAgainst("C05761234", Fixture("C05758484")),
                   "Paul Jones");
  // Room left at the start of a line: C05783687 prints "If I could" and
  // "           meet at 8:30" where C05788235 prints "If I could do hair at
  // 7:45 and then meet at 8:30".
  EXPECT_THAT(Of(CheckAgainst("C05788235", Fixture("C05783687")),
                 "C05783687", "xdoc.released-elsewhere"),
              ::testing::Not(IsEmpty()));
  // And at the end of one: C05760109 (B7(A)) stops a line at "we are
  // making every effort to ensure", C05764285 goes on "that this
  // individual is brought to justice".
  const std::vector<XdocFinding> short_line =
      Of(CheckAgainst("C05764285", Fixture("C05760109")), "C05760109",
         "xdoc.released-elsewhere");
  bool justice = false;
  for (const XdocFinding& x : short_line) {
    justice |= x.finding.evidence.find("brought to justice") != std::string::npos;
  }
  EXPECT_TRUE(justice);
}

TEST_F(XdocTest, WordsReadDifferentlyAreNotWithheldText) {
  // C05770995 prints "forward it on to you._" and a B5 alone on the next
  // line; C05771006 "forward it on to vou.L".
  ExpectNoEvidence(CheckAgainst("C05771006", Fixture("C05770995")), "vou");
  // C05760544 prints "To: 'cheryl.mills  ; Sullivan, Jacobi   B6",
  // C05760312 "To: 'cheryl.mill   Sullivan, Jacob J   B6".
  ExpectNoEvidence(CheckAgainst("C05760312", Fixture("C05760544")), "Jacob");
  // C05766869 prints "bounced back from hr15(&tt.blackberrv.net, which",
  // C05766880 "hr15@att.blackberry.net": an address, not a link.
  ExpectNoEvidence(CheckAgainst("C05766880", Fixture("C05766869")),
                   "blackberry");
}

TEST_F(XdocTest, WordsAtTheEdgeOfAPassageBothWithholdAreNotWithheldText) {
  // C05776292 withholds (B5) the paragraph after "However, I assume you
  // wouldn't want..."; C05777872 withholds it too, from after "In a
  // nutshell, she's concerned" (blank lines follow).
  ExpectNoEvidence(CheckAgainst("C05777872", Fixture("C05776292")),
                   "concerned");
  // C05770855 prints "...from her policy planner.   B5", C05769598
  // "...from her policy planner. if there   B5": its B5 on the line.
  ExpectNoEvidence(CheckAgainst("C05769598", Fixture("C05770855")),
                   "if there");
}

TEST_F(XdocTest, WordsOfALinkOnePrintLeftBlankAreNotWithheldText) {
  // C05777506 prints "The resolution (H.Con.Res 335 <http://thomas.loc.
  // gov/...>) was sponsored" (page 5 line 303); C05772088 prints "The
  // resolution C,   was sponsored", the linked words left blank.
  ExpectNoEvidence(CheckAgainst("C05777506", Fixture("C05772088")),
                   "Con Res 335");
}

TEST_F(XdocTest, OcrVariantsAroundAWithheldAddressAreNotWithheldText) {
  // Both copies withhold the addresses on the "To:" line (B6);
  // C05785485 prints "'dmcdonoughs >; B6 / 'mspence ›;", C05785481
  // "'dmcdonough B6 , / 'mspence(": the names and a '›' differ, nothing
  // is released.
  EXPECT_THAT(CheckAgainst("C05785485", Fixture("C05785481")), IsEmpty());
}

TEST_F(XdocTest, AddressInBracketsAfterANameIsNotWithheldText) {
  // C05789818 prints "To: H; Burns, William J <BurnsWJ@state.gov>;
  // Sullivan, Jacob J <SullivanJJ@state.gov>" where C05789836 prints
  // "To: 'H'; Burns, William J; Sullivan, Jacob" with no mark there.
  ExpectNoEvidence(CheckAgainst("C05789818", Fixture("C05789836")),
                   "BurnsWJ");
}

TEST_F(XdocTest, CodeNextToAnotherSiteOfTheSameGroundIsNotAClash) {
  // C05767865 withholds a readout under B1 (codes alone on their lines
  // after "in Cairo:"); C05767867 withholds it under B1 too (codes beside
  // the Cc: and Subject: lines above) and prints a B6 alone on the next
  // page's first line. The B6 is another site, not the readout's.
  const std::vector<XdocFinding> all =
      CheckAgainst("C05767867", Fixture("C05767865"));
  EXPECT_THAT(Of(all, "C05767865", "xdoc.exemption-differs"), IsEmpty());
  EXPECT_THAT(Of(all, "C05767867", "xdoc.exemption-differs"), IsEmpty());
}

TEST_F(XdocTest, RepliesToDifferentMessagesOfAThreadAreNotTheSameContent) {
  // C05764927 (RELEASE IN PART) answers the 12:22:13 message of a thread,
  // C05764928 (RELEASE IN FULL) the 12:34:13 one; the older messages are
  // the same.
  const std::vector<XdocFinding> all =
      CheckAgainst("C05764928", Fixture("C05764927"));
  EXPECT_THAT(Of(all, "C05764927", "xdoc.disposition-differs"), IsEmpty());
  EXPECT_THAT(Of(all, "C05764928", "xdoc.disposition-differs"), IsEmpty());
}

TEST_F(XdocTest, RunningPageHeaderAfterAPageNumberIsNotWithheldText) {
  // C05777358 prints its page number and "SCHEDULE FOR SECRETARY HILLARY
  // RODHAM CLINTON THURSDAY, JANUARY 20, 2011" at its page breaks
  // (page 2, line 114); C05777354 (RELEASE IN PART B6) prints the same
  // schedule without that running header.
  const std::vector<XdocFinding> all =
      CheckAgainst("C05777358", Fixture("C05777354"));
  for (const XdocFinding& x : all) {
    EXPECT_FALSE(x.doc_number == "C05777354" && x.finding.line == 121)
        << x.finding.message;
    EXPECT_FALSE(x.doc_number == "C05777358" && x.finding.line == 114)
        << x.finding.message;
    // Page 1's: "1", the header, and "BRC" where C05777354 prints "HRC
    // gives brief remarks" (line 74).
    EXPECT_FALSE(x.doc_number == "C05777354" && x.finding.line == 74)
        << x.finding.message;
    EXPECT_FALSE(x.doc_number == "C05777358" && x.finding.line == 57)
        << x.finding.message;
  }
}

TEST_F(XdocTest, TextReadAsDebrisIsNotWithheldText) {
  // C05761352 prints a news alert's headline "Palau defies world opinion
  // in Cuba vote" and "Radio Australia News"; C05767667 (RELEASE IN PART
  // B6) prints "ri;)." and "ivEtrnlia News" there, no mark.
  ExpectNoEvidence(CheckAgainst("C05761352", Fixture("C05767667")),
                   "Palau defies");
}

TEST_F(XdocTest, PageNumberIsNotWithheldText) {
  // C05764442 prints "From: Abedin, Huma <AbedinH@state.gov>" and its page
  // number "147" alone on the last line of page 1; C05764441 prints the
  // header line with a B1 beside it and no page number there.
  ExpectNoEvidence(CheckAgainst("C05764442", Fixture("C05764441")), "147");
}

TEST_F(XdocTest, APairGivesTheSameFindingsWhicheverIsChecked) {
  // C05766105 prints "To: Valmoro, Lona J; Huma Abedin
  // <Huma@clintonemail.com>" in a thread that repeats the message;
  // C05760536 withholds the address (B6). Aligned with C05766105 first,
  // its repeated shingles anchored nothing and the gap was missed: a batch
  // audit found it or not depending on which document came later.
  auto rules = [](const std::vector<XdocFinding>& all) {
    std::vector<std::string> out;
    for (const XdocFinding& x : all) {
      out.push_back(absl::StrCat(x.doc_number, " ", x.finding.rule_id, " ",
                                 x.finding.line, " ", x.finding.fingerprint));
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  const std::vector<XdocFinding> one =
      CheckAgainst("C05766105", Fixture("C05760536"));
  const std::vector<XdocFinding> other =
      CheckAgainst("C05760536", Fixture("C05766105"));
  EXPECT_THAT(Of(one, "C05760536", "xdoc.released-elsewhere"),
              ::testing::Not(IsEmpty()));
  EXPECT_EQ(rules(one), rules(other));
}

TEST_F(XdocTest, FindingsNameTheirPartner) {
  const std::string memo = ReadFileOrDie(FixturePath(kMemo));
  PassageIndex index;
  index.Put(Passage(memo, "C05760093"));
  const std::vector<XdocFinding> all = index.Check(
      Passage(Redacted(memo, "C09999001", "B6"), "C09999001"), pack());
  ASSERT_EQ(all.size(), 2u);
  for (const XdocFinding& x : all) {
    EXPECT_EQ(x.partner_case_number, kCase);
    EXPECT_EQ(x.partner_doc_number,
              x.doc_number == "C05760093" ? "C09999001" : "C05760093");
  }
}


// A cross-check's findings as "doc rule line fingerprint partner" strings.
std::vector<std::string> Lines(const std::vector<XdocFinding>& all) {
  std::vector<std::string> out;
  for (const XdocFinding& x : all) {
    out.push_back(absl::StrCat(x.doc_number, " ", x.finding.rule_id, " ",
                               x.finding.line, " ", x.finding.fingerprint, " ",
                               x.partner_doc_number));
  }
  return out;
}

std::vector<std::string> Sorted(const std::vector<XdocFinding>& all) {
  std::vector<std::string> lines = Lines(all);
  std::sort(lines.begin(), lines.end());
  return lines;
}

TEST_F(XdocTest, CheckAndPutIsCheckThenPut) {
  const std::string memo = ReadFileOrDie(FixturePath(kMemo));
  const std::vector<PassageDoc> docs = {
      Fixture("C05760397"),
      Fixture("C05765720"),
      Passage(memo, "C05760093"),
      Passage(Redacted(memo, "C09999001", "B5"), "C09999001"),
      // A new version of C09999001: it replaces the one above.
      Passage(Redacted(memo, "C09999001", "B6"), "C09999001"),
      Passage(memo, "C05760093"),
  };
  PassageIndex separate;
  PassageIndex combined;
  int found = 0;
  for (const PassageDoc& d : docs) {
    const std::vector<std::string> expected =
        Lines(separate.Check(d, pack()));
    separate.Put(d);
    EXPECT_EQ(Lines(combined.CheckAndPut(d, pack())), expected)
        << d.doc_number;
    found += static_cast<int>(expected.size());
  }
  EXPECT_GT(found, 0);
  EXPECT_EQ(combined.size(), separate.size());
  EXPECT_EQ(Lines(combined.CheckCase(kCase, pack())),
            Lines(separate.CheckCase(kCase, pack())));
}

// Shingle i hashes words i .. i+k-1 alone: each shingle of a document is
// the only shingle of those k words taken apart (a document of one shingle,
// hashed by the loop for any k; the default k is written out for four
// shingles at a time).
TEST_F(XdocTest, EachShingleIsTheShingleOfItsWordsAlone) {
  std::string text = "P 1\nL 1 0";
  for (int w = 0; w < 41; ++w) text += " w" + std::to_string(w * 7 % 13);
  const absl::StatusOr<PassageDoc> doc = ParsePassageText(text + "\n");
  ASSERT_TRUE(doc.ok()) << doc.status();
  for (int k : {8, 5, 1}) {
    SCOPED_TRACE(k);
    const std::vector<uint64_t> shingles = Shingles(*doc, k);
    ASSERT_EQ(shingles.size(), doc->words.size() - k + 1);
    for (size_t i = 0; i < shingles.size(); ++i) {
      std::string alone = "P 1\nL 1 0";
      for (int j = 0; j < k; ++j) {
        alone += " " + std::string(doc->WordText(static_cast<int>(i) + j));
      }
      const absl::StatusOr<PassageDoc> part = ParsePassageText(alone + "\n");
      ASSERT_TRUE(part.ok()) << part.status();
      EXPECT_EQ(Shingles(*part, k), std::vector<uint64_t>{shingles[i]})
          << "shingle " << i;
    }
  }
  EXPECT_TRUE(Shingles(*doc, 42).empty());  // fewer words than k
}

TEST_F(XdocTest, ShingleTableFindsPositionsOfShinglesPrintedOnce) {
  const std::vector<uint64_t> shingles = {5, 7, 5, 9, 0};
  const ShingleTable table(shingles);
  EXPECT_EQ(table.Find(7), 1);
  EXPECT_EQ(table.Find(9), 3);
  EXPECT_EQ(table.Find(0), 4);
  EXPECT_EQ(table.Find(5), -1);  // repeated
  EXPECT_EQ(table.Find(4), -1);  // absent
  const std::vector<uint64_t> none;
  EXPECT_EQ(ShingleTable(none).Find(0), -1);
  EXPECT_FALSE(ShingleTable(none).At(0, 0));
}

TEST_F(XdocTest, ShingleTableAnswersAsAMapOfItsShingles) {
  // Slots keep bits of each hash beside its position: hashes that share
  // those bits (the same upper half), and others repeated up to five
  // times, in documents small and large.
  std::mt19937_64 rng(20261201);
  for (const size_t n : {1, 2, 3, 63, 64, 65, 1000, 70000}) {
    std::vector<uint64_t> shingles;
    for (size_t i = 0; i < n; ++i) {
      const uint64_t r = rng();
      switch (r % 4) {
        case 0:  // same upper half as every other such hash
          shingles.push_back(0xABCDEF0100000000ull | (r >> 40));
          break;
        case 1:  // a repeat of an earlier shingle
          shingles.push_back(i == 0 ? r : shingles[(r >> 8) % i]);
          break;
        default:
          shingles.push_back(r);
      }
    }
    std::map<uint64_t, int> pos;  // -1 when repeated
    for (size_t i = 0; i < n; ++i) {
      auto [it, fresh] = pos.emplace(shingles[i], static_cast<int>(i));
      if (!fresh) it->second = -1;
    }
    const ShingleTable table(shingles);
    int unique = 0;
    for (size_t i = 0; i < n; ++i) {
      const int expected = pos[shingles[i]];
      ASSERT_EQ(table.Find(shingles[i]), expected) << n << " " << i;
      ASSERT_EQ(table.At(static_cast<int>(i), shingles[i]), expected >= 0);
      ASSERT_FALSE(table.At(static_cast<int>(i) + 1, shingles[i]));
      if (expected >= 0) ++unique;
    }
    EXPECT_GT(unique, 0);
    for (int x = 0; x < 1000; ++x) {
      const uint64_t absent = 0xABCDEF0100000000ull | (rng() >> 40);
      if (pos.count(absent) == 0) {
        ASSERT_EQ(table.Find(absent), -1);
      }
      const uint64_t other = rng();
      if (pos.count(other) == 0) {
        ASSERT_EQ(table.Find(other), -1);
      }
    }
    EXPECT_FALSE(table.At(static_cast<int>(n), shingles[0]));
    EXPECT_FALSE(table.At(-1, shingles[0]));
    // MatchAfter and MatchBefore count the At() that hold in a row, on a
    // copy of the shingles with one in eight changed, from every position
    // and up to limits short and long.
    std::vector<uint64_t> probe = shingles;
    for (uint64_t& h : probe) {
      if (rng() % 8 == 0) h = rng();
    }
    const int size = static_cast<int>(n);
    for (int pos = 0; pos <= size; ++pos) {
      for (const int max : {0, 1, 5, 64, 200, size + 1}) {
        int after = 0;
        while (after < max && pos + after < size &&
               table.At(pos + after, probe[pos + after])) {
          ++after;
        }
        if (pos < size) {
          ASSERT_EQ(table.MatchAfter(pos, probe.data() + pos, max), after)
              << n << " " << pos << " " << max;
        }
        int before = 0;
        while (before < max && pos - 1 - before >= 0 &&
               table.At(pos - 1 - before, probe[pos - 1 - before])) {
          ++before;
        }
        ASSERT_EQ(table.MatchBefore(pos, probe.data() + pos, max), before)
            << n << " " << pos << " " << max;
      }
    }
  }
}

// The coverage of `a` by the runs align.h describes, found shingle by
// shingle: every shingle of `b` looked up in `a`.
double CoverageShingleByShingle(const PassageDoc& a, const PassageDoc& b,
                                const std::function<int(uint64_t)>& sp,
                                const AlignOptions& o) {
  const int k = o.shingle_words;
  const std::vector<uint64_t> a_sh = Shingles(a, k);
  const std::vector<uint64_t> b_sh = Shingles(b, k);
  std::map<uint64_t, int> pos;  // -1 when repeated in a
  for (int i = 0; i < static_cast<int>(a_sh.size()); ++i) {
    auto [it, fresh] = pos.emplace(a_sh[i], i);
    if (!fresh) it->second = -1;
  }
  int64_t covered = 0;
  int shingles = 0;
  int last_i = -2;
  int last_j = -2;
  bool specific = false;
  bool boilerplate = false;
  auto close = [&] {
    const int words = shingles + k - 1;
    if (shingles > 0 && words >= o.min_anchor_words &&
        (specific || (!boilerplate && words >= 2 * o.min_anchor_words))) {
      covered += words;
    }
    shingles = 0;
    specific = false;
    boilerplate = false;
  };
  for (int j = 0; j < static_cast<int>(b_sh.size()); ++j) {
    auto it = pos.find(b_sh[j]);
    if (it == pos.end() || it->second < 0) continue;
    const int i = it->second;
    if (i != last_i + 1 || j != last_j + 1) close();
    ++shingles;
    specific |= sp(b_sh[j]) > 0;
    boilerplate |= sp(b_sh[j]) < 0;
    last_i = i;
    last_j = j;
  }
  close();
  return a.words.empty() ? 0 : static_cast<double>(covered) / a.words.size();
}

TEST_F(XdocTest, AlignPairFindsEveryRunALookUpOfEachShingleFinds) {
  // Random documents of a small vocabulary: b copies stretches of a of
  // every length (shorter and longer than an anchor), some twice, between
  // words of its own; a repeats a stretch of its own (shingles printed
  // twice match nothing).
  const std::vector<std::string> vocabulary = {
      "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf",
      "hotel", "india", "juliet", "kilo", "lima", "mike", "november"};
  std::mt19937 rng(20261201);
  auto word = [&] { return vocabulary[rng() % vocabulary.size()]; };
  auto text_of = [](const std::vector<std::string>& words) {
    std::string text;
    for (size_t i = 0; i < words.size(); ++i) {
      absl::StrAppend(&text, words[i], (i + 1) % 9 == 0 ? "\n" : " ");
    }
    return text;
  };
  const AlignOptions o;
  // Specific, boilerplate or unknown, by hash.
  const std::function<int(uint64_t)> sp = [](uint64_t h) {
    return static_cast<int>(h % 5) - 2 > 0 ? 1 : (h % 5 == 0 ? -1 : 0);
  };
  int anchored = 0;
  for (int trial = 0; trial < 60; ++trial) {
    std::vector<std::string> a_words;
    for (int i = 0; i < 300; ++i) a_words.push_back(word());
    const int copied = static_cast<int>(rng() % 200);
    a_words.insert(a_words.end(), a_words.begin() + copied,
                   a_words.begin() + copied + 20 + rng() % 60);
    std::vector<std::string> b_words;
    while (b_words.size() < 400) {
      const int from = static_cast<int>(rng() % a_words.size());
      const int n = 1 + static_cast<int>(rng() % 40);
      for (int i = from; i < from + n && i < static_cast<int>(a_words.size());
           ++i) {
        b_words.push_back(a_words[i]);
      }
      for (int i = static_cast<int>(rng() % 3); i > 0; --i) {
        b_words.push_back(word());
      }
    }
    const PassageDoc a = Passage(text_of(a_words), "C00000001");
    const PassageDoc b = Passage(text_of(b_words), "C00000002");
    ASSERT_EQ(a.words.size(), a_words.size());
    const std::vector<uint64_t> a_sh = Shingles(a, o.shingle_words);
    const PairResult pair = AlignPair(a, a_sh, ShingleTable(a_sh), b,
                                      Shingles(b, o.shingle_words), sp, o);
    const double expected = CoverageShingleByShingle(a, b, sp, o);
    EXPECT_EQ(pair.coverage_a, expected) << "trial " << trial;
    if (expected > 0) ++anchored;
  }
  EXPECT_GT(anchored, 30);
}

TEST_F(XdocTest, ReplacedVersionsLeaveNoPostingsBehind) {
  // 300 versions of one document, each with 2,000 words of its own: the
  // postings of the replaced ones go, and the table stays the size of an
  // index of the last version (it held every hash ever indexed before).
  const std::string memo = ReadFileOrDie(FixturePath(kMemo));
  auto version = [&memo](int v) {
    std::string text = memo + "\n";
    for (int w = 0; w < 2000; ++w) {
      text += absl::StrCat("v", v, "w", w, w % 12 == 11 ? "\n" : " ");
    }
    return text;
  };
  const PassageDoc withheld = Fixture("C05760397");
  const PassageDoc released = Fixture("C05765720");
  PassageIndex churned;
  churned.Put(withheld);
  for (int v = 0; v < 300; ++v) churned.Put(Passage(version(v), "C09999002"));
  churned.Put(released);
  PassageIndex fresh;
  fresh.Put(withheld);
  fresh.Put(Passage(version(299), "C09999002"));
  fresh.Put(released);
  EXPECT_EQ(churned.size(), 3u);
  EXPECT_LE(churned.PostingsCapacity(), 16 * fresh.PostingsCapacity());
  EXPECT_EQ(Lines(churned.CheckCase(kCase, pack())), Lines(fresh.CheckCase(kCase, pack())));
  EXPECT_THAT(Lines(churned.CheckCase(kCase, pack())),
              ::testing::Contains(HasSubstr("C05760397 xdoc.released-elsewhere 35")));
}

TEST_F(XdocTest, ReplacedVersionsCountLikeAnIndexBuiltAfresh) {
  // A shingle carried by more than two documents is boilerplate: a replaced
  // version still counted in the postings would make the passage shared by
  // the real pair (and by the memo and its redacted copy) boilerplate in
  // the index that saw the re-audits only.
  XdocOptions options;
  options.max_doc_frequency = 2;
  const std::string memo = ReadFileOrDie(FixturePath(kMemo));
  const PassageDoc withheld = Fixture("C05760397");
  const PassageDoc released = Fixture("C05765720");
  const PassageDoc original = Passage(memo, "C05760093");
  const PassageDoc redacted =
      Passage(Redacted(memo, "C09999001", "B6"), "C09999001");

  PassageIndex fresh(options);
  for (const PassageDoc* d : {&withheld, &released, &original, &redacted}) {
    fresh.Put(*d);
  }

  PassageIndex reaudited(options);
  reaudited.Put(withheld);
  // Another content under the released copy's number first, then the real
  // one three times (re-audits of the same version).
  reaudited.Put(Passage(memo, "C05765720"));
  for (int i = 0; i < 3; ++i) reaudited.Put(released);
  reaudited.Put(original);
  // The redacted copy under another code first, then the same text twice.
  reaudited.Put(Passage(Redacted(memo, "C09999001", "B5"), "C09999001"));
  reaudited.Put(redacted);
  reaudited.Put(redacted);
  reaudited.Put(original);

  EXPECT_EQ(reaudited.size(), fresh.size());
  EXPECT_EQ(reaudited.size(), 4u);
  EXPECT_EQ(reaudited.CaseSize(kCase), fresh.CaseSize(kCase));

  const std::vector<std::string> expected = Lines(fresh.CheckCase(kCase, pack()));
  // Both pairs are found (not boilerplate) in the fresh index.
  EXPECT_THAT(expected, ::testing::Contains(HasSubstr(
                            "C05760397 xdoc.released-elsewhere 35")));
  EXPECT_THAT(expected, ::testing::Contains(
                            HasSubstr("C09999001 xdoc.released-elsewhere")));
  EXPECT_EQ(Lines(reaudited.CheckCase(kCase, pack())), expected);
  EXPECT_EQ(Lines(reaudited.CheckCase("", pack())),
            Lines(fresh.CheckCase("", pack())));
  for (const PassageDoc* d : {&withheld, &released, &original, &redacted}) {
    const std::vector<std::string> one = Lines(fresh.Check(*d, pack()));
    EXPECT_FALSE(one.empty()) << d->doc_number;
    EXPECT_EQ(Lines(reaudited.Check(*d, pack())), one) << d->doc_number;
  }
}

TEST_F(XdocTest, HashesOfManyDocumentsCountLikeAnIndexBuiltAfresh) {
  // The memo's shingles carried by up to 47 documents: copies under other
  // numbers come and go (their lists of documents grow and shrink), and
  // each index answers as one built afresh from the documents it holds
  // now. Over max_doc_frequency carriers the memo is boilerplate and its
  // redacted copy is no candidate; at or under it, the pair is found.
  // (Findings compared as sets: those of one line of one document come in
  // the order their partners were first indexed.)
  const std::string memo = ReadFileOrDie(FixturePath(kMemo));
  const PassageDoc original = Passage(memo, "C05760093");
  const PassageDoc redacted =
      Passage(Redacted(memo, "C09999001", "B6"), "C09999001");
  auto copy = [&memo](int n) {
    return Passage(memo, absl::StrCat("C0980", 1000 + n));
  };
  auto other = [](int n) {  // words of its own under a copy's number
    std::string text;
    for (int w = 0; w < 300; ++w) {
      absl::StrAppend(&text, "c", n, "w", w, w % 10 == 9 ? "\n" : " ");
    }
    return Passage(text, absl::StrCat("C0980", 1000 + n));
  };
  auto fresh_lines = [&](const std::vector<int>& copies) {
    PassageIndex fresh;
    fresh.Put(original);
    for (int n : copies) fresh.Put(copy(n));
    fresh.Put(redacted);
    return Sorted(fresh.CheckCase(kCase, pack()));
  };
  PassageIndex churned;
  churned.Put(original);
  for (int n = 0; n < 45; ++n) churned.Put(copy(n));
  churned.Put(redacted);
  // 47 carriers: boilerplate.
  std::vector<int> copies(45);
  for (int n = 0; n < 45; ++n) copies[n] = n;
  EXPECT_THAT(Sorted(churned.CheckCase(kCase, pack())), IsEmpty());
  EXPECT_EQ(Sorted(churned.CheckCase(kCase, pack())), fresh_lines(copies));
  // Copies 0, 3, 6, ... replaced by other content (and one of them back
  // and gone again): 40 carriers, the pair is found.
  for (int n = 0; n < 21; n += 3) churned.Put(other(n));
  churned.Put(copy(3));
  churned.Put(other(3));
  copies.clear();
  for (int n = 0; n < 45; ++n) {
    if (n >= 21 || n % 3 != 0) copies.push_back(n);
  }
  ASSERT_EQ(copies.size(), 38u);
  const std::vector<std::string> found = fresh_lines(copies);
  EXPECT_THAT(found, ::testing::Contains(
                         HasSubstr("C09999001 xdoc.released-elsewhere")));
  EXPECT_EQ(Sorted(churned.CheckCase(kCase, pack())), found);
  EXPECT_EQ(Sorted(churned.Check(redacted, pack())),
            Sorted(churned.CheckCase(kCase, pack())));
  // One copy more: 41 carriers, boilerplate again.
  churned.Put(copy(0));
  copies.push_back(0);
  EXPECT_THAT(Sorted(churned.CheckCase(kCase, pack())), IsEmpty());
  EXPECT_EQ(Sorted(churned.CheckCase(kCase, pack())), fresh_lines(copies));
  // Every copy gone: the original and the redacted copy alone.
  for (int n = 0; n < 45; ++n) churned.Put(other(n));
  EXPECT_EQ(Sorted(churned.CheckCase(kCase, pack())), fresh_lines({}));
  EXPECT_THAT(fresh_lines({}), ::testing::Contains(HasSubstr(
                                   "C09999001 xdoc.released-elsewhere")));
}

}  // namespace
}  // namespace ra::xdoc
