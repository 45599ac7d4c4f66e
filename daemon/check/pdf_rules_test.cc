#include "check/pdf_rules.h"

#include <memory>

#include "check/checker.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pack/rule_catalog.h"
#include "testing/testing.h"

namespace ra {
namespace {

using ::testing::HasSubstr;

std::shared_ptr<const RulePack> StatePack() {
  auto pack = RulePack::LoadFolder(testing::SourcePath("rules/state"));
  EXPECT_TRUE(pack.ok()) << pack.status();
  return *std::move(pack);
}

HiddenText Hidden(std::string text, int line, bool margin = false) {
  HiddenText h;
  h.spot = TextSpot{1, line, 9, static_cast<int>(text.size())};
  h.box = PdfRect{72, 160, 90, 15};
  h.text = std::move(text);
  h.in_margin = margin;
  return h;
}

std::vector<Finding> FindingsOf(const PdfAnalysis& pdf, std::string_view rule) {
  Document doc;
  doc.pdf = pdf;
  std::vector<Finding> out;
  for (Finding& f : CheckDocument(doc, ReleaseMetadata{}, *StatePack())) {
    if (f.rule_id == rule) out.push_back(std::move(f));
  }
  return out;
}

TEST(PdfRules, TextUnderBoxReportsRecoverableText) {
  PdfAnalysis pdf;
  pdf.hidden_text = {Hidden("John Smith", 12)};
  const auto f = FindingsOf(pdf, rule_id::kPdfTextUnderBox);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_EQ(f[0].line, 12);
  EXPECT_EQ(f[0].column, 9);
  EXPECT_EQ(f[0].evidence, "John Smith");
  EXPECT_THAT(f[0].message, HasSubstr("x 72, y 160, 90 x 15 pt"));
}

TEST(PdfRules, PagesNotRenderedInTimeAreNamed) {
  PdfAnalysis pdf;
  EXPECT_TRUE(FindingsOf(pdf, rule_id::kPdfBoxesNotChecked).empty());
  pdf.unchecked = UncheckedPages{3, 12, "rendering page 3 exceeded the 5 s budget"};
  auto f = FindingsOf(pdf, rule_id::kPdfBoxesNotChecked);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_EQ(f[0].page, 3);
  EXPECT_EQ(f[0].message,
            "rendering page 3 exceeded the 5 s budget; text under boxes not "
            "checked on pages 3-12");
  pdf.unchecked = UncheckedPages{1, 1, "the page renderer was killed by signal 11 "
                                       "(Segmentation fault) on page 1"};
  f = FindingsOf(pdf, rule_id::kPdfBoxesNotChecked);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].message, HasSubstr("on page 1; text under boxes not checked on page 1"));
}

TEST(PdfRules, FillersMarginsAndDatesAreNotLeaks) {
  PdfAnalysis pdf;
  pdf.hidden_text = {Hidden("XXXXXXXX", 3), Hidden("[REDACTED]", 4),
                     Hidden("withheld", 5), Hidden("Agency Header", 1, true),
                     Hidden("06/30/2015", 8)};
  EXPECT_TRUE(FindingsOf(pdf, rule_id::kPdfTextUnderBox).empty());
  // A date among real hits is reported with them.
  pdf.hidden_text.push_back(Hidden("Maria Delgado", 9));
  EXPECT_EQ(FindingsOf(pdf, rule_id::kPdfTextUnderBox).size(), 2u);
}

TEST(PdfRules, FillerAndDateRecognisers) {
  EXPECT_TRUE(IsRedactionFiller("XXXX XXXX"));
  EXPECT_TRUE(IsRedactionFiller("****"));
  EXPECT_TRUE(IsRedactionFiller("\xE2\x96\x88\xE2\x96\x88"));  // full blocks
  EXPECT_FALSE(IsRedactionFiller("Rex"));
  EXPECT_FALSE(IsRedactionFiller("202-555-0147"));
  EXPECT_TRUE(IsDate("March 3, 2009"));
  EXPECT_TRUE(IsDate("2015-06-30"));
  EXPECT_TRUE(IsDate("30 June 2015"));
  EXPECT_FALSE(IsDate("202-555-0147"));
  EXPECT_FALSE(IsDate("John Smith"));
}

TEST(PdfRules, AnnotationMetadataEmbeddedOutline) {
  PdfAnalysis pdf;
  pdf.visible_text = "memo on the talks contact ";
  RedactAnnotation r;
  r.page = 1;
  r.text_under = "Peter Okafor";
  r.spot = TextSpot{1, 5, 9, 5};
  pdf.redact_annotations = {r};
  pdf.metadata = {{"Info", "Title", "Memo on the talks"},
                  {"Info", "Keywords", "Peter Okafor"}};
  pdf.embedded_files = {{"original.docx", 1200}};
  pdf.outline = {{"Memo", 0}, {"Okafor interview", 1}};
  const auto a = FindingsOf(pdf, rule_id::kPdfUnappliedRedaction);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].line, 5);
  EXPECT_THAT(a[0].message, HasSubstr("\"Peter Okafor\""));
  const auto m = FindingsOf(pdf, rule_id::kPdfMetadataText);
  ASSERT_EQ(m.size(), 1u);  // the title is printed on the page
  EXPECT_EQ(m[0].evidence, "Peter Okafor");
  EXPECT_EQ(m[0].severity, Severity::kWarning);
  ASSERT_EQ(FindingsOf(pdf, rule_id::kPdfEmbeddedFile).size(), 1u);
  const auto o = FindingsOf(pdf, rule_id::kPdfOutlineText);
  ASSERT_EQ(o.size(), 1u);
  EXPECT_EQ(o[0].evidence, "Okafor interview");
}

TEST(PdfRules, TextDocumentsGetNoPdfFindings) {
  Document doc;
  for (const Finding& f : CheckDocument(doc, ReleaseMetadata{}, *StatePack())) {
    EXPECT_NE(f.rule_id.rfind("pdf.", 0), 0u) << f.rule_id;
  }
}

}  // namespace
}  // namespace ra
