#include "pipeline/pipeline.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/sqlite.h"
#include "testing/testing.h"

namespace ra {
namespace {

using ::ra::testing::IsOk;
using ::ra::testing::StatusIs;
using ::testing::Contains;
using ::testing::Field;
using ::testing::IsEmpty;

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pack = RulePack::LoadFolder(testing::SourcePath("rules/state"));
    ASSERT_THAT(pack, IsOk());
    packs_ = std::make_unique<PackHolder>(*pack);
    auto store = Store::Open(testing::MakeTempDir() + "/audit.sqlite");
    ASSERT_THAT(store, IsOk());
    store_ = std::move(*store);
    pipeline_ = std::make_unique<Pipeline>(packs_.get(), store_.get(),
                                           PipelineOptions{});
  }

  Submission Real(const std::string& rel) {
    Submission s;
    s.file_name = rel;
    s.content = testing::ReadFileOrDie(testing::FixturePath("sample-release/" + rel));
    s.metadata.case_number = "F-2014-20439";
    return s;
  }

  std::unique_ptr<PackHolder> packs_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Pipeline> pipeline_;
};

TEST_F(PipelineTest, AuditsRealDocumentAndStoresItOnce) {
  // Stamp B6 with one inline B6: consistent, no stamp/mark finding.
  auto first = pipeline_->Audit(Real("HRCEmail_JuneWeb/C05761411.txt"));
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->inspected.metadata.doc_number, "C05761411");
  EXPECT_EQ(first->inspected.document.stamp.disposition, Disposition::kPart);
  EXPECT_FALSE(first->stored.already_stored);
  EXPECT_EQ(first->pack_version, "us-foia-state@2026.11.1");

  auto again = pipeline_->Audit(Real("HRCEmail_JuneWeb/C05761411.txt"));
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->stored.already_stored);
  EXPECT_EQ(again->stored.version_id, first->stored.version_id);
}

TEST_F(PipelineTest, StampedCodeNeverMarkedIsFoundOnRealDocument) {
  // Labels: stamp B1,1.4(B),1.4(D),B5 but no B5 printed inline.
  auto result = pipeline_->Audit(Real("Clinton_Email_August_Release/C05768760.txt"));
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(result->inspected.findings,
              Contains(Field(&Finding::rule_id, "stamp.code-not-marked")));
  EXPECT_FALSE(result->stored.findings.empty());
}

TEST_F(PipelineTest, MetadataMismatchIsReported) {
  Submission s = Real("HRCEmail_JuneWeb/C05761411.txt");
  s.metadata.release_date = "2015-07-31";
  auto result = pipeline_->Inspect(std::move(s));
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(result->findings,
              Contains(Field(&Finding::rule_id, "metadata.release-date-mismatch")));
}

TEST_F(PipelineTest, BadInputIsRejectedWithFileAndReason) {
  Submission empty;
  empty.file_name = "empty.txt";
  empty.metadata.case_number = "F-1";
  EXPECT_THAT(pipeline_->Audit(empty),
              StatusIs(absl::StatusCode::kInvalidArgument, "empty.txt: empty document"));
  Submission no_case = Real("HRCEmail_JuneWeb/C05761411.txt");
  no_case.metadata.case_number.clear();
  EXPECT_THAT(pipeline_->Audit(no_case),
              StatusIs(absl::StatusCode::kInvalidArgument, "no case number"));
}

TEST_F(PipelineTest, AdminSuppressionsDropFindingsLikePackSuppressions) {
  Submission doc = Real("Clinton_Email_August_Release/C05768760.txt");
  auto before = pipeline_->Inspect(doc);
  ASSERT_THAT(before, IsOk());
  ASSERT_GE(before->findings.size(), 2u);
  const Finding dropped = before->findings[0];
  SuppressionSet suppressions;
  PipelineOptions options;
  options.suppressions = &suppressions;
  Pipeline suppressing(packs_.get(), store_.get(), options);
  std::string upper = dropped.fingerprint;
  for (char& c : upper) c = static_cast<char>(std::toupper(c));
  suppressions.Add(upper);  // compared in lower case
  auto after = suppressing.Inspect(doc);
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(after->findings.size(), before->findings.size() - 1);
  for (const Finding& f : after->findings) EXPECT_NE(f.fingerprint, dropped.fingerprint);
  suppressions.Remove(dropped.fingerprint);
  EXPECT_EQ(suppressing.Inspect(doc)->findings.size(), before->findings.size());
  suppressions.Replace({dropped.fingerprint, dropped.fingerprint});
  EXPECT_EQ(suppressing.Inspect(doc)->findings.size(), before->findings.size() - 1);
}

// What a cross-check of `case_number` finds, as "doc rule line" strings.
std::vector<std::string> CaseFindings(const xdoc::PassageIndex& index,
                                      const RulePack& pack,
                                      const std::string& case_number) {
  std::vector<std::string> out;
  for (const xdoc::XdocFinding& x : index.CheckCase(case_number, pack)) {
    out.push_back(absl::StrCat(x.doc_number, " ", x.finding.rule_id, " ",
                               x.finding.line));
  }
  return out;
}

// Audits `audits` (file name, content) in order, of one case, with a live
// index, and expects the index rebuilt from the store (one entry per
// document, its latest version) to hold `documents` documents and to find
// the same, the withheld passage of the real pair on both sides among it.
void ExpectLiveIndexAgreesWithTheStore(
    const std::vector<std::pair<std::string, std::string>>& audits,
    int64_t documents) {
  // A shared passage is boilerplate once more than two documents carry it:
  // a document counted twice (an older version or a dead copy left in the
  // postings) would make the one shared by the two real documents
  // boilerplate in the live index only.
  xdoc::XdocOptions options;
  options.max_doc_frequency = 2;
  auto pack = RulePack::LoadFolder(testing::SourcePath("rules/state"));
  ASSERT_THAT(pack, IsOk());
  PackHolder packs(*pack);
  auto store = Store::Open(testing::MakeTempDir() + "/audit.sqlite");
  ASSERT_THAT(store, IsOk());
  xdoc::PassageIndex live(options);
  Pipeline pipeline(&packs, store->get(), PipelineOptions{}, &live);
  for (const auto& [file_name, content] : audits) {
    Submission s;
    s.file_name = file_name;
    s.content = content;
    s.metadata.case_number = "F-2014-20439";
    ASSERT_THAT(pipeline.Audit(std::move(s)), IsOk()) << file_name;
  }

  xdoc::PassageIndex rebuilt(options);
  auto n = RebuildPassageIndex(**store, rebuilt);
  ASSERT_THAT(n, IsOk());
  EXPECT_EQ(*n, documents);
  EXPECT_EQ(live.size(), rebuilt.size());
  const std::vector<std::string> from_store =
      CaseFindings(rebuilt, **pack, "F-2014-20439");
  // The withheld passage, on both sides.
  EXPECT_THAT(from_store,
              Contains(::testing::HasSubstr("xdoc.released-elsewhere")));
  EXPECT_THAT(from_store,
              Contains(::testing::HasSubstr("xdoc.withheld-elsewhere")));
  EXPECT_EQ(CaseFindings(live, **pack, "F-2014-20439"), from_store);
}

std::pair<std::string, std::string> Fixture(const std::string& rel) {
  return {rel, testing::ReadFileOrDie(testing::FixturePath(rel))};
}

TEST(PipelineIndexTest, LiveIndexAgreesWithIndexRebuiltFromTheStore) {
  ExpectLiveIndexAgreesWithTheStore(
      {Fixture("xdoc/C05765720.txt"), Fixture("xdoc/C05760397.txt")}, 2);
}

TEST(PipelineIndexTest, LiveIndexAgreesWithTheStoreAfterReAudits) {
  // The released copy audited again as a changed version (a word added
  // outside the shared passage) and that version again; the withheld copy
  // re-audited unchanged.
  const auto released = Fixture("xdoc/C05765720.txt");
  auto changed = released;
  const size_t fyi = changed.second.find("\nFYI\n");
  ASSERT_NE(fyi, std::string::npos);
  changed.second.replace(fyi, 5, "\nFYI, see below\n");
  const auto withheld = Fixture("xdoc/C05760397.txt");
  ExpectLiveIndexAgreesWithTheStore(
      {released, withheld, changed, changed, withheld}, 2);
}

// The xdoc findings of auditing the real pair, in order, with a live index
// and `suppressions` (null: none), and the whole-case check after it.
struct PairRun {
  std::vector<Finding> second_audit;  // the second document's xdoc findings
  int64_t case_findings = 0;          // CrossCheckCase, both sides
};
PairRun AuditThePair(const std::shared_ptr<const RulePack>& pack,
                     const SuppressionSet* suppressions) {
  PairRun out;
  PackHolder packs(pack);
  auto store = Store::Open(testing::MakeTempDir() + "/audit.sqlite");
  EXPECT_THAT(store, IsOk());
  if (!store.ok()) return out;
  xdoc::PassageIndex index;
  PipelineOptions options;
  options.suppressions = suppressions;
  Pipeline pipeline(&packs, store->get(), options, &index);
  for (const char* rel : {"xdoc/C05765720.txt", "xdoc/C05760397.txt"}) {
    Submission s;
    s.file_name = rel;
    s.content = testing::ReadFileOrDie(testing::FixturePath(rel));
    s.metadata.case_number = "F-2014-20439";
    auto audited = pipeline.Audit(std::move(s));
    EXPECT_THAT(audited, IsOk()) << rel;
    if (!audited.ok()) return out;
    out.second_audit.clear();
    for (const Finding& f : audited->inspected.findings) {
      if (f.rule_id.rfind("xdoc.", 0) == 0) out.second_audit.push_back(f);
    }
  }
  auto checked = pipeline.CrossCheckCase("F-2014-20439");
  EXPECT_THAT(checked, IsOk());
  if (checked.ok()) out.case_findings = checked->findings;
  return out;
}

TEST(PipelineIndexTest, SuppressionsReachCrossDocumentFindings) {
  auto state = RulePack::LoadFolder(testing::SourcePath("rules/state"));
  ASSERT_THAT(state, IsOk());
  const PairRun plain = AuditThePair(*state, nullptr);
  ASSERT_FALSE(plain.second_audit.empty());
  ASSERT_GE(plain.case_findings, 2);
  const std::string fingerprint = plain.second_audit[0].fingerprint;
  auto without = [&fingerprint](const std::vector<Finding>& findings) {
    for (const Finding& f : findings) {
      if (f.fingerprint == fingerprint) return false;
    }
    return true;
  };

  // An admin suppression (the pipeline applies it).
  SuppressionSet admin;
  admin.Add(fingerprint);
  const PairRun by_admin = AuditThePair(*state, &admin);
  EXPECT_TRUE(without(by_admin.second_audit));
  EXPECT_EQ(by_admin.second_audit.size(), plain.second_audit.size() - 1);
  EXPECT_EQ(by_admin.case_findings, plain.case_findings - 1);

  // The same suppression in a case's pack (xdoc applies it).
  const std::string dir = testing::MakeTempDir();
  testing::WriteFile(dir, "pack.textproto",
                     absl::StrCat("name: \"case\" version: \"1\"\nimports: \"",
                                  testing::SourcePath("rules/state/pack.textproto"),
                                  "\"\nsuppressions { fingerprint: \"", fingerprint,
                                  "\" reason: \"cleared for release\" }\n"));
  auto with_case = RulePack::LoadFolder(dir);
  ASSERT_THAT(with_case, IsOk());
  const PairRun by_pack = AuditThePair(*with_case, nullptr);
  EXPECT_TRUE(without(by_pack.second_audit));
  EXPECT_EQ(by_pack.second_audit.size(), plain.second_audit.size() - 1);
  EXPECT_EQ(by_pack.case_findings, plain.case_findings - 1);
}

TEST_F(PipelineTest, AdminSuppressionsReachReleaseLevelFindings) {
  const std::vector<ListedDocument> listed = {{"C09999999", "", "C09999999.txt", 2}};
  auto plain = pipeline_->CheckRelease("F-2014-20439", listed);
  ASSERT_THAT(plain, IsOk());
  ASSERT_EQ(plain->stored.findings.size(), 1u);
  const StoredFinding& missing = plain->stored.findings[0];
  EXPECT_EQ(missing.finding.rule_id, "release.document-not-submitted");

  SuppressionSet suppressions;
  suppressions.Add(missing.finding.fingerprint);
  PipelineOptions options;
  options.suppressions = &suppressions;
  auto store = Store::Open(testing::MakeTempDir() + "/audit.sqlite");
  ASSERT_THAT(store, IsOk());
  Pipeline suppressing(packs_.get(), store->get(), options);
  auto suppressed = suppressing.CheckRelease("F-2014-20439", listed);
  ASSERT_THAT(suppressed, IsOk());
  EXPECT_THAT(suppressed->stored.findings, IsEmpty());
}

TEST(PipelineIndexTest, RebuildNamesAStoredPassageTextItCannotRead) {
  auto pack = RulePack::LoadFolder(testing::SourcePath("rules/state"));
  ASSERT_THAT(pack, IsOk());
  PackHolder packs(*pack);
  const std::string path = testing::MakeTempDir() + "/audit.sqlite";
  auto store = Store::Open(path);
  ASSERT_THAT(store, IsOk());
  xdoc::PassageIndex live;
  Pipeline pipeline(&packs, store->get(), PipelineOptions{}, &live);
  for (const char* rel :
       {"xdoc/C05765720.txt", "xdoc/C05760397.txt", "xdoc/C05760093.txt"}) {
    const auto [file_name, content] = Fixture(rel);
    Submission s;
    s.file_name = file_name;
    s.content = content;
    s.metadata.case_number = "F-2014-20439";
    ASSERT_THAT(pipeline.Audit(std::move(s)), IsOk()) << rel;
  }
  {
    auto db = store_internal::Db::Open(path, /*create=*/false);
    ASSERT_THAT(db, IsOk());
    ASSERT_THAT((*db)->Exec("UPDATE passage_texts SET body = 'X 1 2' "
                            "WHERE version_id = (SELECT latest_version_id "
                            "FROM documents WHERE doc_number = 'C05760397')"),
                IsOk());
  }
  xdoc::PassageIndex rebuilt;
  const absl::StatusOr<int64_t> n = RebuildPassageIndex(**store, rebuilt);
  EXPECT_THAT(n, StatusIs(absl::StatusCode::kDataLoss,
                          "stored passage text of F-2014-20439/C05760397"));
  // What was read before it is indexed, nothing after it.
  EXPECT_EQ(rebuilt.size(), 1u);
}

TEST(FileStemTest, Stems) {
  EXPECT_EQ(FileStem("C05788291.txt"), "C05788291");
  EXPECT_EQ(FileStem("a/b.c/C1"), "C1");
  EXPECT_EQ(FileStem("x/a.b.txt"), "a.b");
}

}  // namespace
}  // namespace ra
