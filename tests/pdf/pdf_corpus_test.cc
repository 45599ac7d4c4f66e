// The generated PDF set (make_pdfs.py, expected.tsv) and the real dialect
// PDFs, through ingest -> parse -> check with the State pack.
#include <cstdio>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "check/checker.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest/ingest.h"
#include "pack/rule_catalog.h"
#include "parse/parser.h"
#include "parse/pdf_marks.h"
#include "testing/testing.h"

namespace ra {
namespace {

using ::ra::testing::FixturePath;
using ::ra::testing::ReadFileOrDie;
using ::ra::testing::SourcePath;
using ::testing::HasSubstr;

std::shared_ptr<const RulePack> StatePack() {
  static auto* pack = new std::shared_ptr<const RulePack>([] {
    auto p = RulePack::LoadFolder(SourcePath("rules/state"));
    EXPECT_TRUE(p.ok()) << p.status();
    return *std::move(p);
  }());
  return *pack;
}

struct Audited {
  Document doc;
  std::vector<Finding> findings;
};

std::shared_ptr<const RulePack> LoadPack(const std::string& folder) {
  auto p = RulePack::LoadFolder(SourcePath(folder));
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? *std::move(p) : StatePack();
}

absl::StatusOr<Audited> Audit(const std::string& path,
                              const RulePack* pack = nullptr) {
  if (pack == nullptr) pack = StatePack().get();
  auto in = IngestDocument(path, ReadFileOrDie(path), "", IngestOptions{});
  if (!in.ok()) return in.status();
  Audited out;
  out.doc = ParseWithPdf(std::move(in->text), std::move(in->pdf), *pack);
  out.findings = CheckDocument(out.doc, ReleaseMetadata{}, *pack);
  return out;
}

struct Row {
  std::string file, kind, rules, secret;
  bool hidden = false, error = false;
};

std::vector<Row> ReadExpected() {
  std::vector<Row> rows;
  std::ifstream in(std::string(RA_PDF_GEN_DIR) + "/expected.tsv");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> f = absl::StrSplit(line, '\t');
    if (f.size() != 6) continue;
    rows.push_back(Row{f[0], f[1], f[3], f[4], f[2] == "1", f[5] == "1"});
  }
  return rows;
}

TEST(GeneratedPdfs, KnownAnswers) {
  const std::vector<Row> rows = ReadExpected();
  ASSERT_GE(rows.size(), 50u) << "run the pdf_generate test first";
  int with_hidden = 0, found = 0, clean = 0, false_hits = 0, refused = 0,
      errors = 0, other_expected = 0, other_found = 0;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.file);
    const std::string path = std::string(RA_PDF_GEN_DIR) + "/" + row.file;
    auto audited = Audit(path);
    if (row.error) {
      ++errors;
      if (!audited.ok()) {
        ++refused;
        EXPECT_THAT(std::string(audited.status().message()), HasSubstr(row.file));
      }
      EXPECT_FALSE(audited.ok()) << "should be refused";
      continue;
    }
    ASSERT_TRUE(audited.ok()) << audited.status();
    std::vector<const Finding*> under_box;
    std::set<std::string> rules;
    for (const Finding& f : audited->findings) {
      if (f.rule_id == rule_id::kPdfTextUnderBox) under_box.push_back(&f);
      if (f.rule_id.rfind("pdf.", 0) == 0 && f.evidence.find(row.secret) != std::string::npos) {
        rules.insert(f.rule_id);
      }
    }
    if (row.hidden) {
      ++with_hidden;
      bool hit = false;
      for (const Finding* f : under_box) hit = hit || f->evidence == row.secret;
      found += hit;
      EXPECT_TRUE(hit) << "text under the box not found: " << row.secret;
    } else {
      ++clean;
      false_hits += !under_box.empty();
      for (const Finding* f : under_box) ADD_FAILURE() << "false finding: " << f->message;
    }
    if (row.rules != "-" && row.rules != std::string(rule_id::kPdfTextUnderBox)) {
      ++other_expected;
      other_found += rules.count(row.rules) > 0;
      EXPECT_EQ(rules.count(row.rules), 1u) << row.rules << " with " << row.secret;
    }
    if (row.kind == "proper") {  // Acrobat-style overlay labels read as marks
      std::set<std::string> codes;
      for (const Mark& m : audited->doc.marks) codes.insert(m.code);
      EXPECT_TRUE(codes.count("(b)(6)") || codes.count("(b)(7)(C)"))
          << audited->doc.text;
    }
  }
  std::printf(
      "generated PDFs: %zu; text under a box found in %d of %d; clean files "
      "with a false text-under-box finding: %d of %d (%.1f%%); other leaks "
      "(annotations, metadata, bookmarks, attachments) found in %d of %d; bad "
      "PDFs refused: %d of %d\n",
      rows.size(), found, with_hidden, false_hits, clean,
      clean ? 100.0 * false_hits / clean : 0.0, other_found, other_expected,
      refused, errors);
  EXPECT_EQ(found, with_hidden);
  EXPECT_LE(false_hits * 20, clean);  // at most 5%
}

// Printed codes (canonical or as printed) of the stamp and the marks.
std::multiset<std::string> Codes(const Document& doc) {
  std::multiset<std::string> out;
  for (const Mark& m : doc.marks) out.insert(m.code.empty() ? m.printed : m.code);
  for (const Mark& m : doc.stamp.codes) out.insert(m.code.empty() ? m.printed : m.code);
  return out;
}

std::set<std::string> Distinct(const std::multiset<std::string>& m) {
  return std::set<std::string>(m.begin(), m.end());
}

// A real PDF and the pack of its agency's dialect.
struct RealPdf {
  const char* name;
  const char* pack;
};

class DialectPdf : public ::testing::TestWithParam<RealPdf> {};

size_t Count(std::string_view text, std::string_view what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string_view::npos;
       at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

// The PDF read through ingest yields the marks its pdftotext text yields:
// every code the parser finds in the PDF is one the text shows, the
// pages agree, and the printed mark spellings occur as often.
TEST_P(DialectPdf, MarksMatchTheTextLayer) {
  const std::string base = FixturePath(std::string("pdf/") + GetParam().name);
  const std::shared_ptr<const RulePack> pack = LoadPack(GetParam().pack);
  auto audited = Audit(base + ".pdf", pack.get());
  ASSERT_TRUE(audited.ok()) << audited.status();
  const std::string text_layer = ReadFileOrDie(base + ".pdftotext.txt");
  const Document text = Parse(text_layer, *pack);
  const auto from_pdf = Distinct(Codes(audited->doc));
  const auto from_text = Distinct(Codes(text));
  std::printf("%s: %zu pages; codes from the PDF: %zu distinct, from its "
              "pdftotext text: %zu distinct\n",
              GetParam().name, static_cast<size_t>(audited->doc.pdf->page_count),
              from_pdf.size(), from_text.size());
  EXPECT_FALSE(from_pdf.empty());
  for (const std::string& code : from_pdf) {
    EXPECT_EQ(from_text.count(code), 1u) << code;
  }
  EXPECT_EQ(audited->doc.pdf->page_count,
            static_cast<int>(Count(text_layer, "\f")));
  for (std::string_view printed : {"(b)(6), (b)(7)(C)", "(b) (7)(E)", "3.5(c)",
                                   "3.3(h)(2)"}) {
    EXPECT_EQ(Count(audited->doc.text, printed), Count(text_layer, printed))
        << printed;
  }
}

TEST(DialectPdf, DhsBoxLabelsAreMarks) {
  auto audited = Audit(FixturePath(
      "pdf/dhs_ice_cbp_form_I-213_2019-ICLI-00003_3866f3-1789-1791.pdf"));
  ASSERT_TRUE(audited.ok()) << audited.status();
  const auto codes = Distinct(Codes(audited->doc));
  EXPECT_EQ(codes.count("(b)(6)"), 1u);
  EXPECT_EQ(codes.count("(b)(7)(C)"), 1u);
}

INSTANTIATE_TEST_SUITE_P(
    Real, DialectPdf,
    ::testing::Values(
        RealPdf{"cia_cib_C02733122_released_2019", "rules/cia"},
        RealPdf{"dhs_ice_cbp_form_I-213_2019-ICLI-00003_3866f3-1789-1791",
                "rules/dhs"}),
    [](const ::testing::TestParamInfo<RealPdf>& info) {
      return std::string(info.param.pack).substr(6);  // "rules/cia" -> "cia"
    });

}  // namespace
}  // namespace ra
