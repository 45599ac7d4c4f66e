// BuildPassage (what an audit indexes) against ParsePassageText (what the
// daemon rebuilds its index from at start) on real documents.
#include "xdoc/passage.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
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

// PassageText takes a body line as printed, without the blanking passes,
// when none could change it; on every fixture document and on lines each
// pass changes while they hold nothing else a pass starts from (a link's
// continuation, a tab, a classification block's line, a bracketed address
// after a header), it writes what the passes write.
TEST(PassageTest, LinesTakenAsPrintedAreWhatEveryPassMakesOfThem) {
  const std::shared_ptr<const RulePack> pack = StatePack();
  ASSERT_NE(pack, nullptr);
  std::vector<std::string> contents;
  for (const std::string& f : FixtureDocuments()) contents.push_back(ReadFileOrDie(f));
  contents.push_back(
      "UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. "
      "C05765911 Date: 05/13/2015\n"
      "RELEASE IN PART B6\n"
      "From: Jake Sullivan [mailto:SullivanJJ@state.gov]\n"
      "see <http://www.guardian.co.uk/world/2010/oct/26/us-veteran-\n"
      "killed-iraqis-tea-party> two unarmed men\n"
      "tabbed\tword and\ttext\n"
      "an ordinary line of words\n");
  contents.push_back(
      "Classified by John Roe\n"
      "                CONFIDENTIAL as it was\n"
      "an ordinary line of words\n");
  size_t differing = 0;
  for (const std::string& content : contents) {
    const Document doc = Parse(content, *pack);
    const std::string every_pass = PassageTextThroughEveryPass(doc);
    EXPECT_EQ(PassageText(doc), every_pass) << content.substr(0, 200);
    // (How many of the texts the passes change at all.)
    differing += every_pass.find("killed") == std::string::npos &&
                 content.find("killed-iraqis") != std::string::npos;
    differing += content.find("CONFIDENTIAL as it") != std::string::npos &&
                 every_pass.find("CONFIDENTIAL") == std::string::npos;
  }
  // The continuation and the block line are blanked by the passes.
  EXPECT_EQ(differing, 2u);
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

// A classification block runs on over at most three lines, empty lines
// counted (WritePassage passes an empty line by without the blanking
// passes, keeping their count).
TEST(PassageTest, EmptyLinesCountAgainstAClassificationBlock) {
  const std::shared_ptr<const RulePack> pack = StatePack();
  ASSERT_NE(pack, nullptr);
  const std::string text = PassageText(
      Parse("RELEASE IN FULL\n"
            "Opening words of the message.\n"
            "Classified by: John Smith, Director\n"
            "\n"
            "\n"
            "CONFIDENTIAL withheld reason one\n"
            "\n"
            "\n"
            "\n"
            "CONFIDENTIAL later kept words\n",
            *pack));
  EXPECT_NE(text.find("Opening words of the message"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("Smith"), std::string::npos) << text;
  // The third line after the block's phrase continues it, the fourth no
  // longer does.
  EXPECT_EQ(text.find("withheld reason one"), std::string::npos) << text;
  EXPECT_NE(text.find("CONFIDENTIAL later kept words"), std::string::npos)
      << text;
}

// A link left open at a line's end (a '<' not closed, or a bare link
// broken after a '-' or a '/') goes on over the next line, which is
// blanked; a line that opens none leaves the next line alone.
TEST(PassageTest, LinkLeftOpenAtALinesEndBlanksItsContinuation) {
  const std::shared_ptr<const RulePack> pack = StatePack();
  ASSERT_NE(pack, nullptr);
  for (const char* open :
       {"See <http://www.example.com/2010/03/", "See http://example.com/a/",
        "See http://example.com/2010/03/pastor-"}) {
    const std::string text = PassageText(
        Parse(absl::StrCat("RELEASE IN FULL\nOpening words here.\n", open,
                           "\nslugword-continued-here> then words\n"),
              *pack));
    EXPECT_EQ(text.find("slugword"), std::string::npos) << open << "\n" << text;
    EXPECT_NE(text.find("then words"), std::string::npos) << open << "\n" << text;
  }
  const std::string text = PassageText(
      Parse("RELEASE IN FULL\nOpening words here - and more\n"
            "slugword-continued-here> then words\n",
            *pack));
  EXPECT_NE(text.find("slugword"), std::string::npos) << text;
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

// A body word as read a byte at a time, written apart from the reader's
// own loop: the reference PassageReader's reading of L records must agree
// with.
struct ReferenceWord {
  std::string text;
  int column = 0;
  bool bracketed = false;
};

bool ReferenceWordByte(char c) {
  const unsigned char b = static_cast<unsigned char>(c);
  return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') ||
         (b >= 'A' && b <= 'Z') || b >= 0x80;
}

// The words of the L text `line` (from `column`): runs of word bytes; one
// after a '<' whose address (an '@' before the next '<', '>' or space,
// which is a '>' or the line's end) is still open is bracketed.
std::vector<ReferenceWord> ReferenceWords(std::string_view line, int column) {
  std::vector<ReferenceWord> out;
  size_t address_end = 0;
  size_t i = 0;
  while (i < line.size()) {
    if (!ReferenceWordByte(line[i])) {
      if (line[i] == '<') {
        size_t close = i + 1;
        while (close < line.size() && line[close] != '<' &&
               line[close] != '>' && line[close] != ' ') {
          ++close;
        }
        const size_t at = line.find('@', i + 1);
        if ((close == line.size() || line[close] == '>') && at < close) {
          address_end = close;
        }
      }
      ++i;
      continue;
    }
    size_t j = i;
    while (j < line.size() && ReferenceWordByte(line[j])) ++j;
    out.push_back({std::string(line.substr(i, j - i)),
                   column + static_cast<int>(i), i < address_end});
    i = j;
  }
  return out;
}

// Body lines of many lengths (words ending at the line's end, words of 15
// to 17 bytes and longer, bytes >= 0x80, bracketed addresses).
std::vector<std::string> BodyLineSamples() {
  std::vector<std::string> lines = {
      "a",
      "0123456789abcdef",                   // one word, one block
      "0123456789abcde ",                   // 15 bytes, then a space
      "0123456789abcdefg",                  // 17 bytes
      "x 0123456789abcdef",                 // a 16-byte word at the end
      "Burns, William J <BurnsWJ@state.gov>; Sullivan <SullivanJJ@state.gov",
      "< a@b.gov> <x@y> <no address here> <@> <a<b@c>",
      "caf\xc3\xa9 na\xc3\xafve \xe2\x80\x94 r\xc3\xa9sum\xc3\xa9",
      std::string(63, 'w') + " " + std::string(64, 'v') + " " +
          std::string(65, 'u'),
      "  ,,;;  ..!!  ((  ))  ''  --  ",      // no word
      "<",                                   // a '<' as the last byte
      "word<",
  };
  // And lines of every length up to 200 from a fixed pseudo-random stream
  // of letters, digits, UTF-8 bytes and punctuation (no ':' : no header
  // line, whose words are read with another kind).
  const std::string alphabet =
      "aZ09xQ5l1i|  ,.<>@-_/\x80\xc3\xa9\xff\t()";
  uint32_t state = 12345;
  for (size_t length = 0; length <= 200; ++length) {
    std::string line;
    for (size_t k = 0; k < length; ++k) {
      state = state * 1103515245u + 12345u;
      line += alphabet[(state >> 16) % alphabet.size()];
    }
    lines.push_back(line);
  }
  return lines;
}

// Expects `read` to hold the words of `expected`, on `expected_lines`.
void ExpectReferenceWords(const PassageDoc& read,
                          const std::vector<ReferenceWord>& expected,
                          const std::vector<int>& expected_lines) {
  std::vector<std::string> words;
  for (const ReferenceWord& w : expected) words.push_back(w.text);
  EXPECT_EQ(read.text, absl::StrJoin(words, " "));
  ASSERT_EQ(read.words.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const Word& w = read.words[i];
    EXPECT_TRUE(read.WordText(static_cast<int>(i)) == expected[i].text &&
                w.key == WordKey(expected[i].text) &&
                w.line == expected_lines[i] &&
                w.column == expected[i].column &&
                w.bracketed_address == expected[i].bracketed &&
                w.optional_header == Word::kBody)
        << "word " << i << " '" << expected[i].text << "' line "
        << expected_lines[i];
  }
}

// Read back word for word as the byte-at-a-time reference reads them. The
// records of one text are each followed by a '\n', which the reader's scan
// relies on to stop (its fast loop).
TEST(PassageTest, BodyWordsAreReadAsAByteAtATimeReadingReadsThem) {
  const std::vector<std::string> lines = BodyLineSamples();
  std::string text = "P 1\n";
  std::vector<ReferenceWord> expected;
  std::vector<int> expected_lines;
  for (size_t n = 0; n < lines.size(); ++n) {
    // Lines two apart (no continuation), from column n % 7.
    const int ln = 2 * static_cast<int>(n) + 1;
    const int column = static_cast<int>(n % 7);
    text += "L " + std::to_string(ln) + " " + std::to_string(column) + " " +
            lines[n] + "\n";
    for (ReferenceWord& w : ReferenceWords(lines[n], column)) {
      expected.push_back(std::move(w));
      expected_lines.push_back(ln);
    }
  }
  absl::StatusOr<PassageDoc> read = ParsePassageText(text);
  ASSERT_THAT(read, IsOk());
  ExpectReferenceWords(*read, expected, expected_lines);
  size_t bracketed = 0;
  for (const ReferenceWord& w : expected) bracketed += w.bracketed;
  EXPECT_GT(expected.size(), 1000u);
  EXPECT_GE(bracketed, 4u);
}

// The reader's other loop: a last record with no '\n' after it, and a line
// whose columns run past what a Word keeps (65535, where they stop).
TEST(PassageTest, BodyWordsWithoutANewlineOrPastTheLastColumnAreReadAlike) {
  for (const std::string& line : BodyLineSamples()) {
    for (const int column : {3, 65535 - 20, 65535 + 5}) {
      SCOPED_TRACE(absl::StrCat("column ", column, " line '", line, "'"));
      std::vector<ReferenceWord> expected = ReferenceWords(line, column);
      for (ReferenceWord& w : expected) w.column = std::min(w.column, 65535);
      const std::vector<int> expected_lines(expected.size(), 1);
      const std::string text =
          absl::StrCat("P 1\nL 1 ", column, " ", line);  // no '\n'
      absl::StatusOr<PassageDoc> read = ParsePassageText(text);
      ASSERT_THAT(read, IsOk());
      ExpectReferenceWords(*read, expected, expected_lines);
      // And with a '\n' after it, at a column past the last one.
      if (column > 65535 - 20) {
        read = ParsePassageText(text + "\n");
        ASSERT_THAT(read, IsOk());
        ExpectReferenceWords(*read, expected, expected_lines);
      }
    }
  }
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

// An L record with no text after its column (a stored passage text cut or
// edited by hand) holds no words, whichever loop reads it, and the rest of
// the text is read on.
TEST(PassageTest, BodyLineWithNoTextHoldsNoWords) {
  for (const char* text : {"L 3 5\nP 1\n", "L 3 5\nL 4 0 one two\n", "L 3 5"}) {
    absl::StatusOr<PassageDoc> read = ParsePassageText(text);
    ASSERT_TRUE(read.ok()) << text << ": " << read.status();
    std::vector<std::string> words;
    for (int i = 0; i < static_cast<int>(read->words.size()); ++i) {
      words.emplace_back(read->WordText(i));
    }
    EXPECT_EQ(words, std::string(text).find("one") == std::string::npos
                         ? std::vector<std::string>{}
                         : std::vector<std::string>({"one", "two"}))
        << text;
  }
}

}  // namespace
}  // namespace ra::xdoc
