// The report writers on hand-made data.
#include "format/report.h"

#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ra::cli {
namespace {

namespace v1 = ::redaction_audit::v1;
using ::testing::HasSubstr;
using ::testing::Not;

v1::Finding MakeFinding(const std::string& doc, int id, const std::string& rule,
                        v1::Severity severity, v1::FindingStatus status, int line) {
  v1::Finding f;
  f.set_name("cases/F-1/documents/" + doc + "/findings/" + std::to_string(id));
  f.set_rule(rule);
  f.set_severity(severity);
  f.set_status(status);
  f.set_message("stamp cites (b)(5) & <never> marks it");
  f.mutable_location()->set_page(1);
  f.mutable_location()->set_line(line);
  f.mutable_location()->set_column(4);
  f.mutable_location()->set_length(2);
  f.set_evidence("B5");
  f.set_fingerprint("fp" + std::to_string(id));
  f.set_release("June");
  f.set_file_name("release/" + doc + ".txt");
  return f;
}

ReportData Sample() {
  ReportData d;
  d.title = "case F-1";
  d.generated = "2026-11-28T03:00:00Z";
  d.pack = "default@1";
  v1::Rule r;
  r.set_id("stamp.code-not-marked");
  r.set_severity(v1::ERROR);
  r.set_enabled(true);
  r.set_description("A code in the stamp is never marked.");
  d.rules.push_back(r);
  ReportDocument a{"C1", "F-1", "release/C1.txt", "June", "PART", {"(b)(5)", "(b)(6)"},
                   {{"(b)(6)", 2}}, true, ""};
  ReportDocument b{"C2", "F-1", "release/C2.txt", "June", "FULL", {}, {}, true, ""};
  ReportDocument c{"C3", "F-1", "release/C3.txt", "", "", {}, {}, false, "C3.txt: empty"};
  d.documents = {a, b, c};
  d.findings = {
      MakeFinding("C1", 1, "stamp.code-not-marked", v1::ERROR, v1::OPEN, 5),
      MakeFinding("C1", 2, "stamp.code-not-marked", v1::ERROR, v1::WAIVED, 0),
      MakeFinding("C2", 3, "header.other", v1::WARNING, v1::OPEN, 7),
      MakeFinding("C2", 4, "stamp.code-not-marked", v1::ERROR, v1::FIXED, 9),
  };
  d.notes[d.findings[1].name()] = "printed on the margin";
  return d;
}

TEST(ReportTest, SuppressionAndFailing) {
  ReportData d = Sample();
  EXPECT_TRUE(IsFailing(d, d.findings[0]));
  EXPECT_EQ(SuppressionOf(d, d.findings[1]), "waived");
  EXPECT_FALSE(IsFailing(d, d.findings[2]));  // warning below --fail-on error
  EXPECT_EQ(SuppressionOf(d, d.findings[3]), "fixed");
  d.baseline.insert(BaselineKey(d.findings[0]));
  EXPECT_EQ(BaselineKey(d.findings[0]), "F-1/C1 fp1");
  EXPECT_EQ(SuppressionOf(d, d.findings[0]), "baseline");
  EXPECT_FALSE(IsFailing(d, d.findings[0]));
  d.fail_on = v1::WARNING;
  EXPECT_TRUE(IsFailing(d, d.findings[2]));
}

TEST(ReportTest, XmlEscapeHandlesMarkupControlAndBadUtf8) {
  EXPECT_EQ(XmlEscape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
  EXPECT_EQ(XmlEscape(std::string("x\x01y", 3)), "x y");
  EXPECT_EQ(XmlEscape("caf\xE9"), "caf\xEF\xBF\xBD");
  EXPECT_EQ(XmlEscape("caf\xC3\xA9"), "caf\xC3\xA9");
}

TEST(ReportTest, SarifHasRulesRegionsFingerprintsAndSuppressions) {
  std::ostringstream out;
  WriteSarif(Sample(), "0.1.0", out);
  const std::string s = out.str();
  EXPECT_THAT(s, HasSubstr("\"version\":\"2.1.0\""));
  EXPECT_THAT(s, HasSubstr("\"help\":{\"text\":\"A code in the stamp is never marked."));
  EXPECT_THAT(s, HasSubstr("\"uri\":\"release/C1.txt\",\"uriBaseId\":\"%SRCROOT%\""));
  EXPECT_THAT(s, HasSubstr("\"startLine\":5,\"startColumn\":5,\"endColumn\":7"));
  EXPECT_THAT(s, HasSubstr("\"partialFingerprints\":{\"redactionAudit/v1\":\"F-1/C1 fp1\"}"));
  EXPECT_THAT(s, HasSubstr("\"justification\":\"reviewed as waived: printed on the margin\""));
  // Document-level findings point at line 1; fixed ones are left out; a rule
  // not in the pack is added so every ruleIndex resolves.
  EXPECT_THAT(s, HasSubstr("\"region\":{\"startLine\":1,\"snippet\""));
  EXPECT_THAT(s, Not(HasSubstr("findings/4\"")));
  EXPECT_THAT(s, HasSubstr("\"id\":\"header.other\""));
  EXPECT_THAT(s, HasSubstr("\"ruleIndex\":1"));
}

TEST(ReportTest, JUnitHasATestcasePerDocument) {
  std::ostringstream out;
  WriteJUnit(Sample(), out);
  const std::string x = out.str();
  EXPECT_THAT(x, HasSubstr("<testsuites name=\"redaction-audit case F-1\" tests=\"3\" "
                           "failures=\"1\" errors=\"1\">"));
  EXPECT_THAT(x, HasSubstr("<testcase classname=\"cases.F-1\" name=\"C1\" file=\"release/C1.txt\">"));
  EXPECT_THAT(x, HasSubstr("<failure message=\"1 finding(s) at or above error\""));
  EXPECT_THAT(x, HasSubstr("&amp; &lt;never&gt;"));
  EXPECT_THAT(x, HasSubstr("<error message=\"C3.txt: empty\" type=\"rejected\"/>"));
  EXPECT_THAT(x, HasSubstr("<testsuite name=\"case F-1\""));  // C3 has no release
}

TEST(ReportTest, MarkdownListsFailingFirst) {
  std::ostringstream out;
  WriteMarkdown(Sample(), out);
  const std::string m = out.str();
  EXPECT_THAT(m, HasSubstr("**Failed**: 1 finding(s) at or above **error**"));
  EXPECT_THAT(m, HasSubstr("1 document(s) rejected"));
  EXPECT_LT(m.find("| ❌ | error"), m.find("| ✔️ |"));
  EXPECT_THAT(m, HasSubstr("&amp; &lt;never&gt;"));
}

TEST(ReportTest, HtmlIsSelfContainedWithChartsAndTable) {
  std::ostringstream out;
  WriteHtml(Sample(), out);
  const std::string h = out.str();
  for (const char* id : {"chart-rules", "chart-review", "chart-exemptions-release",
                         "chart-exemptions-documents", "findings", "filter-text"}) {
    EXPECT_THAT(h, HasSubstr(std::string("id=\"") + id + "\"")) << id;
  }
  EXPECT_THAT(h, Not(HasSubstr("src=")));
  EXPECT_THAT(h, Not(HasSubstr("<link")));
  size_t rows = 0;
  for (size_t at = h.find("<tr class="); at != std::string::npos; at = h.find("<tr class=", at + 1)) {
    ++rows;
  }
  EXPECT_EQ(rows, 4u);
  EXPECT_THAT(h, HasSubstr("printed on the margin"));
  EXPECT_THAT(h, HasSubstr(">FAIL<"));
  // (b)(5) is cited in C1's stamp but never marked: an amber cell.
  EXPECT_THAT(h, HasSubstr("C1 (b)(5): in stamp, 0 mark(s)"));
}

TEST(ReportTest, ExemptionUseByReleaseAndDocument) {
  ReportData data = Sample();
  ReportDocument d{"C4", "F-1", "release/C4.txt", "July", "PART", {"(b)(6)"},
                   {{"(b)(6)", 1}, {"(b)(7)(C)", 1}}, true, ""};
  data.documents.push_back(d);
  const ExemptionUse use = SummarizeExemptions(data);
  EXPECT_THAT(use.codes, ::testing::ElementsAre("(b)(5)", "(b)(6)", "(b)(7)(C)"));
  ASSERT_EQ(use.releases.size(), 2u);  // C3's codes are unknown
  EXPECT_EQ(use.releases[0].name, "July");
  EXPECT_EQ(use.releases[1].name, "June");
  EXPECT_EQ(use.releases[1].documents, 2);
  EXPECT_EQ(use.releases[1].citing.at("(b)(6)"), 1);
  EXPECT_EQ(use.releases[1].marks.at("(b)(6)"), 2);
  EXPECT_EQ(use.documents.size(), 3u);

  const std::string json = ExemptionUseJson(use);
  EXPECT_THAT(json, HasSubstr("{\"release\":\"June\",\"documents\":2,"
                              "\"citing\":{\"(b)(5)\":1,\"(b)(6)\":1},"
                              "\"marks\":{\"(b)(6)\":2}}"));
  EXPECT_THAT(json, HasSubstr("{\"document\":\"C4\",\"case\":\"F-1\",\"release\":"
                              "\"July\",\"disposition\":\"PART\",\"stamp_codes\":"
                              "[\"(b)(6)\"],\"marks\":{\"(b)(6)\":1,\"(b)(7)(C)\":1}}"));
  EXPECT_THAT(json, Not(HasSubstr("\"C3\"")));

  std::ostringstream md;
  WriteMarkdown(data, md);
  EXPECT_THAT(md.str(), HasSubstr("| release | documents | (b)(5) | (b)(6) | (b)(7)(C) |"));
  EXPECT_THAT(md.str(), HasSubstr("| June | 2 | 1 / 0 | 1 / 2 | 0 / 0 |"));
  EXPECT_THAT(md.str(), HasSubstr("| C1 | June | (b)(5), (b)(6) | (b)(6) \u00d72 |"));
}

TEST(ReportTest, HtmlSaysWhenExemptionUseIsUnknown) {
  ReportData data = Sample();
  for (ReportDocument& d : data.documents) d.parsed = false;  // stored before schema 3
  std::ostringstream out;
  WriteHtml(data, out);
  EXPECT_THAT(out.str(), HasSubstr("id=\"exemptions-unknown\""));
  EXPECT_THAT(out.str(), Not(HasSubstr("id=\"chart-exemptions-release\"")));
  std::ostringstream md;
  WriteMarkdown(data, md);
  EXPECT_THAT(md.str(), Not(HasSubstr("Exemption use")));
}

TEST(ReportTest, ReportDocumentFromTheStore) {
  v1::DocumentExemptions d;
  d.set_document("cases/F-1/documents/C9");
  d.set_release("June");
  d.set_file_name("release/C9.txt");
  d.set_disposition(v1::PART);
  d.set_known(true);
  d.add_stamp_codes("(b)(5)");
  v1::CountByKey* marks = d.add_marks_by_code();
  marks->set_key("(b)(5)");
  marks->set_count(3);
  const ReportDocument r = FromDocumentExemptions(d);
  EXPECT_EQ(r.doc_number, "C9");
  EXPECT_EQ(r.case_number, "F-1");
  EXPECT_EQ(r.file, "release/C9.txt");
  EXPECT_EQ(r.disposition, "PART");
  EXPECT_TRUE(r.parsed);
  EXPECT_THAT(r.stamp_codes, ::testing::ElementsAre("(b)(5)"));
  EXPECT_EQ(r.marks_by_code.at("(b)(5)"), 3);
  d.set_known(false);
  EXPECT_FALSE(FromDocumentExemptions(d).parsed);
}

}  // namespace
}  // namespace ra::cli
