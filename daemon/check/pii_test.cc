#include "check/pii.h"

#include <fstream>

#include "check/checker.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "parse/parser.h"
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

// The example: Email, Phone and Cell redacted in the signature
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

}  // namespace
}  // namespace ra
