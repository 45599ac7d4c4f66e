#include "ingest/pdf.h"

#include <chrono>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest/ingest.h"
#include "ingest/pdf_layout.h"
#include "ingest/pdf_metadata.h"
#include "testing/testing.h"

namespace ra {
namespace {

using ::testing::HasSubstr;
using ::ra::testing::FixturePath;
using ::ra::testing::ReadFileOrDie;
using ::ra::testing::StatusIs;

constexpr char kCia[] = "pdf/cia_cib_C02733122_released_2019.pdf";
constexpr char kDhs[] =
    "pdf/dhs_ice_cbp_form_I-213_2019-ICLI-00003_3866f3-1789-1791.pdf";

TEST(LooksLikePdf, Signature) {
  EXPECT_TRUE(LooksLikePdf("%PDF-1.4\n..."));
  EXPECT_TRUE(LooksLikePdf("\n\n%PDF-1.7"));
  EXPECT_FALSE(LooksLikePdf("RELEASE IN PART B6\n"));
  EXPECT_FALSE(LooksLikePdf(""));
}

TEST(ExtractPdf, RealReleasePagesAndText) {
  const std::string bytes = ReadFileOrDie(FixturePath(kDhs));
  auto pdf = ExtractPdf("dhs.pdf", bytes, PdfLimits{});
  ASSERT_TRUE(pdf.ok()) << pdf.status();
  EXPECT_EQ(pdf->analysis.page_count, 3);
  // Form feeds separate the pages, as pdftotext writes them.
  EXPECT_EQ(std::count(pdf->text.begin(), pdf->text.end(), '\f'), 2);
  EXPECT_THAT(pdf->text, HasSubstr("(b)(6)"));
  EXPECT_THAT(pdf->text, HasSubstr("Deportable"));
}

PdfLimits WithHelper(std::chrono::milliseconds budget) {
  PdfLimits limits;
  limits.render_helper = RA_RENDER_HELPER;
  limits.render_budget = budget;
  return limits;
}

TEST(ExtractPdf, HelperRendersAsTheDaemonDoes) {
  const std::string bytes = ReadFileOrDie(FixturePath(kDhs));
  auto local = ExtractPdf("dhs.pdf", bytes, PdfLimits{});
  auto helped = ExtractPdf("dhs.pdf", bytes, WithHelper(std::chrono::seconds(30)));
  ASSERT_TRUE(local.ok()) << local.status();
  ASSERT_TRUE(helped.ok()) << helped.status();
  EXPECT_FALSE(helped->analysis.unchecked.has_value());
  EXPECT_EQ(helped->text, local->text);
  EXPECT_EQ(helped->analysis.visible_text, local->analysis.visible_text);
  ASSERT_EQ(helped->analysis.box_labels.size(), local->analysis.box_labels.size());
  EXPECT_FALSE(helped->analysis.box_labels.empty());
  for (size_t i = 0; i < local->analysis.box_labels.size(); ++i) {
    EXPECT_EQ(helped->analysis.box_labels[i].text, local->analysis.box_labels[i].text);
  }
  EXPECT_EQ(helped->analysis.hidden_text.size(), local->analysis.hidden_text.size());
}

// The fuzzer's corrupt JBIG2 page renders for minutes: cut at the budget,
// the text is still read.
TEST(ExtractPdf, SlowRenderingIsCutAtTheBudget) {
  const std::string bytes =
      ReadFileOrDie(::ra::testing::SourcePath("tests/fuzz/found/pdf-jbig2-slow-8ec330c3.pdf"));
  auto pdf = ExtractPdf("slow.pdf", bytes, WithHelper(std::chrono::milliseconds(500)));
  ASSERT_TRUE(pdf.ok()) << pdf.status();
  ASSERT_TRUE(pdf->analysis.unchecked.has_value());
  EXPECT_EQ(pdf->analysis.unchecked->first_page, 1);
  EXPECT_EQ(pdf->analysis.unchecked->last_page, 1);
  EXPECT_EQ(pdf->analysis.unchecked->reason,
            "rendering page 1 exceeded the 0.5 s budget");
  EXPECT_FALSE(pdf->text.empty());
}

// A renderer that dies (here one that exits at once) costs the box check,
// not the document.
TEST(ExtractPdf, RendererThatDiesIsReported) {
  const std::string bytes = ReadFileOrDie(FixturePath(kDhs));
  PdfLimits limits = WithHelper(std::chrono::seconds(30));
  limits.render_helper = "/bin/false";
  auto pdf = ExtractPdf("dhs.pdf", bytes, limits);
  ASSERT_TRUE(pdf.ok()) << pdf.status();
  ASSERT_TRUE(pdf->analysis.unchecked.has_value());
  EXPECT_EQ(pdf->analysis.unchecked->first_page, 1);
  EXPECT_EQ(pdf->analysis.unchecked->last_page, 3);
  EXPECT_EQ(pdf->analysis.unchecked->reason,
            "the page renderer exited with status 1 on page 1");
  EXPECT_THAT(pdf->text, HasSubstr("Deportable"));
}

TEST(ExtractPdf, MissingHelperIsUnavailable) {
  const std::string bytes = ReadFileOrDie(FixturePath(kDhs));
  PdfLimits limits;
  limits.render_helper = "/nonexistent/redaction-audit-render";
  auto pdf = ExtractPdf("dhs.pdf", bytes, limits);
  EXPECT_THAT(pdf, StatusIs(absl::StatusCode::kUnavailable,
                            "dhs.pdf: text under boxes cannot be checked"));
}

TEST(ExtractPdf, CiaScanWithOcrLayer) {
  const std::string bytes = ReadFileOrDie(FixturePath(kCia));
  auto pdf = ExtractPdf("cia.pdf", bytes, PdfLimits{});
  ASSERT_TRUE(pdf.ok()) << pdf.status();
  EXPECT_GT(pdf->analysis.page_count, 1);
  EXPECT_THAT(pdf->text, HasSubstr("3.5(c)"));
  EXPECT_THAT(pdf->text, HasSubstr("Approved for Release"));
}

TEST(ExtractPdf, TruncatedIsRefused) {
  const std::string bytes = ReadFileOrDie(FixturePath(kDhs));
  auto pdf = ExtractPdf("cut.pdf", bytes.substr(0, bytes.size() / 2), PdfLimits{});
  EXPECT_THAT(pdf, StatusIs(absl::StatusCode::kInvalidArgument,
                            "cut.pdf: truncated PDF"));
}

TEST(ExtractPdf, GarbageIsMalformed) {
  std::string bytes = "%PDF-1.4\n";
  for (int i = 0; i < 3000; ++i) bytes += static_cast<char>((i * 7919) % 251);
  bytes += "\n%%EOF\n";
  auto pdf = ExtractPdf("junk.pdf", bytes, PdfLimits{});
  EXPECT_THAT(pdf, StatusIs(absl::StatusCode::kInvalidArgument,
                            "junk.pdf: malformed PDF"));
}

TEST(ExtractPdf, PageLimit) {
  const std::string bytes = ReadFileOrDie(FixturePath(kDhs));
  PdfLimits limits;
  limits.max_pages = 2;
  auto pdf = ExtractPdf("dhs.pdf", bytes, limits);
  EXPECT_THAT(pdf, StatusIs(absl::StatusCode::kResourceExhausted,
                            "3 pages is over the limit of 2"));
}

TEST(IngestDocument, DetectsPdfFromContent) {
  const std::string bytes = ReadFileOrDie(FixturePath(kDhs));
  auto doc = IngestDocument("named.txt", bytes, "", IngestOptions{});
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(doc->content_type, "application/pdf");
  ASSERT_TRUE(doc->pdf.has_value());
  EXPECT_EQ(doc->sha256.size(), 64u);
}

TEST(IngestDocument, DeclaredPdfMustBeOne) {
  EXPECT_THAT(IngestDocument("a.pdf", "hello", "application/pdf", IngestOptions{}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "not a PDF"));
  EXPECT_THAT(IngestDocument("a.txt", "hello", "image/png", IngestOptions{}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "unsupported content type"));
  auto text = IngestDocument("a.txt", "hello", "text/plain", IngestOptions{});
  ASSERT_TRUE(text.ok());
  EXPECT_FALSE(text->pdf.has_value());
}

TEST(LayoutPage, ColumnsFollowPositions) {
  auto word = [](std::string t, double x, double y) {
    PdfWord w;
    w.text = t;
    w.box = PdfRect{x, y, 6.0 * t.size(), 10};
    for (size_t i = 0; i < t.size(); ++i) {
      w.char_offsets.push_back(static_cast<int>(i));
      w.chars.push_back(PdfRect{x + 6.0 * i, y, 6, 10});
    }
    return w;
  };
  std::vector<PdfWord> words = {word("right", 300, 100), word("left", 60, 101),
                                word("below", 60, 140)};
  const std::vector<std::string> lines = LayoutPage(&words);
  ASSERT_EQ(lines.size(), 4u);  // two lines and two blank lines between
  EXPECT_EQ(lines[0], std::string(10, ' ') + "left" + std::string(36, ' ') + "right");
  EXPECT_EQ(words[0].line, 0);
  EXPECT_EQ(words[0].column, 50);
  EXPECT_EQ(words[2].line, 3);
}

TEST(XmpEntries, DescriptiveProperties) {
  const auto entries = XmpEntries(
      "<x:xmpmeta><dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">Notes &amp; "
      "memo</rdf:li></rdf:Alt></dc:title><xmp:CreateDate>2020</xmp:CreateDate>"
      "<pdf:Keywords>Smith</pdf:Keywords></x:xmpmeta>");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].key, "dc:title");
  EXPECT_EQ(entries[0].value, "Notes & memo");
  EXPECT_EQ(entries[1].value, "Smith");
}

}  // namespace
}  // namespace ra
