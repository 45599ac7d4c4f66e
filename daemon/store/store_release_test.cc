// Release-level findings in the store: a listed document never submitted,
// a submitted document not listed, their lifecycle by fingerprint, and
// their independence from document audits; migration 3 on a version-2 file.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/schema.h"
#include "store/sqlite.h"
#include "store/store.h"
#include "testing/testing.h"

namespace ra {
namespace {

using ::ra::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr char kCase[] = "F-2014-20439";
constexpr char kRelease[] = "HRCEmail_JuneWeb";

AuditRecord MakeRecord(const std::string& doc, const std::string& sha,
                       std::vector<Finding> findings = {}) {
  AuditRecord r;
  r.metadata.case_number = kCase;
  r.metadata.doc_number = doc;
  r.metadata.release = kRelease;
  r.file_name = doc + ".txt";
  r.sha256 = sha;
  r.pack_version = "state@1";
  r.findings = std::move(findings);
  return r;
}

Finding MakeFinding(const std::string& rule, const std::string& fingerprint) {
  Finding f;
  f.rule_id = rule;
  f.severity = Severity::kError;
  f.message = rule + " " + fingerprint;
  f.fingerprint = fingerprint;
  return f;
}

ReleaseLevelFinding NotSubmitted(const std::string& doc) {
  return {doc, kRelease,
          MakeFinding("release.document-not-submitted", "ns-" + doc)};
}

ReleaseLevelFinding NotListed(const std::string& doc) {
  return {doc, kRelease,
          MakeFinding("release.document-not-in-manifest", "nl-" + doc)};
}

class StoreReleaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ra::testing::MakeTempDir() + "/audit.db";
    auto store = Store::Open(path_);
    ASSERT_THAT(store, IsOk());
    store_ = *std::move(store);
  }

  ReleaseCheckOutcome Check(std::vector<std::string> checked,
                            std::vector<ReleaseLevelFinding> findings) {
    ReleaseCheckRecord r;
    r.case_number = kCase;
    r.checked = std::move(checked);
    r.findings = std::move(findings);
    auto out = store_->RecordReleaseCheck(r);
    EXPECT_THAT(out, IsOk());
    return out.ok() ? *out : ReleaseCheckOutcome();
  }

  std::vector<StoredFinding> ByRule(const std::string& rule) {
    FindingFilter f;
    f.rule_id = rule;
    auto out = store_->ListFindings(f);
    EXPECT_THAT(out, IsOk());
    return out.ok() ? *out : std::vector<StoredFinding>();
  }

  std::string path_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreReleaseTest, ListedDocumentNeverSubmittedIsStoredWithoutVersion) {
  ASSERT_THAT(store_->RecordAudit(MakeRecord("C1", "sha-1")), IsOk());
  ReleaseCheckOutcome out = Check({"C1", "C9"}, {NotSubmitted("C9")});
  EXPECT_EQ(out.new_findings, 1);
  ASSERT_THAT(out.findings, SizeIs(1));
  const StoredFinding& f = out.findings[0];
  EXPECT_EQ(f.doc_number, "C9");
  EXPECT_EQ(f.release, kRelease);
  EXPECT_EQ(f.version_sha256, "");
  EXPECT_EQ(f.file_name, "");
  EXPECT_EQ(f.status, FindingStatus::kOpen);

  // Listed, reviewable, found by document, but not counted as a document.
  EXPECT_THAT(ByRule("release.document-not-submitted"), SizeIs(1));
  EXPECT_THAT(store_->GetFinding(kCase, "C9", f.id), IsOk());
  auto summary = store_->Summarize(kCase);
  ASSERT_THAT(summary, IsOk());
  EXPECT_EQ(summary->documents, 1);
  EXPECT_EQ(summary->findings, 1);
  auto docs = store_->ListCaseDocuments(kCase);
  ASSERT_THAT(docs, IsOk());
  ASSERT_THAT(*docs, SizeIs(2));
  EXPECT_TRUE((*docs)[0].submitted);
  EXPECT_EQ((*docs)[1].doc_number, "C9");
  EXPECT_FALSE((*docs)[1].submitted);
  EXPECT_EQ((*docs)[1].release, kRelease);
}

TEST_F(StoreReleaseTest, SameGapKeepsIdAndReviewThenSubmissionFixesIt) {
  const int64_t id = Check({"C9"}, {NotSubmitted("C9")}).findings.at(0).id;
  ReviewChange waive;
  waive.finding_id = id;
  waive.status = FindingStatus::kWaived;
  waive.reviewer = "alice";
  waive.note = "sent separately";
  ASSERT_THAT(store_->Review(waive), IsOk());

  ReleaseCheckOutcome again = Check({"C9"}, {NotSubmitted("C9")});
  EXPECT_EQ(again.new_findings, 0);
  ASSERT_THAT(again.findings, SizeIs(1));
  EXPECT_EQ(again.findings[0].id, id);
  EXPECT_EQ(again.findings[0].status, FindingStatus::kWaived);

  // The document is submitted: its audit leaves the release-level finding
  // alone (the audit's own findings are separate) ...
  auto audit = store_->RecordAudit(
      MakeRecord("C9", "sha-9", {MakeFinding("stamp.missing", "doc-fp")}));
  ASSERT_THAT(audit, IsOk());
  EXPECT_THAT(audit->findings, SizeIs(1));  // only its own
  EXPECT_EQ(ByRule("release.document-not-submitted").at(0).status,
            FindingStatus::kWaived);
  // ... and the next release check, which no longer produces it, fixes it.
  ReleaseCheckOutcome fixed = Check({"C9"}, {});
  EXPECT_EQ(fixed.fixed, 1);
  EXPECT_THAT(fixed.findings, IsEmpty());
  EXPECT_EQ(ByRule("release.document-not-submitted").at(0).status,
            FindingStatus::kFixed);
  auto history = store_->History(id);
  ASSERT_THAT(history, IsOk());
  ASSERT_THAT(*history, SizeIs(2));
  EXPECT_EQ(history->back().to, FindingStatus::kFixed);
  EXPECT_EQ(history->back().reviewer, "redaction-auditd");
  // The document audit's own finding stayed open.
  EXPECT_EQ(ByRule("stamp.missing").at(0).status, FindingStatus::kOpen);

  // The gap comes back: the same finding reopens.
  ReleaseCheckOutcome back = Check({"C9"}, {NotSubmitted("C9")});
  ASSERT_THAT(back.findings, SizeIs(1));
  EXPECT_EQ(back.findings[0].id, id);
  EXPECT_EQ(back.findings[0].status, FindingStatus::kOpen);
}

TEST_F(StoreReleaseTest, NotListedSitsOnTheDocumentAndSurvivesItsReaudits) {
  ASSERT_THAT(store_->RecordAudit(MakeRecord("C5", "sha-5a")), IsOk());
  ReleaseCheckOutcome out = Check({"C5"}, {NotListed("C5")});
  ASSERT_THAT(out.findings, SizeIs(1));
  EXPECT_EQ(out.findings[0].version_sha256, "sha-5a");
  EXPECT_EQ(out.findings[0].file_name, "C5.txt");
  // A new version audited: the release-level finding is not `fixed` by it.
  ASSERT_THAT(store_->RecordAudit(MakeRecord("C5", "sha-5b")), IsOk());
  EXPECT_EQ(ByRule("release.document-not-in-manifest").at(0).status,
            FindingStatus::kOpen);
  // Documents the check did not decide keep their findings.
  EXPECT_EQ(Check({"C1"}, {}).fixed, 0);
  EXPECT_EQ(ByRule("release.document-not-in-manifest").at(0).status,
            FindingStatus::kOpen);
  // The refreshed finding follows the latest version.
  ReleaseCheckOutcome again = Check({"C5"}, {NotListed("C5")});
  ASSERT_THAT(again.findings, SizeIs(1));
  EXPECT_EQ(again.findings[0].version_sha256, "sha-5b");
}

TEST_F(StoreReleaseTest, RejectsFindingsWithoutIdentity) {
  ReleaseCheckRecord r;
  EXPECT_FALSE(store_->RecordReleaseCheck(r).ok());
  r.case_number = kCase;
  r.findings.push_back({"", kRelease, MakeFinding("release.x", "fp")});
  EXPECT_FALSE(store_->RecordReleaseCheck(r).ok());
  auto docs = store_->ListCaseDocuments(kCase);
  ASSERT_THAT(docs, IsOk());
  EXPECT_THAT(*docs, IsEmpty());
}

// A version-2 database with findings and reviews: migration 3 keeps every
// row and id, and foreign keys still hold.
TEST(StoreMigrationTest, VersionTwoFileMigratesKeepingFindingsAndReviews) {
  const std::string path = ra::testing::MakeTempDir() + "/v2.db";
  {
    auto db = store_internal::Db::Open(path, /*create=*/true);
    ASSERT_THAT(db, IsOk());
    for (int v = 0; v < 2; ++v) {
      for (const char* sql : store_internal::Migrations()[v].statements) {
        ASSERT_THAT((*db)->Exec(sql), IsOk()) << sql;
      }
    }
    ASSERT_THAT((*db)->Exec(
                    "PRAGMA user_version = 2;"
                    "INSERT INTO cases VALUES (1, 'F-1', 0);"
                    "INSERT INTO documents VALUES (1, 1, 'C1', NULL, NULL, 0);"
                    "INSERT INTO document_versions VALUES "
                    "(7, 1, 'sha', 'C1.txt', 10, 3, 1, 0);"
                    "UPDATE documents SET latest_version_id = 7;"
                    "INSERT INTO findings VALUES (42, 1, 1, NULL, 7, "
                    "'stamp.missing', 2, 4, 'm', 1, 0, 0, 0, '', 'fp', 2, 0, 0);"
                    "INSERT INTO reviews VALUES (1, 42, 1, 4, 'bob', 'ok', 0);"),
                IsOk());
  }
  auto store = Store::Open(path);
  ASSERT_THAT(store, IsOk());
  auto f = (*store)->GetFinding("F-1", "C1", 42);
  ASSERT_THAT(f, IsOk());
  EXPECT_EQ(f->status, FindingStatus::kWaived);
  EXPECT_EQ(f->version_sha256, "sha");
  auto history = (*store)->History(42);
  ASSERT_THAT(history, IsOk());
  EXPECT_THAT(*history, SizeIs(1));
  store->reset();
  auto db = store_internal::Db::Open(path, /*create=*/false);
  ASSERT_THAT(db, IsOk());
  EXPECT_EQ(*(*db)->QueryInt("PRAGMA user_version"), Store::SchemaVersion());
  EXPECT_EQ(*(*db)->QueryInt("SELECT COUNT(*) FROM pragma_foreign_key_check"), 0);
  EXPECT_EQ(*(*db)->QueryInt("SELECT scope FROM findings WHERE id = 42"), 0);
}

}  // namespace
}  // namespace ra
