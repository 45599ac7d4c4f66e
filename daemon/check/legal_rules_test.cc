// The statutory, executive-order, release-metadata and custom-pattern rules
// on real released documents (tests/fixtures) and minimal crafted ones.
#include <fstream>

#include "absl/strings/str_replace.h"
#include "check/checker.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "parse/parser.h"
#include "testing/testing.h"

namespace ra {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

std::shared_ptr<const RulePack> StatePack() {
  auto pack = RulePack::LoadFolder(testing::SourcePath("rules/state"));
  EXPECT_TRUE(pack.ok()) << pack.status();
  return *pack;
}

std::vector<std::string> Rules(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) out.push_back(f.rule_id);
  return out;
}

std::vector<std::string> RulesOf(const std::string& text, const ReleaseMetadata& md,
                                 const RulePack& pack) {
  return Rules(CheckDocument(Parse(text, pack), md, pack));
}

// B1,1.4(D),B3 CIA; block "Reason: 1.4(D)"; sent September 8, 2009.
std::string B1B3Doc() {
  return testing::ReadFileOrDie(testing::FixturePath("legal/C05764647.txt"));
}
// B1,1.4(B),1.4(D), B5; sent April 26, 2010.
std::string B5Doc() {
  return testing::ReadFileOrDie(testing::FixturePath(
      "sample-release/Clinton_Email_August_Release/C05768760.txt"));
}

TEST(LegalRulesTest, RealB1B3DocumentIsClean) {
  auto pack = StatePack();
  ReleaseMetadata md;
  md.request_date = "2014-03-04";
  for (const std::string& r : RulesOf(B1B3Doc(), md, *pack)) {
    EXPECT_FALSE(r.rfind("b1.", 0) == 0 || r.rfind("b3.", 0) == 0 ||
                 r.rfind("b5.", 0) == 0)
        << r;
  }
}

// Its margin "B3 CIA PERS/ORG" marks cite the CIA Act, and the stamp's list
// goes on after "B3 CIA" / "PERS/ORG,B6": no stamp/mark disagreement left.
TEST(LegalRulesTest, RealB3CiaPersOrgMarksCiteTheCiaAct) {
  auto pack = StatePack();
  const Document doc = Parse(B1B3Doc(), *pack);
  int b3 = 0;
  for (const Mark& m : doc.marks) {
    if (m.code != "(b)(3)") continue;
    ++b3;
    ASSERT_NE(pack->FindStatute(m.qualifier), nullptr) << m.qualifier;
    EXPECT_EQ(pack->FindStatute(m.qualifier)->citation, "50 U.S.C. 3507");
  }
  EXPECT_EQ(b3, 2);
  const auto rules = Rules(CheckDocument(doc, {}, *pack));
  EXPECT_THAT(rules, Not(Contains("b3.statute-missing")));
  EXPECT_THAT(rules, Not(Contains("b3.statute-unknown")));
  EXPECT_THAT(rules, Not(Contains("stamp.code-not-marked")));
  EXPECT_THAT(rules, Not(Contains("mark.code-not-stamped")));
}

TEST(LegalRulesTest, RealDocumentWithBareB3) {
  auto pack = StatePack();
  const std::string text = absl::StrReplaceAll(B1B3Doc(), {{"B3 CIA", "B3    "}});
  EXPECT_THAT(RulesOf(text, {}, *pack), Contains("b3.statute-missing"));
}

TEST(LegalRulesTest, RealDocumentWithUnknownStatute) {
  auto pack = StatePack();
  const std::string text = absl::StrReplaceAll(B1B3Doc(), {{"B3 CIA", "B3 FBI"}});
  const auto rules = RulesOf(text, {}, *pack);
  EXPECT_THAT(rules, Contains("b3.statute-unknown"));
  EXPECT_THAT(rules, Not(Contains("b3.statute-missing")));
}

TEST(LegalRulesTest, RealDocumentWithoutClassificationBlock) {
  auto pack = StatePack();
  std::string text = B1B3Doc();
  const size_t at = text.find("Classified by");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 13, "             ");
  const auto rules = RulesOf(text, {}, *pack);
  EXPECT_TRUE(std::count(rules.begin(), rules.end(), "b1.classification-missing") +
                  std::count(rules.begin(), rules.end(), "b1.classification-incomplete") >
              0);
}

TEST(LegalRulesTest, RealDocumentReasonMarkedButNotInBlock) {
  auto pack = StatePack();
  // The stamp now lists 1.4(B) too; the block keeps only 1.4(D).
  const std::string text =
      absl::StrReplaceAll(B1B3Doc(), {{"B1,1.4(D),B3 CIA", "B1,1.4(B),1.4(D),B3 CIA"}});
  EXPECT_THAT(RulesOf(text, {}, *pack), Contains("b1.reason-not-in-block"));
}

TEST(LegalRulesTest, B5WithinAndBeyondTwentyFiveYears) {
  auto pack = StatePack();
  ReleaseMetadata md;
  md.request_date = "2015-03-04";
  EXPECT_THAT(RulesOf(B5Doc(), md, *pack), Not(Contains("b5.deliberative-process-too-old")));
  md.request_date = "2035-04-26";  // 25 years to the day after Sent:
  const auto findings = CheckDocument(Parse(B5Doc(), *pack), md, *pack);
  EXPECT_THAT(Rules(findings), Contains("b5.deliberative-process-too-old"));
  for (const Finding& f : findings) {
    if (f.rule_id == "b5.deliberative-process-too-old") {
      EXPECT_THAT(f.message, HasSubstr("2010-04-26"));
      EXPECT_THAT(f.message, HasSubstr("Sent: header"));
    }
  }
  md.request_date = "2035-04-25";
  EXPECT_THAT(RulesOf(B5Doc(), md, *pack), Not(Contains("b5.deliberative-process-too-old")));
  // Metadata's document date wins over the Sent: header.
  md.document_date = "1980-01-01";
  EXPECT_THAT(RulesOf(B5Doc(), md, *pack), Contains("b5.deliberative-process-too-old"));
}

// C05776649's first Sent: line reads "Sunday, June 20,1010": an e-mail
// header year before e-mail existed is OCR noise, not a record date, so a
// 2015 request does not make the record 25 years old; a plausible old year
// still does.
TEST(LegalRulesTest, B5IgnoresAnOcrMisreadHeaderYear) {
  auto pack = StatePack();
  ReleaseMetadata md;
  md.request_date = "2015-03-04";
  const std::string misread = absl::StrReplaceAll(
      B5Doc(), {{"Monday, April 26, 2010", "Monday, April 26,1010"}});
  EXPECT_THAT(RulesOf(misread, md, *pack),
              Not(Contains("b5.deliberative-process-too-old")));
  const std::string old = absl::StrReplaceAll(
      B5Doc(), {{"Monday, April 26, 2010", "Monday, April 26, 1986"}});
  EXPECT_THAT(RulesOf(old, md, *pack), Contains("b5.deliberative-process-too-old"));
}

const char kCrafted[] =
    "UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05000001 "
    "Date: 06/30/2015\n"
    "                                                  RELEASE IN PART B1,1.4(D),%CODES%\n"
    "Classified by DAS, A/GIS, DoS on 06/30/2015 - Class: CONFIDENTIAL - Reason: "
    "%REASON% - Declassify on: %DECLASS%\n"
    "From: A\n"
    "Sent: Monday, March 2, 2009 8:00 AM\n"
    "Subject: x\n"
    "Some withheld text here.                                                  B1\n"
    "More withheld text here.                                                  %CODES%\n";

std::string Crafted(const std::string& codes, const std::string& reason,
                    const std::string& declass) {
  return absl::StrReplaceAll(kCrafted, {{"%CODES%", codes},
                                        {"%REASON%", reason},
                                        {"%DECLASS%", declass}});
}

TEST(LegalRulesTest, CraftedDeclassifyDates) {
  auto pack = StatePack();
  EXPECT_THAT(RulesOf(Crafted("B6", "1.4(D)", "03/02/2034"), {}, *pack),
              Not(Contains("b1.declassify-beyond-limit")));
  EXPECT_THAT(RulesOf(Crafted("B6", "1.4(D)", "03/03/2034"), {}, *pack),
              Contains("b1.declassify-beyond-limit"));
  EXPECT_THAT(RulesOf(Crafted("B6", "1.4(D)", "50X1-HUM 03/03/2060"), {}, *pack),
              Not(Contains("b1.declassify-beyond-limit")));
  EXPECT_THAT(RulesOf(Crafted("B6", "1.4(D)", "06/30/2015"), {}, *pack),
              Contains("b1.declassify-before-classified"));
  EXPECT_THAT(RulesOf(Crafted("B6", "1.4(D)", "06/30/2024"), {}, *pack),
              Not(Contains("b1.declassify-before-classified")));
}

TEST(LegalRulesTest, CraftedBlockReasonNotMarkedAndLegacyNumbering) {
  auto pack = StatePack();
  EXPECT_THAT(RulesOf(Crafted("B6", "1.4(B), 1.4(D)", "06/30/2024"), {}, *pack),
              Contains("b1.block-reason-not-marked"));
  EXPECT_THAT(RulesOf(Crafted("B6", "1.4(D)", "06/30/2024"), {}, *pack),
              Not(Contains("b1.block-reason-not-marked")));
  const auto legacy = RulesOf(Crafted("B6", "1.5(D)", "06/30/2024"), {}, *pack);
  EXPECT_THAT(legacy, Contains("b1.legacy-reason"));
  EXPECT_THAT(legacy, Not(Contains("b1.reason-not-in-block")));
}

TEST(LegalRulesTest, CraftedB7NeedsSubpart) {
  auto pack = StatePack();
  EXPECT_THAT(RulesOf(Crafted("B7", "1.4(D)", "06/30/2024"), {}, *pack),
              Contains("b7.subpart-missing"));
  EXPECT_THAT(RulesOf(Crafted("B7(C)", "1.4(D)", "06/30/2024"), {}, *pack),
              Not(Contains("b7.subpart-missing")));
}

TEST(LegalRulesTest, ReleaseMetadataAgainstStampMarksAndPages) {
  auto pack = StatePack();
  const std::string text = B1B3Doc();
  ReleaseMetadata md;
  md.disposition = Disposition::kPart;
  // Stamp: B1,1.4(D),B3 CIA; B6 is marked in the body (not stamped).
  md.claimed_exemptions = {"B1", "B3 CIA", "B6"};
  md.page_count = Parse(text, *pack).page_count();
  const auto clean = RulesOf(text, md, *pack);
  EXPECT_THAT(clean, Not(Contains("metadata.disposition-mismatch")));
  EXPECT_THAT(clean, Not(Contains("metadata.claimed-exemption-not-applied")));
  EXPECT_THAT(clean, Not(Contains("metadata.applied-exemption-not-claimed")));
  EXPECT_THAT(clean, Not(Contains("metadata.page-count-mismatch")));

  md.disposition = Disposition::kFull;
  md.claimed_exemptions = {"B1", "B5", "B6"};
  md.page_count += 1;
  const auto bad = RulesOf(text, md, *pack);
  EXPECT_THAT(bad, Contains("metadata.disposition-mismatch"));
  EXPECT_THAT(bad, Contains("metadata.claimed-exemption-not-applied"));  // B5
  EXPECT_THAT(bad, Contains("metadata.applied-exemption-not-claimed"));  // B3
  EXPECT_THAT(bad, Contains("metadata.page-count-mismatch"));
}

TEST(LegalRulesTest, CustomPatternSeverityDisableAndSuppression) {
  const std::string dir = testing::MakeTempDir();
  const std::string base = testing::SourcePath("rules/state/pack.textproto");
  std::ofstream(dir + "/pack.textproto")
      << "imports: \"" << base << "\"\n"
      << "patterns { id: \"custom.codeword\" pattern: \"\\\\bchief of military "
         "intelligence\\\\b\" ignore_case: true message: \"codeword visible\" }\n"
      << "rules { id: \"b1.block-reason-not-marked\" enabled: false }\n"
      << "rules { id: \"custom.codeword\" severity: WARNING }\n";
  auto pack = RulePack::LoadFolder(dir);
  ASSERT_TRUE(pack.ok()) << pack.status();
  const auto findings = CheckDocument(Parse(B1B3Doc(), **pack), {}, **pack);
  std::string fingerprint;
  for (const Finding& f : findings) {
    EXPECT_NE(f.rule_id, "b1.block-reason-not-marked");
    if (f.rule_id == "custom.codeword") {
      EXPECT_EQ(f.severity, Severity::kWarning);
      EXPECT_THAT(f.message, HasSubstr("codeword visible"));
      EXPECT_EQ(f.line, 36);
      fingerprint = f.fingerprint;
    }
  }
  ASSERT_FALSE(fingerprint.empty());
  std::ofstream(dir + "/suppress.textproto")
      << "suppressions { fingerprint: \"" << fingerprint
      << "\" reason: \"public name, cleared by the reviewer\" }\n";
  auto suppressed = RulePack::LoadFolder(dir);
  ASSERT_TRUE(suppressed.ok()) << suppressed.status();
  EXPECT_THAT(Rules(CheckDocument(Parse(B1B3Doc(), **suppressed), {}, **suppressed)),
              Not(Contains("custom.codeword")));
}

TEST(LegalRulesTest, FingerprintsOfARealDocumentSurviveALineAddedAtTheTop) {
  auto pack = StatePack();
  ReleaseMetadata md;
  md.case_number = "F-2014-20439";
  md.doc_number = "C05764647";
  md.request_date = "2040-01-01";  // b5 would not fire: no B5; keeps dates in play
  for (const std::string& text :
       {B1B3Doc(), testing::ReadFileOrDie(testing::FixturePath("pii/C05765911.txt")),
        B5Doc()}) {
    const auto before = CheckDocument(Parse(text, *pack), md, *pack);
    const auto after = CheckDocument(Parse("\n" + text, *pack), md, *pack);
    ASSERT_FALSE(before.empty());
    std::vector<std::string> a, b;
    for (const Finding& f : before) a.push_back(f.rule_id + " " + f.fingerprint);
    for (const Finding& f : after) b.push_back(f.rule_id + " " + f.fingerprint);
    EXPECT_EQ(a, b);
    EXPECT_EQ(after[0].line, before[0].line + (before[0].line > 0 ? 1 : 0));
  }
}

}  // namespace
}  // namespace ra
