// The parser's fast paths (blocks of bytes at a time, early rejections)
// against plain byte-at-a-time versions written here, on generated text
// and on every line of the committed sample releases and dialect fixtures.
#include <algorithm>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "pack/pack.h"
#include "parse/codes.h"
#include "parse/fields.h"
#include "parse/lines.h"
#include "testing/testing.h"

namespace ra::parse_internal {
namespace {

// The text of every .txt fixture of the sample releases and the dialects.
const std::vector<std::string>& FixtureTexts() {
  static const std::vector<std::string>* texts = [] {
    auto* out = new std::vector<std::string>;
    for (const char* dir : {"sample-release", "dialects"}) {
      for (const auto& e :
           std::filesystem::recursive_directory_iterator(ra::testing::FixturePath(dir))) {
        if (e.is_regular_file() && e.path().extension() == ".txt") {
          out->push_back(ra::testing::ReadFileOrDie(e.path().string()));
        }
      }
    }
    return out;
  }();
  return *texts;
}

// The State Department pack, loaded once.
const RulePack& StatePack() {
  static const std::shared_ptr<const RulePack> pack =
      RulePack::LoadFolder(ra::testing::SourcePath("rules/state")).value();
  return *pack;
}

// ReadCodeList and ReadCodeListFully read `text` alike.
void ExpectSameReading(std::string_view text) {
  for (bool allow_unknown : {false, true}) {
    std::vector<Mark> fast(1), full(1);  // a mark read before stays
    const bool fast_ok = ReadCodeList(text, 7, StatePack(), allow_unknown, &fast);
    const bool full_ok = ReadCodeListFully(text, 7, StatePack(), allow_unknown, &full);
    ASSERT_EQ(fast_ok, full_ok) << "[" << text << "]";
    ASSERT_EQ(fast.size(), full.size()) << "[" << text << "]";
    for (size_t k = 0; k < fast.size(); ++k) {
      EXPECT_EQ(fast[k].code, full[k].code);
      EXPECT_EQ(fast[k].printed, full[k].printed);
      EXPECT_EQ(fast[k].column, full[k].column);
      EXPECT_EQ(fast[k].qualifier, full[k].qualifier);
      EXPECT_EQ(fast[k].suggestion, full[k].suggestion);
    }
  }
}

std::vector<std::string_view> PlainLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = nl + 1;
  }
  return lines;
}

// Random text over `alphabet` pieces: the bytes and phrase fragments the
// fast paths branch on, at every offset of their blocks.
std::string RandomText(std::mt19937* rng, const std::vector<std::string>& alphabet,
                       size_t pieces) {
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  std::string out;
  for (size_t k = 0; k < pieces; ++k) out += alphabet[pick(*rng)];
  return out;
}

void ExpectSameScan(std::string_view text) {
  const std::vector<std::string_view> want = PlainLines(text);
  std::vector<char> want_phrases;
  for (std::string_view line : want) {
    char bits = 0;
    for (std::string_view p : {"Doc No", "Case", "base"}) {
      if (line.find(p) != std::string_view::npos) bits |= kHeaderPhrase;
    }
    if (line.find("Classified by") != std::string_view::npos) bits |= kClassifiedBy;
    want_phrases.push_back(bits);
  }
  for (auto scan : {&ScanLines, &ScanLinesByteByByte}) {
    std::vector<std::string_view> lines;
    std::vector<char> phrases;
    scan(text, &lines, &phrases);
    ASSERT_EQ(lines.size(), want.size()) << text;
    ASSERT_EQ(phrases, want_phrases) << text;
    for (size_t i = 0; i < lines.size(); ++i) {
      // The same views, not only the same bytes.
      ASSERT_EQ(lines[i].data(), want[i].data()) << text;
      ASSERT_EQ(lines[i].size(), want[i].size()) << text;
    }
  }
}

TEST(ParseFastPathTest, ScanLinesMatchesPlainSplitAndSearchOnGeneratedText) {
  std::mt19937 rng(9);
  const std::vector<std::string> alphabet = {
      "\n", "\r", "\r\n", " ", "  ", "x", "D", "C", "b", "Doc No", "Doc", " No", "Case",
      "Cas", "base", "bas", "Classified by", "Classified", "\f", "\xc3\xa9", "ase"};
  for (int round = 0; round < 3000; ++round) {
    ExpectSameScan(RandomText(&rng, alphabet, round % 60));
  }
  ExpectSameScan("");
  ExpectSameScan("\n");
  ExpectSameScan(std::string(15, 'x') + "Case\n" + std::string(30, 'D') + "Doc No");
}

TEST(ParseFastPathTest, ScanLinesMatchesPlainSplitAndSearchOnFixtures) {
  ASSERT_GT(FixtureTexts().size(), 50u);
  for (const std::string& text : FixtureTexts()) ExpectSameScan(text);
}

int PlainLastGapByte(std::string_view line, int lo, int end) {
  for (int j = end - 1; j >= lo; --j) {
    const char c = line[j];
    if (c == '\t' || c == '\f' || c == '\r' || c == '\v') return j;
    if (c == ' ' && (j == 0 || IsSpace(line[j - 1]))) return j;
  }
  return -1;
}

void ExpectSameGaps(std::string_view line) {
  const int n = static_cast<int>(line.size());
  for (int end = 0; end <= n; ++end) {
    for (int lo = 0; lo <= end; ++lo) {
      ASSERT_EQ(LastGapByte(line, lo, end), PlainLastGapByte(line, lo, end))
          << "[" << line << "] lo " << lo << " end " << end;
    }
  }
}

TEST(ParseFastPathTest, LastGapByteMatchesByteLoopOnGeneratedLines) {
  std::mt19937 rng(14);
  const std::vector<std::string> alphabet = {" ", " ", "a", "B6", "\t", "\f", "\v", "\r",
                                             "\x01", "\x1f", "!", "\xc3\xa9", "\xa0", "  "};
  for (int round = 0; round < 400; ++round) ExpectSameGaps(RandomText(&rng, alphabet, 40));
}

TEST(ParseFastPathTest, LastGapByteMatchesByteLoopOnFixtureLines) {
  for (const std::string& text : FixtureTexts()) {
    for (std::string_view line : PlainLines(text)) {
      const int n = static_cast<int>(line.size());
      // What the margin scan asks: at most 41 bytes left of an end.
      for (int end = 0; end <= n; ++end) {
        const int lo = std::max(0, end - 41);
        ASSERT_EQ(LastGapByte(line, lo, end), PlainLastGapByte(line, lo, end)) << line;
      }
    }
  }
}

// Fields as the layout defines them: runs of bytes split at white space
// (IsSpace) except a single space between two bytes that are no white
// space.
std::vector<std::pair<int, int>> PlainFields(std::string_view line) {
  std::vector<std::pair<int, int>> out;
  const int n = static_cast<int>(line.size());
  int i = 0;
  while (i < n) {
    if (IsSpace(line[i])) {
      ++i;
      continue;
    }
    const int begin = i;
    while (i < n && (!IsSpace(line[i]) ||
                     (line[i] == ' ' && i + 1 < n && !IsSpace(line[i + 1])))) {
      ++i;
    }
    out.emplace_back(begin, i);
  }
  return out;
}

void ExpectSameFields(std::string_view line) {
  std::vector<Field> fields;
  SplitFields(line, &fields);
  std::vector<std::pair<int, int>> got;
  for (const Field& f : fields) got.emplace_back(f.begin, f.end);
  ASSERT_EQ(got, PlainFields(line)) << "[" << line << "]";
}

TEST(ParseFastPathTest, SplitFieldsMatchesPlainSplit) {
  std::mt19937 rng(11);
  const std::vector<std::string> alphabet = {"word", "B6,B5", " ", "  ", "\t", "\f", "\x01",
                                             "\n", "\xc3\xa9", "RELEASE IN PART", "x", "    "};
  for (int round = 0; round < 3000; ++round) {
    ExpectSameFields(RandomText(&rng, alphabet, round % 40));
  }
  for (const std::string& text : FixtureTexts()) {
    for (std::string_view line : PlainLines(text)) ExpectSameFields(line);
  }
}

size_t PlainFindNoCase(std::string_view s, std::string_view needle, size_t from) {
  const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
  if (needle.size() > s.size()) return std::string_view::npos;
  for (size_t i = from; i <= s.size() - needle.size(); ++i) {
    size_t k = 0;
    while (k < needle.size() && lower(s[i + k]) == lower(needle[k])) ++k;
    if (k == needle.size()) return i;
  }
  return std::string_view::npos;
}

TEST(ParseFastPathTest, FindNoCaseMatchesPlainSearch) {
  std::mt19937 rng(5);
  const std::vector<std::string> alphabet = {"e", "E", "a", "ASE", "ease", "EASE IN", "IN ",
                                             "(", "(b)", "1.4", " ", "%", "\x85", "\xc5"};
  std::vector<std::string> texts;
  for (int round = 0; round < 600; ++round) texts.push_back(RandomText(&rng, alphabet, 30));
  for (const std::string& text : FixtureTexts()) {
    for (std::string_view line : PlainLines(text)) texts.emplace_back(line);
  }
  for (const std::string& t : texts) {
    for (std::string_view needle : {"EASE", "RELEASE", "EASE IN", "IN ", "(b)", "e", "%"}) {
      // A start past the last possible one, npos included, finds nothing.
      for (size_t from : {size_t{0}, size_t{3}, size_t{11}, t.size(), t.size() + 1,
                          std::string_view::npos, std::string_view::npos - 15}) {
        ASSERT_EQ(FindNoCase(t, needle, from), PlainFindNoCase(t, needle, from))
            << "[" << t << "] " << needle << " from " << from;
      }
    }
  }
}


TEST(ParseFastPathTest, ReadCodeListShortcutAgreesOnGeneratedLists) {
  std::mt19937 rng(6);
  const std::vector<std::string> alphabet = {
      "B6", "b5", "BS", "B66", "1.4(D)", "1.4 D)", "(b)(6)", "(b)(10)", ",", ", ", " ",
      "'", "-", "--", "\"", ".", "CIA", "PERS/ORG", "\nB6", "Hello", "the", "x", "\t"};
  for (int round = 0; round < 4000; ++round) {
    ExpectSameReading(RandomText(&rng, alphabet, 1 + round % 6));
  }
  for (const char* text : {"", " ", ",", "'", "-B6", "' B6", "--, B6", "\nB6", "B6'"}) {
    ExpectSameReading(text);
  }
}

TEST(ParseFastPathTest, ReadCodeListShortcutAgreesOnFixtureFields) {
  std::vector<Field> fields;
  for (const std::string& text : FixtureTexts()) {
    for (std::string_view line : PlainLines(text)) {
      SplitFields(line, &fields);
      for (const Field& f : fields) ExpectSameReading(FieldText(line, f));
    }
  }
}

}  // namespace
}  // namespace ra::parse_internal
