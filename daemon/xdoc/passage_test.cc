// BuildPassage (what an audit indexes) against ParsePassageText (what the
// daemon rebuilds its index from at start) on real documents.
#include "xdoc/passage.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pack/pack.h"
#include "parse/parser.h"
#include "testing/testing.h"

namespace ra::xdoc {
namespace {

using ::ra::testing::FixturePath;
using ::ra::testing::IsOk;
using ::ra::testing::ReadFileOrDie;
using ::ra::testing::SourcePath;

// Every field of two PassageDocs (identity aside), named on failure.
void ExpectSamePassage(const PassageDoc& a, const PassageDoc& b,
                       const std::string& name) {
  SCOPED_TRACE(name);
  EXPECT_EQ(a.disposition, b.disposition);
  EXPECT_EQ(a.stamp_codes, b.stamp_codes);
  EXPECT_EQ(a.text, b.text);
  EXPECT_EQ(a.page_first_lines, b.page_first_lines);
  ASSERT_EQ(a.words.size(), b.words.size());
  for (size_t i = 0; i < a.words.size(); ++i) {
    const Word& x = a.words[i];
    const Word& y = b.words[i];
    EXPECT_TRUE(x.key == y.key && x.offset == y.offset &&
                a.WordSize(i) == b.WordSize(i) &&
                x.column == y.column && x.line == y.line &&
                x.optional_header == y.optional_header &&
                x.bracketed_address == y.bracketed_address)
        << "word " << i << " '" << a.WordText(i) << "' line " << x.line;
  }
  ASSERT_EQ(a.marks.size(), b.marks.size());
  for (size_t i = 0; i < a.marks.size(); ++i) {
    const SiteMark& x = a.marks[i];
    const SiteMark& y = b.marks[i];
    EXPECT_TRUE(x.word == y.word && x.line == y.line && x.column == y.column &&
                x.code == y.code && x.printed == y.printed)
        << "mark " << i << " '" << x.printed << "' line " << x.line;
  }
  ASSERT_EQ(a.headers.size(), b.headers.size());
  for (size_t i = 0; i < a.headers.size(); ++i) {
    const HeaderField& x = a.headers[i];
    const HeaderField& y = b.headers[i];
    EXPECT_TRUE(x.word == y.word && x.line == y.line && x.field == y.field &&
                x.value_key == y.value_key)
        << "header " << i << " line " << x.line;
  }
  ASSERT_EQ(a.withheld_pages.size(), b.withheld_pages.size());
  for (size_t i = 0; i < a.withheld_pages.size(); ++i) {
    const WithheldPageSite& x = a.withheld_pages[i];
    const WithheldPageSite& y = b.withheld_pages[i];
    EXPECT_TRUE(x.word == y.word && x.page == y.page && x.line == y.line &&
                x.codes == y.codes)
        << "withheld page " << x.page;
  }
}

// The state rule pack, or null (a failure) when it does not load.
std::shared_ptr<const RulePack> StatePack() {
  auto pack = RulePack::LoadFolder(SourcePath("rules/state"));
  EXPECT_THAT(pack, IsOk());
  return pack.ok() ? *pack : nullptr;
}

// The committed real documents: the cross-document fixtures, the sample
// release, the PII and dialect samples.
std::vector<std::string> FixtureDocuments() {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const char* dir : {"xdoc", "sample-release", "pii", "dialects"}) {
    for (const auto& e : fs::recursive_directory_iterator(FixturePath(dir))) {
      if (e.is_regular_file() && e.path().extension() == ".txt") {
        out.push_back(e.path().string());
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(PassageTest, BuiltPassageIsWhatItsTextParsesBackTo) {
  const std::shared_ptr<const RulePack> pack = StatePack();
  ASSERT_NE(pack, nullptr);
  const std::vector<std::string> files = FixtureDocuments();
  ASSERT_GE(files.size(), 80u);
  // Also a real schedule with its page 2 withheld in full (only "B5" left
  // on it), for a W record.
  std::vector<std::pair<std::string, std::string>> docs;
  for (const std::string& f : files) docs.push_back({f, ReadFileOrDie(f)});
  const std::string schedule = ReadFileOrDie(FixturePath("xdoc/C05788039.txt"));
  std::vector<std::string> pages = absl::StrSplit(schedule, '\f');
  ASSERT_EQ(pages.size(), 4u);
  pages[1] = "\n                                   B5\n\n";
  docs.push_back({"C05788039 page 2 withheld", absl::StrJoin(pages, "\f")});

  size_t words = 0, marks = 0, headers = 0, withheld = 0, optional = 0,
         bracketed = 0;
  for (const auto& [name, content] : docs) {
    const Document doc = Parse(content, *pack);
    std::string text;
    absl::StatusOr<PassageDoc> built = BuildPassage(doc, &text);
    ASSERT_THAT(built, IsOk()) << name;
    EXPECT_EQ(text, PassageText(doc)) << name;
    absl::StatusOr<PassageDoc> parsed = ParsePassageText(text);
    ASSERT_THAT(parsed, IsOk()) << name;
    ExpectSamePassage(*built, *parsed, name);
    words += built->words.size();
    marks += built->marks.size();
    headers += built->headers.size();
    withheld += built->withheld_pages.size();
    for (const Word& w : built->words) {
      optional += w.optional_header != Word::kBody;
      bracketed += w.bracketed_address;
    }
  }
  // Every kind of record and word flag was compared.
  EXPECT_GT(words, 10000u);
  EXPECT_GT(marks, 0u);
  EXPECT_GT(headers, 0u);
  EXPECT_GT(withheld, 0u);
  EXPECT_GT(optional, 0u);
  EXPECT_GT(bracketed, 0u);
}

// A mark whose printed text holds a line break (a PDF box label's text may)
// is still one record: the live document and the one read back at restart
// agree.
TEST(PassageTest, MarkWithALineBreakIsOneRecord) {
  const std::shared_ptr<const RulePack> pack = StatePack();
  ASSERT_NE(pack, nullptr);
  Document doc;
  for (const std::string& f : FixtureDocuments()) {
    doc = Parse(ReadFileOrDie(f), *pack);
    if (!doc.marks.empty()) break;
  }
  ASSERT_FALSE(doc.marks.empty());
  doc.marks[0].printed = "(b)\n(6)";
  std::string text;
  absl::StatusOr<PassageDoc> built = BuildPassage(doc, &text);
  ASSERT_THAT(built, IsOk());
  absl::StatusOr<PassageDoc> parsed = ParsePassageText(text);
  ASSERT_THAT(parsed, IsOk());
  ExpectSamePassage(*built, *parsed, "C05788039 with a line break in a mark");
  ASSERT_FALSE(built->marks.empty());
  EXPECT_EQ(built->marks[0].printed, "(b) (6)");
}

// Each spelling that makes a chunk a link, alone on its line (no ':', '/'
// or other link byte beside it), is still blanked: the line test that lets
// BlankLinks skip a line must let these through.
TEST(PassageTest, EachLinkSpellingAloneOnItsLineIsBlanked) {
  const std::shared_ptr<const RulePack> pack = StatePack();
  ASSERT_NE(pack, nullptr);
  const std::vector<std::string> links = {
      "report.pdf",      "WWW.",            "HTTPexample",   "hitpexample",
      "mailtoHR15",      "MALLTOhr15",      "malitohr15",    "mai1tohr15",
      "rnailtohr15",     "page=2",          "this&that",     "100%done",
      "a://b",           "<ht",             "[mailto:hr15"};
  std::string content = "RELEASE IN FULL\n";
  for (const std::string& l : links) {
    content += "Kept words before " + l + " and after\n";
  }
  const std::string text = PassageText(Parse(content, *pack));
  for (const std::string& l : links) {
    EXPECT_EQ(text.find(l), std::string::npos) << l << " in\n" << text;
  }
  // The words around them stay, and a line without a link is kept whole.
  EXPECT_NE(text.find("Kept words before"), std::string::npos) << text;
  EXPECT_NE(PassageText(Parse("Plain words, to the point.\n", *pack))
                .find("Plain words, to the point"),
            std::string::npos);
}

TEST(PassageTest, BuildPassageReplacesWhatTheStringHeld) {
  const std::shared_ptr<const RulePack> pack = StatePack();
  ASSERT_NE(pack, nullptr);
  const Document doc =
      Parse(ReadFileOrDie(FixturePath("xdoc/C05760093.txt")), *pack);
  std::string text = "left over";
  ASSERT_THAT(BuildPassage(doc, &text), IsOk());
  EXPECT_EQ(text, PassageText(doc));
}

TEST(PassageTest, BadRecordIsNamedByItsLine) {
  // Empty lines count; the record after the last '\n' is line 5.
  EXPECT_THAT(ParsePassageText("P 1\n\nD NONE -\nL 3 0 one two\nQ 4").status(),
              ::ra::testing::StatusIs(absl::StatusCode::kInvalidArgument,
                                      "passage text line 5: unknown record"));
  EXPECT_THAT(ParsePassageText("P 1\nL x 0 one\n").status(),
              ::ra::testing::StatusIs(absl::StatusCode::kInvalidArgument,
                                      "passage text line 2: bad body line"));
}

}  // namespace
}  // namespace ra::xdoc
