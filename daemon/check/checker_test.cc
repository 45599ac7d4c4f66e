#include "check/checker.h"

#include <fstream>
#include <memory>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pack/rule_catalog.h"
#include "testing/testing.h"

namespace ra {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::shared_ptr<const RulePack> StatePack() {
  auto pack = RulePack::LoadFolder(testing::SourcePath("rules/state"));
  EXPECT_TRUE(pack.ok()) << pack.status();
  return *pack;
}

Mark MakeMark(const RulePack& pack, std::string printed, int line) {
  Mark m;
  m.line = line;
  m.page = 1;
  m.printed = printed;
  m.length = static_cast<int>(printed.size());
  if (const CodeMatch* match = pack.Lookup(printed)) {
    m.code = match->code;
    m.ocr_variant = match->ocr_variant;
  } else {
    m.suggestion = pack.Suggest(printed);
  }
  return m;
}

// A minimal document: a stamp with `stamp_codes` and marks at lines 20, 21...
Document MakeDoc(const RulePack& pack, Disposition d,
                 std::vector<std::string> stamp_codes,
                 std::vector<std::string> marks) {
  Document doc;
  doc.pages.push_back({1, 1, 100});
  doc.stamp.disposition = d;
  doc.stamp.line = d == Disposition::kNone ? 0 : 5;
  for (const auto& c : stamp_codes) doc.stamp.codes.push_back(MakeMark(pack, c, 6));
  int line = 20;
  for (const auto& c : marks) doc.marks.push_back(MakeMark(pack, c, line++));
  return doc;
}

std::vector<std::string> Rules(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) out.push_back(f.rule_id);
  return out;
}

TEST(CheckerTest, StampAndMarksRulesTable) {
  auto pack = StatePack();
  struct Case {
    const char* name;
    Disposition disposition;
    std::vector<std::string> stamp, marks;
    std::vector<std::string> expected_rules;
  } cases[] = {
      {"consistent", Disposition::kPart, {"B6"}, {"B6", "B6"}, {}},
      {"list spellings", Disposition::kPart, {"B1", "1.4(D)"}, {"1.4(D)", "B1"},
       {"b1.classification-missing"}},
      {"marked not stamped", Disposition::kPart, {"B6"}, {"B6", "B5"},
       {"mark.code-not-stamped"}},
      {"stamped not marked", Disposition::kPart, {"B5", "B6"}, {"B6"},
       {"stamp.code-not-marked"}},
      {"full with marks", Disposition::kFull, {}, {"B6"}, {"stamp.full-with-marks"}},
      {"full clean", Disposition::kFull, {}, {}, {}},
      {"part without codes", Disposition::kPart, {}, {},
       {"stamp.part-without-codes"}},
      {"no stamp", Disposition::kNone, {}, {}, {"stamp.missing"}},
      {"unknown code", Disposition::kPart, {"B6"}, {"B6", "B66"},
       {"mark.unknown-code"}},
      {"ocr variant counts as its code", Disposition::kPart, {"B5"}, {"BS"},
       {"mark.unknown-code"}},
  };
  for (const Case& c : cases) {
    Document doc = MakeDoc(*pack, c.disposition, c.stamp, c.marks);
    EXPECT_EQ(Rules(CheckDocument(doc, {}, *pack)), c.expected_rules) << c.name;
  }
}

TEST(CheckerTest, UnknownCodeSuggestsNearestKnownCode) {
  auto pack = StatePack();
  Document doc = MakeDoc(*pack, Disposition::kPart, {"B5"}, {"BS", "B66"});
  auto findings = CheckDocument(doc, {}, *pack);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_THAT(findings[0].message, HasSubstr("\"BS\""));
  EXPECT_THAT(findings[0].message, HasSubstr("did you mean (b)(5)?"));
  EXPECT_THAT(findings[1].message, HasSubstr("did you mean B6?"));
  EXPECT_EQ(findings[1].line, 21);
  EXPECT_EQ(findings[1].severity, Severity::kError);
}

TEST(CheckerTest, HeadersAgainstMetadataNamePage) {
  auto pack = StatePack();
  Document doc = MakeDoc(*pack, Disposition::kFull, {}, {});
  doc.pages = {{1, 1, 40}, {2, 41, 80}};
  doc.page_headers = {{1, 1, "F-2014-20439", "C05761411", "06/30/2015"},
                      {2, 41, "F-2014-20440", "C05761411", "06/30/2015"}};
  ReleaseMetadata md;
  md.case_number = "F-2014-20439";
  md.doc_number = "C05761411";
  md.release_date = "2015-06-30";
  auto findings = CheckDocument(doc, md, *pack);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule_id, rule_id::kCaseMismatch);
  EXPECT_EQ(findings[0].page, 2);
  EXPECT_EQ(findings[0].line, 41);
  EXPECT_THAT(findings[0].message, HasSubstr("\"F-2014-20440\" on page 2"));

  md.release_date = "2015-07-31";
  findings = CheckDocument(doc, md, *pack);
  EXPECT_EQ(Rules(findings),
            (std::vector<std::string>{"metadata.release-date-mismatch",
                                      "metadata.case-number-mismatch"}));
}

TEST(CheckerTest, OcrLookAlikeHeaderValuesAreInfoNotError) {
  auto pack = StatePack();
  Document doc = MakeDoc(*pack, Disposition::kFull, {}, {});
  doc.page_headers = {{1, 1, "F-2014-20439", "CO5769584", "06;30/2015"},
                      {1, 60, "V-2014-20439", "C05769584", "68/30/2015"},
                      {1, 90, "F-2014-20440", "C05769584", "06/30/2015"}};
  ReleaseMetadata md;
  md.case_number = "F-2014-20439";
  md.doc_number = "C05769584";
  md.release_date = "2015-06-30";
  auto findings = CheckDocument(doc, md, *pack);
  // A changed digit ("68/30/2015", "F-2014-20440") is an error; look-alike
  // characters and a misread letter prefix are OCR variants.
  EXPECT_EQ(Rules(findings),
            (std::vector<std::string>{"metadata.header-ocr-variant",
                                      "metadata.header-ocr-variant",
                                      "metadata.header-ocr-variant",
                                      "metadata.release-date-mismatch",
                                      "metadata.case-number-mismatch"}));
  EXPECT_EQ(findings[0].severity, Severity::kInfo);
  EXPECT_THAT(findings[0].message, HasSubstr("likely OCR"));
}

TEST(CheckerTest, HeadersDisagreeWithoutMetadata) {
  auto pack = StatePack();
  Document doc = MakeDoc(*pack, Disposition::kFull, {}, {});
  doc.pages = {{1, 1, 40}, {2, 41, 80}};
  doc.page_headers = {{1, 1, "F-2014-20439", "C1", "06/30/2015"},
                      {2, 41, "F-2014-20439", "C2", "06/30/2015"}};
  auto findings = CheckDocument(doc, {}, *pack);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule_id, rule_id::kHeadersDisagree);
  EXPECT_THAT(findings[0].message, HasSubstr("\"C1\" on page 1; \"C2\" on page 2"));
}

TEST(CheckerTest, FingerprintsSurviveLineShifts) {
  auto pack = StatePack();
  Document a = MakeDoc(*pack, Disposition::kPart, {"B6"}, {"B6", "B5", "B66"});
  Document b = a;
  for (Mark& m : b.marks) m.line += 7;
  auto fa = CheckDocument(a, {}, *pack);
  auto fb = CheckDocument(b, {}, *pack);
  ASSERT_EQ(fa.size(), fb.size());
  for (size_t i = 0; i < fa.size(); ++i) {
    EXPECT_EQ(fa[i].fingerprint, fb[i].fingerprint);
    EXPECT_NE(fa[i].line, fb[i].line);
  }
  // Two unknown codes with the same spelling get distinct fingerprints.
  Document c = MakeDoc(*pack, Disposition::kPart, {"B6"}, {"B6", "B66", "B66"});
  auto fc = CheckDocument(c, {}, *pack);
  ASSERT_EQ(fc.size(), 2u);
  EXPECT_NE(fc[0].fingerprint, fc[1].fingerprint);
}

TEST(CheckerTest, DisabledRuleAndSeverityOverrideComeFromPack) {
  const std::string dir = testing::MakeTempDir();
  {
    std::ofstream out(dir + "/p.textproto");
    out << "imports: \"" << testing::SourcePath("rules/state/pack.textproto")
        << "\"\nrules { id: \"stamp.missing\" enabled: false }\n"
           "rules { id: \"stamp.full-with-marks\" severity: INFO }\n";
  }
  auto pack = RulePack::LoadFolder(dir);
  ASSERT_TRUE(pack.ok()) << pack.status();
  EXPECT_THAT(CheckDocument(MakeDoc(**pack, Disposition::kNone, {}, {}), {}, **pack),
              IsEmpty());
  auto findings =
      CheckDocument(MakeDoc(**pack, Disposition::kFull, {}, {"B6"}), {}, **pack);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, Severity::kInfo);
}

}  // namespace
}  // namespace ra
