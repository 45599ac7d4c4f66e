#include "check/pii.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "check/checker.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "parse/parser.h"
#include "re2/re2.h"
#include "testing/testing.h"

namespace ra {
namespace {

using ::testing::HasSubstr;

std::shared_ptr<const RulePack> StatePack() {
  auto pack = RulePack::LoadFolder(testing::SourcePath("rules/state"));
  EXPECT_TRUE(pack.ok()) << pack.status();
  return *pack;
}

std::vector<Finding> Only(const std::vector<Finding>& all, std::string_view prefix) {
  std::vector<Finding> out;
  for (const Finding& f : all) {
    if (f.rule_id.rfind(prefix, 0) == 0) out.push_back(f);
  }
  return out;
}

TEST(PiiTest, CraftedIdentifiersOfEveryKind) {
  auto pack = StatePack();
  const Document doc = Parse(
      "Note\n"
      "Write to jane.doe1961@gmail.com or MillsCD@state.gov\n"
      "Call my cell (703) 555-0142 tonight.\n"
      "His SSN is 123-45-6789.\n"
      "DOB: 04/12/1961\n"
      "Passport No. 912345678\n"
      "Office 202-647-1000\n",
      *pack);
  const auto spans = FindVisiblePii(doc, *pack);
  std::vector<std::string> got;
  for (const PiiSpan& s : spans) {
    got.push_back(std::string(PiiKindName(s.kind)) + ":" + s.text);
  }
  EXPECT_THAT(got, ::testing::ElementsAre("email:jane.doe1961@gmail.com",
                                          "phone:(703) 555-0142", "ssn:123-45-6789",
                                          "birth-date:04/12/1961", "passport:912345678"));
}

TEST(PiiTest, NothingOnCleanCraftedText) {
  auto pack = StatePack();
  const Document doc = Parse(
      "From: Mills, Cheryl D <MillsCD@state.gov>\n"
      "Sent: Friday, December 4, 2009 9:35 AM\n"
      "Case No. F-2014-20439 Doc No. C05765911 Date: 08/31/2015\n"
      "Office 202-647-1000 and ValmoroU@state.gove (OCR)\n"
      "Meeting at 10:30, room 7512, 1.4(B)\n",
      *pack);
  EXPECT_TRUE(FindVisiblePii(doc, *pack).empty());
}

// Numbers on page header lines are not personal data; the same number on
// the lines between them is.
TEST(PiiTest, PageHeaderLinesAreSkipped) {
  auto pack = StatePack();
  const std::string header =
      "UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05765911 "
      "Date: 08/31/2015 SSN 123-45-6789\n";
  const Document doc = Parse(header + "SSN 123-45-6789\n" + header + header +
                                 "x\nSSN 123-45-6789\n" + header,
                             *pack);
  std::vector<int> header_lines;
  for (const PageHeader& h : doc.page_headers) header_lines.push_back(h.line);
  ASSERT_THAT(header_lines, ::testing::ElementsAre(1, 3, 4, 7));
  std::vector<int> found;
  for (const PiiSpan& s : FindVisiblePii(doc, *pack)) found.push_back(s.line);
  EXPECT_THAT(found, ::testing::ElementsAre(2, 6));
}

TEST(PiiTest, AllowlistedValueIsNotReported) {
  auto dir = testing::MakeTempDir();
  {
    std::ofstream(dir + "/pack.textproto")
        << "imports: \"" << testing::SourcePath("rules/state/pack.textproto") << "\"\n"
        << "pii { allowed_values: \"Jane.Doe1961@gmail.com\" allowed_domains: "
           "\"example.org\" }\n";
  }
  auto pack = RulePack::LoadFolder(dir);
  ASSERT_TRUE(pack.ok()) << pack.status();
  const Document doc =
      Parse("x\nWrite to jane.doe1961@gmail.com or a@mail.example.org or b@c.net\n", **pack);
  const auto spans = FindVisiblePii(doc, **pack);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].text, "b@c.net");
}

// The issue's example: Email, Phone and Cell redacted in the signature
// block, Fax left visible.
TEST(PiiTest, RealDocumentFaxVisibleWhilePhoneRedactedIsEscalated) {
  auto pack = StatePack();
  const Document doc =
      Parse(testing::ReadFileOrDie(testing::FixturePath("pii/C05765911.txt")), *pack);
  const auto findings = Only(CheckDocument(doc, {}, *pack), "pii.");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule_id, "pii.phone-visible");
  EXPECT_EQ(findings[0].evidence, "(251) 928-0271");
  EXPECT_EQ(findings[0].severity, Severity::kError);
  EXPECT_THAT(findings[0].message, HasSubstr("other phone identifiers are redacted"));
}

TEST(PiiTest, RealDocumentOfficeNumbersAreNotReported) {
  auto pack = StatePack();
  // Signature block with "617-661-1620 (ph)": a business line, no
  // redacted phone in the document.
  const Document doc = Parse(
      testing::ReadFileOrDie(testing::FixturePath(
          "sample-release/HRCEmail_JuneWeb/C05761411.txt")),
      *pack);
  for (const PiiSpan& s : FindVisiblePii(doc, *pack)) {
    EXPECT_NE(s.kind, PiiKind::kPhone) << s.text;
  }
}

TEST(PiiTest, RealDocumentPersonalEmailEscalatedUnderB6Stamp) {
  auto pack = StatePack();
  const Document doc = Parse(
      testing::ReadFileOrDie(testing::FixturePath(
          "sample-release/HRCEmail_JuneWeb/C05761411.txt")),
      *pack);
  const auto findings = Only(CheckDocument(doc, {}, *pack), "pii.email");
  ASSERT_FALSE(findings.empty());
  EXPECT_EQ(findings[0].evidence, "hdr22@c1intonemai1.com");
  EXPECT_EQ(findings[0].severity, Severity::kError);
}

TEST(PiiTest, RealDocumentFullReleaseWithoutB6IsWarning) {
  auto pack = StatePack();
  const Document doc = Parse(
      testing::ReadFileOrDie(testing::FixturePath(
          "sample-release/HRCEmail_JuneWeb/C05759858.txt")),
      *pack);
  const auto findings = Only(CheckDocument(doc, {}, *pack), "pii.");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].evidence, "hrod17@clintonemail.com");
  EXPECT_EQ(findings[0].severity, Severity::kWarning);
}

// Calls fn(path, line) for every line of the committed .txt fixtures.
template <typename F>
void ForEachFixtureLine(F fn) {
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(testing::FixturePath(""))) {
    if (entry.path().extension() != ".txt") continue;
    std::istringstream in(testing::ReadFileOrDie(entry.path().string()));
    for (std::string line; std::getline(in, line);) fn(entry.path().string(), line);
  }
}

constexpr PiiKind kAllKinds[] = {PiiKind::kEmail, PiiKind::kSsn, PiiKind::kPhone,
                                 PiiKind::kBirthDate, PiiKind::kPassport};

// Pieces lines are generated from: the words the patterns look for in
// several cases, identifier shapes ('#' a random digit), separators, and
// non-ASCII letters RE2's (?i) folds into ASCII ones (U+017F long s,
// U+212A Kelvin sign) or not (e acute).
const std::vector<std::string>& Pieces() {
  static const auto* const kPieces = new std::vector<std::string>{
      "DOB", "dob", "DoB", "D.O.B.", "d.o.b", "D.O.B", "date of birth", "Date Of Birth",
      "birth date", "Birthdate", "BIRTH", "born", "Born on", "BORN ON", "passport",
      "PASSPORT", "Passport No.", "passport number", "Passport #", "Passport:", "passport no", "num.", "no.",
      "Pa\xc5\xbf\xc5\xbfport", "pass\xe2\x84\xaaort", "\xc3\xa9", "\xe2\x80\x94",
      "Jan", "March", "September", "Sept.", "jane.doe", "o'neil", "a%b", "x+y",
      "@", "@", "@gmail.com", "gmail", "example", "state", "gov", "com", "org", "c1intonemai1", "cell",
      "###-##-####", "(###) ###-####", "###.###.####", "### ### ####", "+# ###-###-####",
      "+## # ## ## ##", "+### ## ### ####", "##/##/####", "#/#/##", "##.##.####",
      "## March ####", "March ##, ####", "#########", "AB#######", "##:##", "####",
      "###", "##", "#", " ", " ", " ", "-", ".", "/", "(", ")", "+", ":", "#", ",", "_", "\t"};
  return *kPieces;
}

// A line of 1 to 8 pieces, then up to three edits (a character replaced,
// inserted or dropped) so that shapes are also tried one step off.
std::string RandomLine(std::mt19937& rng) {
  const std::vector<std::string>& pieces = Pieces();
  static const std::vector<std::string> kEdits = {"0", "5", "9", " ", "-", ".", "/", "(",
                                                  ")", "+", "@", "a", "Q", "\xc5\xbf"};
  std::vector<std::string> atoms;  // UTF-8 characters, edited whole
  const int n = 1 + static_cast<int>(rng() % 8);
  for (int i = 0; i < n; ++i) {
    const std::string& p = pieces[rng() % pieces.size()];
    for (size_t k = 0; k < p.size();) {
      const unsigned char c = static_cast<unsigned char>(p[k]);
      const size_t len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
      std::string atom = p.substr(k, len);
      if (atom == "#") atom = std::string(1, static_cast<char>('0' + rng() % 10));
      atoms.push_back(atom);
      k += len;
    }
  }
  const int edits = static_cast<int>(rng() % 4);
  for (int e = 0; e < edits && !atoms.empty(); ++e) {
    const size_t at = rng() % atoms.size();
    switch (rng() % 3) {
      case 0:
        atoms[at] = kEdits[rng() % kEdits.size()];
        break;
      case 1:
        atoms.insert(atoms.begin() + at, kEdits[rng() % kEdits.size()]);
        break;
      default:
        atoms.erase(atoms.begin() + at);
    }
  }
  std::string line;
  for (const std::string& a : atoms) line += a;
  return line;
}

// The pre-filters are necessary conditions: on generated lines that match
// a pattern, the pre-filter of its kind must let the line through. Each
// pattern must match often enough for the test to mean something. Every
// other line starts with up to 40 spaces, so that shapes also fall across
// the sixteen-byte blocks the digit shapes are looked for in.
TEST(PiiTest, PreFilterNeverRejectsALineThePatternMatches) {
  std::mt19937 rng(20261201);
  std::map<PiiKind, int> matched, rejected;
  for (int i = 0; i < 60000; ++i) {
    const std::string line =
        std::string(i % 2 == 0 ? 0 : rng() % 41, ' ') + RandomLine(rng);
    for (const PiiKind kind : kAllKinds) {
      if (!check_internal::PiiLineMayMatch(kind, line)) ++rejected[kind];
      if (!RE2::PartialMatch(line, check_internal::PiiPattern(kind))) continue;
      ++matched[kind];
      ASSERT_TRUE(check_internal::PiiLineMayMatch(kind, line))
          << PiiKindName(kind) << " pattern matches \"" << line << "\" but the pre-filter rejects it";
    }
  }
  for (const PiiKind kind : kAllKinds) {
    EXPECT_GE(matched[kind], 300) << PiiKindName(kind) << " matched " << matched[kind];
    EXPECT_GE(rejected[kind], 10000) << PiiKindName(kind) << " rejected " << rejected[kind];
  }
}

// The pre-filters read every byte of a line, wherever the sixteen-byte
// blocks they read fall: an '@', and a phone number, at every offset of
// lines of every length up to 64.
TEST(PiiTest, PreFilterReadsEveryByteOfALine) {
  const std::string phone = "(703) 555-0142";
  for (size_t size = 1; size <= 64; ++size) {
    for (size_t at = 0; at < size; ++at) {
      std::string line(size, 'x');
      EXPECT_FALSE(check_internal::PiiLineMayMatch(PiiKind::kEmail, line));
      line[at] = '@';
      EXPECT_TRUE(check_internal::PiiLineMayMatch(PiiKind::kEmail, line)) << size << " " << at;
      if (at + phone.size() > size) continue;
      line = std::string(size, ' ');
      line.replace(at, phone.size(), phone);
      ASSERT_TRUE(RE2::PartialMatch(line, check_internal::PiiPattern(PiiKind::kPhone))) << line;
      EXPECT_TRUE(check_internal::PiiLineMayMatch(PiiKind::kPhone, line)) << "\"" << line << "\"";
    }
  }
}

// The same over every line of the committed real documents.
TEST(PiiTest, PreFilterNeverRejectsAFixtureLineThePatternMatches) {
  std::map<PiiKind, int> matched;
  int lines = 0;
  ForEachFixtureLine([&](const std::string& path, const std::string& line) {
    ++lines;
    for (const PiiKind kind : kAllKinds) {
      if (!RE2::PartialMatch(line, check_internal::PiiPattern(kind))) continue;
      ++matched[kind];
      EXPECT_TRUE(check_internal::PiiLineMayMatch(kind, line))
          << PiiKindName(kind) << " in " << path << ": \"" << line << "\"";
    }
  });
  EXPECT_GT(lines, 1000);
  EXPECT_GT(matched[PiiKind::kEmail], 0);
  EXPECT_GT(matched[PiiKind::kPhone], 0);
}

// Lines that are not views into the document's text are scanned one by
// one; the result is the one-pass scan's. The first and last lines stay
// views into the text, so only a check of every line tells the others
// are elsewhere (a check of the two ends passed them to the one-pass
// scan, which found nothing).
TEST(PiiTest, LinesOutsideTheTextFindTheSameIdentifiers) {
  auto pack = StatePack();
  const Document doc = Parse(
      testing::ReadFileOrDie(testing::FixturePath("pii/C05765911.txt")) +
          "\nWrite to jane.doe1961@gmail.com\r\nHis SSN is 123-45-6789.\nEnd\n",
      *pack);
  Document copy = doc;
  ASSERT_GT(copy.lines.size(), 3u);
  std::vector<std::string> own(copy.lines.begin(), copy.lines.end());
  for (size_t i = 1; i + 1 < own.size(); ++i) copy.lines[i] = own[i];
  ASSERT_EQ(copy.lines.front().data(), copy.text.data());
  ASSERT_FALSE(LinesAreViewsInOrder(copy));
  auto shown = [](const std::vector<PiiSpan>& spans) {
    std::vector<std::string> out;
    for (const PiiSpan& s : spans) {
      out.push_back(std::string(PiiKindName(s.kind)) + ":" + std::to_string(s.line) + ":" +
                    std::to_string(s.column) + ":" + s.text);
    }
    return out;
  };
  const std::vector<std::string> in_text = shown(FindVisiblePii(doc, *pack));
  EXPECT_THAT(in_text, ::testing::ElementsAre("phone:48:5:(251) 928-0271",
                                              "email:56:9:jane.doe1961@gmail.com",
                                              "ssn:57:11:123-45-6789"));
  EXPECT_EQ(shown(FindVisiblePii(copy, *pack)), in_text);
}

// The one-pass scan checks the lines are views in order as it reaches
// them: lines past its last hit that are elsewhere (here the last, which
// holds the document's only identifier) are found line by line too, and
// a line out of order after the hits sends the scan line by line as well.
TEST(PiiTest, LinesElsewhereAfterTheLastHitAreRead) {
  auto pack = StatePack();
  const Document doc = Parse(
      "RELEASE IN PART B6\nWrite to me\nplease\n\nthank you\nEnd\n", *pack);
  ASSERT_EQ(doc.lines.size(), 6u);
  EXPECT_THAT(FindVisiblePii(doc, *pack), ::testing::IsEmpty());
  Document last_elsewhere = doc;
  const std::string ssn = "His SSN is 123-45-6789.";
  last_elsewhere.lines.back() = ssn;
  ASSERT_FALSE(LinesAreViewsInOrder(last_elsewhere));
  const std::vector<PiiSpan> found = FindVisiblePii(last_elsewhere, *pack);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind, PiiKind::kSsn);
  EXPECT_EQ(found[0].line, 6);
  EXPECT_EQ(found[0].text, "123-45-6789");

  // A view into the text, but before the line ahead of it.
  const Document with_id = Parse(
      "Call 202-647-4000 (cell)\nplease\nHis SSN is 123-45-6789.\nEnd\n", *pack);
  Document out_of_order = with_id;
  std::swap(out_of_order.lines[0], out_of_order.lines[3]);
  ASSERT_FALSE(LinesAreViewsInOrder(out_of_order));
  std::vector<int> lines_found;
  for (const PiiSpan& s : FindVisiblePii(out_of_order, *pack)) lines_found.push_back(s.line);
  std::vector<int> lines_in_text;
  for (const PiiSpan& s : FindVisiblePii(with_id, *pack)) {
    lines_in_text.push_back(s.line == 1 ? 4 : s.line);
  }
  ASSERT_FALSE(lines_in_text.empty());
  EXPECT_EQ(lines_found, lines_in_text);
}

// The e-mail addresses in `text`, match after match, as FindVisiblePii
// consumes them: by RE2 with the pattern, or by FindEmail.
std::vector<std::string> EmailsBy(bool re2, std::string_view text) {
  std::vector<std::string> out;
  std::string_view rest = text;
  while (true) {
    std::string_view found;
    if (re2) {
      re2::StringPiece input(rest.data(), rest.size()), match;
      if (!check_internal::PiiPattern(PiiKind::kEmail)
               .Match(input, 0, input.size(), RE2::UNANCHORED, &match, 1)) {
        break;
      }
      found = std::string_view(match.data(), match.size());
    } else {
      const std::optional<std::string_view> match = check_internal::FindEmail(rest);
      if (!match.has_value()) break;
      found = *match;
    }
    out.push_back(std::to_string(found.data() - text.data()) + ":" + std::string(found));
    rest.remove_prefix(static_cast<size_t>(found.data() + found.size() - rest.data()));
  }
  return out;
}

// A line of address-like runs (a local part of local-part pieces, '@',
// labels joined by dots, runs of dots or nothing) between pieces of
// neither part.
std::string RandomEmailLine(std::mt19937& rng) {
  static const std::vector<std::string> kLocal = {"a", "jane.doe", "o'neil", "_x", "7", "-",
                                                  "+b", "%", ".", "Q"};
  static const std::vector<std::string> kLabel = {"b", "state", "c0m", "co", "com", "uk",
                                                  "x1", "e", "-", "gov", "A9-z"};
  static const std::vector<std::string> kJoin = {".", ".", ".", "..", "-", "", "@"};
  static const std::vector<std::string> kOther = {" ", ",", "<", ">", "(", "@", ".", "mailto:",
                                                  "\t", "\xc3\xa9", "\xc5\xbf"};
  auto any = [&rng](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  std::string line;
  const int n = 1 + static_cast<int>(rng() % 5);
  for (int i = 0; i < n; ++i) {
    if (rng() % 3 == 0) {
      line += any(kOther);
      continue;
    }
    for (int k = static_cast<int>(rng() % 3); k >= 0; --k) line += any(kLocal);
    line += "@";
    line += any(kLabel);
    for (int k = static_cast<int>(rng() % 4); k > 0; --k) line += any(kJoin) + any(kLabel);
  }
  return line;
}

TEST(PiiTest, FindEmailFindsWhatThePatternFinds) {
  std::mt19937 rng(20261202);
  int with_match = 0, without = 0, several = 0;
  for (int i = 0; i < 60000; ++i) {
    const std::string line = i % 2 == 0 ? RandomEmailLine(rng) : RandomLine(rng);
    const std::vector<std::string> want = EmailsBy(true, line);
    ASSERT_EQ(EmailsBy(false, line), want) << "\"" << line << "\"";
    (want.empty() ? without : with_match) += 1;
    several += want.size() > 1;
  }
  EXPECT_GE(with_match, 3000);
  EXPECT_GE(without, 3000);
  EXPECT_GE(several, 100);
  int fixture_matches = 0;
  ForEachFixtureLine([&](const std::string& path, const std::string& line) {
    const std::vector<std::string> want = EmailsBy(true, line);
    EXPECT_EQ(EmailsBy(false, line), want) << path << ": \"" << line << "\"";
    fixture_matches += static_cast<int>(want.size());
  });
  EXPECT_GT(fixture_matches, 50);
}

TEST(PiiTest, FindEmailEndsInTheLastLabelStartingWithTwoLetters) {
  auto found = [](std::string_view text) {
    const std::optional<std::string_view> m = check_internal::FindEmail(text);
    return m.has_value() ? std::string(*m) : std::string("-");
  };
  EXPECT_EQ(found("x a@b.com-x.org y"), "a@b.com-x.org");
  EXPECT_EQ(found("a@b.co.u1"), "a@b.co");
  EXPECT_EQ(found("a@b.com1"), "a@b.com");
  EXPECT_EQ(found("a@b.c0m.x1"), "-");
  EXPECT_EQ(found("a@b..com"), "-");
  EXPECT_EQ(found("a@.com x@y@foo.org"), "y@foo.org");
  EXPECT_EQ(found("..__o'neil@state.gov"), "o'neil@state.gov");
}

// An empty label counts when at most 48 bytes follow the line's leading
// white space, however long that is; a line whose text starts earlier is
// not one.
TEST(PiiTest, RedactedKindsOfIndentedLabels) {
  auto pack = StatePack();
  auto kinds = [&](const std::string& line) {
    const Document doc = Parse("Note\n" + line + "\nEnd\n", *pack);
    std::vector<std::string> out;
    for (const PiiKind k : RedactedPiiKinds(doc)) out.emplace_back(PiiKindName(k));
    return out;
  };
  using ::testing::ElementsAre;
  using ::testing::IsEmpty;
  EXPECT_THAT(kinds(std::string(60, ' ') + "Cell:"), ElementsAre("phone"));
  EXPECT_THAT(kinds(std::string(40, ' ') + "DOB:" + std::string(8, ' ') + "(B6)"),
              ElementsAre("birth-date"));
  // 48 bytes after one space; then 49.
  EXPECT_THAT(kinds(" Phone:" + std::string(38, ' ') + "(B6)"), ElementsAre("phone"));
  EXPECT_THAT(kinds(" Phone:" + std::string(39, ' ') + "(B6)"), IsEmpty());
  EXPECT_THAT(kinds("." + std::string(60, ' ') + "SSN:"), IsEmpty());
  EXPECT_THAT(kinds("   Telephone:" + std::string(40, ' ') + "B6"), IsEmpty());
  EXPECT_THAT(kinds("E-mail: (B6)"), ElementsAre("email"));
  EXPECT_THAT(kinds(std::string(30, ' ')), IsEmpty());
  // Indentation of spaces and tabs; a letter among the first eight bytes.
  EXPECT_THAT(kinds(std::string(20, ' ') + "\t" + std::string(21, ' ') + "Fax:"),
              ElementsAre("phone"));
  EXPECT_THAT(kinds("      x" + std::string(50, ' ') + "Fax:"), IsEmpty());
  EXPECT_THAT(kinds("      x Fax:"), IsEmpty());
}

// Words under (?i) also match non-ASCII letters; the pre-filter lets such
// a line through to RE2 rather than compare words in ASCII.
TEST(PiiTest, PreFilterKeepsNonAsciiSpellingsOfTheWords) {
  const std::string long_s = "Pa\xc5\xbf\xc5\xbfport No. 912345678";
  ASSERT_TRUE(RE2::PartialMatch(long_s, check_internal::PiiPattern(PiiKind::kPassport)));
  EXPECT_TRUE(check_internal::PiiLineMayMatch(PiiKind::kPassport, long_s));
  EXPECT_FALSE(check_internal::PiiLineMayMatch(PiiKind::kPassport, "Pass No. 912345678"));
  EXPECT_FALSE(check_internal::PiiLineMayMatch(PiiKind::kBirthDate, "Dated 04/12/1961"));
  EXPECT_TRUE(check_internal::PiiLineMayMatch(PiiKind::kBirthDate, "d.O.b 04/12/1961"));
}

}  // namespace
}  // namespace ra
