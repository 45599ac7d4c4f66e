#include "store/store.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/schema.h"
#include "store/sqlite.h"
#include "testing/testing.h"

namespace ra {
namespace {

using ::ra::testing::IsOk;
using ::ra::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::SizeIs;
using Counts = std::vector<std::pair<std::string, int64_t>>;

constexpr char kCase[] = "F-2014-20439";
constexpr char kSha1[] =
    "1111111111111111111111111111111111111111111111111111111111111111";
constexpr char kSha2[] =
    "2222222222222222222222222222222222222222222222222222222222222222";
constexpr char kSha3[] =
    "3333333333333333333333333333333333333333333333333333333333333333";

Finding MakeFinding(const std::string& fingerprint, int line,
                    Severity severity = Severity::kError,
                    const std::string& rule = "stamp.code-not-marked") {
  Finding f;
  f.rule_id = rule;
  f.severity = severity;
  f.message = "message for " + fingerprint;
  f.page = 1;
  f.line = line;
  f.column = 3;
  f.length = 2;
  f.evidence = "B6";
  f.fingerprint = fingerprint;
  return f;
}

AuditRecord MakeRecord(const std::string& doc, const std::string& sha,
                       std::vector<Finding> findings,
                       const std::string& release = "HRCEmail_JuneWeb",
                       const std::string& case_number = kCase) {
  AuditRecord r;
  r.metadata.case_number = case_number;
  r.metadata.doc_number = doc;
  r.metadata.release = release;
  r.metadata.release_date = "2015-06-30";
  r.file_name = doc + ".txt";
  r.sha256 = sha;
  r.content_bytes = 1234;
  r.disposition = Disposition::kPart;
  r.page_count = 2;
  r.pack_version = "state@1";
  r.findings = std::move(findings);
  return r;
}

std::vector<int64_t> Ids(const std::vector<StoredFinding>& fs) {
  std::vector<int64_t> out;
  for (const StoredFinding& f : fs) out.push_back(f.id);
  return out;
}

// A new database at `path` as a build of schema `version` leaves it: the
// first `version` migrations applied, user_version set.
absl::StatusOr<std::unique_ptr<store_internal::Db>> SchemaStore(const std::string& path,
                                                                int version) {
  auto db = store_internal::Db::Open(path, /*create=*/true);
  if (!db.ok()) return db.status();
  const auto& migrations = store_internal::Migrations();
  for (int i = 0; i < version; ++i) {
    for (const char* sql : migrations[i].statements) {
      absl::Status status = (*db)->Exec(sql);
      if (!status.ok()) return status;
    }
  }
  absl::Status status = (*db)->Exec(absl::StrCat("PRAGMA user_version = ", version));
  if (!status.ok()) return status;
  return db;
}

// SchemaStore holding case kCase with document C1, its version 1 (kSha1).
absl::StatusOr<std::unique_ptr<store_internal::Db>> OldStoreWithC1(
    const std::string& path, int version) {
  auto db = SchemaStore(path, version);
  if (!db.ok()) return db.status();
  absl::Status status = (*db)->Exec(absl::StrCat(
      "INSERT INTO cases (id, case_number, created_at) VALUES (1, '", kCase,
      "', 0); INSERT INTO documents (id, case_id, doc_number, "
      "latest_version_id, created_at) VALUES (1, 1, 'C1', 1, 0); "
      "INSERT INTO document_versions (id, document_id, sha256, file_name, "
      "bytes, disposition, page_count, created_at, exemptions_recorded) "
      "VALUES (1, 1, '",
      kSha1, "', 'C1.txt', 10, 3, 1, 0, 1)"));
  if (!status.ok()) return status;
  return db;
}

// Inserts finding `id` (at line `id`) of OldStoreWithC1's document.
absl::Status InsertOldFinding(store_internal::Db& db, int id,
                              const std::string& rule, int severity, int status,
                              const std::string& fingerprint) {
  return db.Exec(absl::StrCat(
      "INSERT INTO findings (id, document_id, case_id, version_id, rule_id, "
      "severity, status, message, page, line, col, length, evidence, "
      "fingerprint, etag, created_at, updated_at) VALUES (",
      id, ", 1, 1, 1, '", rule, "', ", severity, ", ", status, ", 'm', 1, ", id,
      ", 1, 1, 'B6', '", fingerprint, "', 1, 0, 0)"));
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ra::testing::MakeTempDir() + "/audit.db";
    ASSERT_THAT(Reopen(), IsOk());
  }

  absl::Status Reopen() {
    store_.reset();
    StoreOptions options;
    options.clock = [this] { return now_; };
    options.checkpoint_bytes = checkpoint_bytes_;
    absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(path_, options);
    if (!store.ok()) return store.status();
    store_ = *std::move(store);
    return absl::OkStatus();
  }

  std::vector<StoredFinding> List(FindingFilter filter) {
    absl::StatusOr<std::vector<StoredFinding>> out =
        store_->ListFindings(filter);
    EXPECT_THAT(out, IsOk());
    return out.ok() ? *out : std::vector<StoredFinding>();
  }

  // All pages of `filter`, `page` at a time.
  std::vector<StoredFinding> ListAll(FindingFilter filter, int page) {
    std::vector<StoredFinding> all;
    filter.limit = page;
    while (true) {
      std::vector<StoredFinding> got = List(filter);
      EXPECT_LE(static_cast<int>(got.size()), page);
      all.insert(all.end(), got.begin(), got.end());
      if (static_cast<int>(got.size()) < page) return all;
      filter.after_id = got.back().id;
    }
  }

  // `groups` groups of 25 new documents, each with 8 KB of passage text,
  // recorded a group at a time (as the committer does): 200 KB a group.
  void RecordPassageGroups(int groups) {
    const std::string text(8000, 'x');
    for (int g = 0; g < groups; ++g) {
      std::vector<AuditRecord> records;
      for (int i = 0; i < 25; ++i) {
        const int n = g * 25 + i;
        AuditRecord r = MakeRecord(absl::StrCat("C", n), absl::StrCat(kSha1, n), {});
        r.passage_text = text + std::to_string(n);
        records.push_back(std::move(r));
      }
      std::vector<AuditRecord*> ptrs;
      for (AuditRecord& r : records) ptrs.push_back(&r);
      for (const auto& out : store_->RecordAudits(ptrs)) ASSERT_THAT(out, IsOk());
    }
  }

  AuditOutcome Record(const AuditRecord& r) {
    absl::StatusOr<AuditOutcome> out = store_->RecordAudit(r);
    EXPECT_THAT(out, IsOk());
    return out.ok() ? *out : AuditOutcome();
  }

  int64_t checkpoint_bytes_ = StoreOptions().checkpoint_bytes;
  std::string path_;
  absl::Time now_ = absl::FromUnixSeconds(1435622400);  // 2015-06-30
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, OpenCreatesSchema) {
  // 2: passage_texts (xdoc), 3: release-level findings, 4: exemptions,
  // 5: admin_suppressions, 6: xdoc_partners, 7: Summarize's index merged,
  // 8: four indexes dropped
  EXPECT_EQ(Store::SchemaVersion(), 8);
  auto db = store_internal::Db::Open(path_, /*create=*/false);
  ASSERT_THAT(db, IsOk());
  EXPECT_EQ(*(*db)->QueryInt("PRAGMA user_version"), Store::SchemaVersion());
  for (const char* table :
       {"cases", "releases", "documents", "document_versions", "audit_runs",
        "findings", "reviews", "passage_texts", "version_exemptions",
        "admin_suppressions", "xdoc_partners"}) {
    EXPECT_EQ(*(*db)->QueryInt(absl::StrCat(
                  "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' "
                  "AND name = '",
                  table, "'")),
              1)
        << table;
  }
}

TEST_F(StoreTest, WalModeIsOn) {
  auto db = store_internal::Db::Open(path_, /*create=*/false);
  ASSERT_THAT(db, IsOk());
  EXPECT_EQ(*(*db)->QueryText("PRAGMA journal_mode"), "wal");
}

TEST_F(StoreTest, NewStoreHasLargePagesAndCheckpointsAt32MiB) {
  auto db = store_internal::Db::Open(path_, /*create=*/false);
  ASSERT_THAT(db, IsOk());
  EXPECT_EQ(*(*db)->QueryInt("PRAGMA page_size"), 8192);
  db->reset();
  // 12 MB of passage text in groups of 25: SQLite's default (a checkpoint
  // at 1,000 pages, 8 MB) would have reset the WAL before it held it all.
  RecordPassageGroups(60);
  EXPECT_GT(std::filesystem::file_size(path_ + "-wal"), 12'000'000u);
}

// Past the threshold the WAL is copied into the database by the store's
// own thread: the database file grows while the committing thread goes on
// recording, though that connection's automatic checkpoint is off (and
// SQLite's default, 1,000 pages = 8 MB, would not have run for 4 MB).
TEST_F(StoreTest, WalIsCheckpointedInTheBackgroundPastTheThreshold) {
  checkpoint_bytes_ = 256 << 10;
  ASSERT_THAT(Reopen(), IsOk());
  const uintmax_t initial = std::filesystem::file_size(path_);
  {
    auto db = store_internal::Db::Open(path_, /*create=*/false);
    ASSERT_THAT(db, IsOk());
    EXPECT_EQ(*(*db)->QueryText("PRAGMA journal_mode"), "wal");
  }
  RecordPassageGroups(20);
  // The checkpoint runs beside the writer: wait for it (a minute at most).
  uintmax_t size = initial;
  for (int i = 0; i < 600 && size < 1'000'000; ++i) {
    absl::SleepFor(absl::Milliseconds(100));
    size = std::filesystem::file_size(path_);
  }
  EXPECT_GT(size, 1'000'000u) << "the database file did not grow from " << initial;
  // Everything recorded reads back after a restart.
  ASSERT_THAT(Reopen(), IsOk());
  auto versions = store_->StoredVersions(kCase);
  ASSERT_THAT(versions, IsOk());
  EXPECT_EQ(versions->size(), 500u);
}

TEST_F(StoreTest, ExistingStoreKeepsItsPageSize) {
  store_.reset();
  std::filesystem::remove(path_);
  {
    auto db = store_internal::Db::Open(path_, /*create=*/true);
    ASSERT_THAT(db, IsOk());
    ASSERT_THAT((*db)->Exec("PRAGMA page_size = 4096; CREATE TABLE old (x)"),
                IsOk());
  }
  ASSERT_THAT(Reopen(), IsOk());
  AuditOutcome stored = Record(MakeRecord("C1", kSha1, {MakeFinding("a", 4)}));
  ASSERT_THAT(stored.findings, SizeIs(1));
  ASSERT_THAT(Reopen(), IsOk());
  EXPECT_THAT(List({}), SizeIs(1));
  auto db = store_internal::Db::Open(path_, /*create=*/false);
  ASSERT_THAT(db, IsOk());
  EXPECT_EQ(*(*db)->QueryInt("PRAGMA page_size"), 4096);
}

TEST_F(StoreTest, ReopenKeepsData) {
  AuditOutcome first = Record(MakeRecord("C1", kSha1, {MakeFinding("a", 4)}));
  ASSERT_THAT(first.findings, SizeIs(1));
  ASSERT_THAT(Reopen(), IsOk());
  std::vector<StoredFinding> got = List({});
  ASSERT_THAT(got, SizeIs(1));
  EXPECT_EQ(got[0].id, first.findings[0].id);
  EXPECT_EQ(got[0].case_number, kCase);
  EXPECT_EQ(got[0].doc_number, "C1");
  EXPECT_EQ(got[0].release, "HRCEmail_JuneWeb");
  EXPECT_EQ(got[0].version_sha256, kSha1);
  EXPECT_EQ(got[0].status, FindingStatus::kOpen);
  EXPECT_EQ(got[0].etag, 1);
  EXPECT_EQ(got[0].finding.rule_id, "stamp.code-not-marked");
  EXPECT_EQ(got[0].finding.severity, Severity::kError);
  EXPECT_EQ(got[0].finding.message, "message for a");
  EXPECT_EQ(got[0].finding.line, 4);
  EXPECT_EQ(got[0].finding.column, 3);
  EXPECT_EQ(got[0].finding.length, 2);
  EXPECT_EQ(got[0].finding.evidence, "B6");
}

TEST_F(StoreTest, IdenticalContentIsNotDuplicated) {
  AuditOutcome first = Record(
      MakeRecord("C1", kSha1, {MakeFinding("a", 4), MakeFinding("b", 9)}));
  EXPECT_FALSE(first.already_stored);
  // Same content again, even with different findings: nothing written.
  AuditOutcome again = Record(MakeRecord("C1", kSha1, {MakeFinding("zzz", 1)}));
  EXPECT_TRUE(again.already_stored);
  EXPECT_EQ(again.version_id, first.version_id);
  EXPECT_EQ(Ids(again.findings), Ids(first.findings));
  EXPECT_THAT(List({}), SizeIs(2));
  absl::StatusOr<CaseSummary> summary = store_->Summarize(kCase);
  ASSERT_THAT(summary, IsOk());
  EXPECT_EQ(summary->versions, 1);
  // The same content under another document is a new version of that one.
  AuditOutcome other = Record(MakeRecord("C2", kSha1, {MakeFinding("a", 4)}));
  EXPECT_FALSE(other.already_stored);
}

TEST_F(StoreTest, DuplicateFingerprintsInOneRecordKeepTheFirst) {
  AuditOutcome out = Record(MakeRecord(
      "C1", kSha1,
      {MakeFinding("a", 4), MakeFinding("a", 7), MakeFinding("b", 9)}));
  ASSERT_THAT(out.findings, SizeIs(2));
  EXPECT_EQ(out.findings[0].finding.line, 4);
}

TEST_F(StoreTest, RejectsRecordsWithoutIdentity) {
  EXPECT_THAT(store_->RecordAudit(MakeRecord("", kSha1, {})),
              StatusIs(absl::StatusCode::kInvalidArgument, "doc number"));
  EXPECT_THAT(store_->RecordAudit(MakeRecord("C1", "", {})),
              StatusIs(absl::StatusCode::kInvalidArgument, "sha256"));
  EXPECT_THAT(
      store_->RecordAudit(MakeRecord("C1", kSha1, {MakeFinding("", 3)})),
      StatusIs(absl::StatusCode::kInvalidArgument, "fingerprint"));
  EXPECT_THAT(List({}), SizeIs(0));
}

TEST_F(StoreTest, ReauditMatchesByFingerprint) {
  AuditOutcome v1 = Record(MakeRecord(
      "C1", kSha1,
      {MakeFinding("a", 4), MakeFinding("b", 9), MakeFinding("c", 12)}));
  ASSERT_THAT(v1.findings, SizeIs(3));
  const int64_t a = v1.findings[0].id, b = v1.findings[1].id,
                c = v1.findings[2].id;
  ReviewChange confirm{a, FindingStatus::kConfirmed, "alice", "real", 0};
  ASSERT_THAT(store_->Review(confirm), IsOk());
  ReviewChange waive{b, FindingStatus::kWaived, "bob", "public already", 0};
  ASSERT_THAT(store_->Review(waive), IsOk());

  // v2: a moved, b gone, c gone, d new.
  now_ += absl::Hours(1);
  const absl::Time v2_time = now_;
  AuditOutcome v2 = Record(
      MakeRecord("C1", kSha2, {MakeFinding("a", 6), MakeFinding("d", 20)}));
  EXPECT_FALSE(v2.already_stored);
  EXPECT_NE(v2.version_id, v1.version_id);
  ASSERT_THAT(v2.findings, SizeIs(2));
  EXPECT_EQ(v2.findings[0].id, a);
  EXPECT_EQ(v2.findings[0].status, FindingStatus::kConfirmed);
  EXPECT_EQ(v2.findings[0].finding.line, 6);
  EXPECT_EQ(v2.findings[0].version_sha256, kSha2);
  EXPECT_EQ(v2.findings[0].etag, 2);  // unchanged by the re-audit
  EXPECT_EQ(v2.findings[1].finding.fingerprint, "d");
  EXPECT_EQ(v2.findings[1].status, FindingStatus::kOpen);

  absl::StatusOr<StoredFinding> fixed_b = store_->GetFinding(kCase, "C1", b);
  ASSERT_THAT(fixed_b, IsOk());
  EXPECT_EQ(fixed_b->status, FindingStatus::kFixed);
  EXPECT_EQ(fixed_b->etag, 3);
  EXPECT_EQ(fixed_b->version_sha256, kSha1);  // last produced by v1
  absl::StatusOr<std::vector<ReviewEntry>> history = store_->History(b);
  ASSERT_THAT(history, IsOk());
  ASSERT_THAT(*history, SizeIs(2));
  EXPECT_EQ((*history)[0].reviewer, "bob");
  EXPECT_EQ((*history)[0].to, FindingStatus::kWaived);
  EXPECT_EQ((*history)[1].from, FindingStatus::kWaived);
  EXPECT_EQ((*history)[1].to, FindingStatus::kFixed);
  EXPECT_EQ((*history)[1].reviewer, "redaction-auditd");
  EXPECT_EQ((*history)[1].note,
            absl::StrCat("not produced by version ", kSha2));
  EXPECT_EQ((*history)[1].at, v2_time);

  // v3: b reappears and is reopened; c stays fixed (no new history).
  now_ += absl::Hours(1);
  AuditOutcome v3 = Record(MakeRecord(
      "C1", kSha3,
      {MakeFinding("a", 6), MakeFinding("d", 20), MakeFinding("b", 9)}));
  EXPECT_THAT(Ids(v3.findings), ElementsAre(a, b, v2.findings[1].id));
  history = store_->History(b);
  ASSERT_THAT(history, IsOk());
  ASSERT_THAT(*history, SizeIs(3));
  EXPECT_EQ((*history)[2].from, FindingStatus::kFixed);
  EXPECT_EQ((*history)[2].to, FindingStatus::kOpen);
  EXPECT_EQ((*history)[2].note, absl::StrCat("reappeared in version ", kSha3));
  EXPECT_EQ((*history)[2].at, now_);
  history = store_->History(c);
  ASSERT_THAT(history, IsOk());
  EXPECT_THAT(*history, SizeIs(1));  // open -> fixed at v2 only

  // Re-submitting v3's content (the latest) changes nothing.
  AuditOutcome same = Record(MakeRecord("C1", kSha3, {}));
  EXPECT_TRUE(same.already_stored);
  EXPECT_EQ(same.version_id, v3.version_id);
  EXPECT_THAT(Ids(same.findings), ElementsAre(a, b, v2.findings[1].id));
}

// The document's current version changes back to an older content: that
// version is current again (no new version row) and its findings are
// matched as a re-audit's: fixed ones reopen, by the submitter, and review
// decisions hold through the fingerprint.
TEST_F(StoreTest, OlderContentComingBackIsCurrentAgain) {
  auto record = [](const std::string& sha, std::vector<Finding> findings) {
    AuditRecord r = MakeRecord("C1", sha, std::move(findings));
    r.submitter = "Sam Submitter";
    return r;
  };
  const std::vector<Finding> v1_findings = {MakeFinding("a", 4), MakeFinding("b", 9),
                                            MakeFinding("c", 12)};
  AuditOutcome v1 = Record(record(kSha1, v1_findings));
  ASSERT_THAT(v1.findings, SizeIs(3));
  const int64_t a = v1.findings[0].id, b = v1.findings[1].id, c = v1.findings[2].id;
  ASSERT_THAT(store_->Review({a, FindingStatus::kConfirmed, "alice", "real", 0}), IsOk());
  ASSERT_THAT(store_->Review({b, FindingStatus::kWaived, "bob", "public", 0}), IsOk());

  // v2 fixes a and c.
  now_ += absl::Hours(1);
  AuditOutcome v2 = Record(record(kSha2, {MakeFinding("b", 8)}));
  EXPECT_THAT(Ids(v2.findings), ElementsAre(b));
  absl::StatusOr<std::vector<ReviewEntry>> history = store_->History(a);
  ASSERT_THAT(history, IsOk());
  ASSERT_THAT(*history, SizeIs(2));
  EXPECT_EQ((*history)[1].to, FindingStatus::kFixed);
  EXPECT_EQ((*history)[1].reviewer, "Sam Submitter");

  // v1's exact content again.
  now_ += absl::Hours(1);
  AuditOutcome back = Record(record(kSha1, v1_findings));
  EXPECT_TRUE(back.already_stored);
  EXPECT_EQ(back.version_id, v1.version_id);
  EXPECT_THAT(Ids(back.findings), ElementsAre(a, b, c));
  for (const StoredFinding& f : back.findings) EXPECT_EQ(f.version_sha256, kSha1);
  EXPECT_EQ(back.findings[0].status, FindingStatus::kOpen);  // a reopened
  EXPECT_EQ(back.findings[1].status, FindingStatus::kWaived);
  EXPECT_EQ(back.findings[2].status, FindingStatus::kOpen);  // c reopened
  history = store_->History(a);
  ASSERT_THAT(history, IsOk());
  ASSERT_THAT(*history, SizeIs(3));
  EXPECT_EQ((*history)[2].from, FindingStatus::kFixed);
  EXPECT_EQ((*history)[2].to, FindingStatus::kOpen);
  EXPECT_EQ((*history)[2].reviewer, "Sam Submitter");
  EXPECT_EQ((*history)[2].note, absl::StrCat("reappeared in version ", kSha1));
  EXPECT_EQ((*history)[2].at, now_);
  history = store_->History(b);
  ASSERT_THAT(history, IsOk());
  EXPECT_THAT(*history, SizeIs(1));  // the waiver only
  absl::StatusOr<CaseSummary> summary = store_->Summarize(kCase);
  ASSERT_THAT(summary, IsOk());
  EXPECT_EQ(summary->versions, 2);
  absl::StatusOr<std::vector<DocumentExemptions>> docs =
      store_->ListDocumentExemptions(kCase);
  ASSERT_THAT(docs, IsOk());
  ASSERT_THAT(*docs, SizeIs(1));
  EXPECT_EQ((*docs)[0].sha256, kSha1);

  // Once it is the latest again, the same content writes nothing.
  now_ += absl::Hours(1);
  Record(record(kSha1, {}));
  history = store_->History(a);
  ASSERT_THAT(history, IsOk());
  EXPECT_THAT(*history, SizeIs(3));
  EXPECT_EQ(List({})[0].status, FindingStatus::kOpen);
}

TEST_F(StoreTest, ExemptionUseIsKeptWithTheLatestVersion) {
  AuditRecord r = MakeRecord("C2", kSha1, {});
  r.stamp_codes = {"(b)(5)", "(b)(6)", "(b)(5)"};
  r.marks_by_code = {{"(b)(6)", 3}, {"(b)(7)(C)", 1}};
  Record(r);
  Record(MakeRecord("C1", kSha2, {}, ""));  // no codes, no release
  absl::StatusOr<std::vector<DocumentExemptions>> docs =
      store_->ListDocumentExemptions(kCase);
  ASSERT_THAT(docs, IsOk());
  ASSERT_THAT(*docs, SizeIs(2));
  const DocumentExemptions& c1 = (*docs)[0];
  EXPECT_EQ(c1.doc_number, "C1");
  EXPECT_TRUE(c1.known);
  EXPECT_EQ(c1.release, "");
  EXPECT_THAT(c1.stamp_codes, SizeIs(0));
  EXPECT_THAT(c1.marks_by_code, SizeIs(0));
  const DocumentExemptions& c2 = (*docs)[1];
  EXPECT_EQ(c2.doc_number, "C2");
  EXPECT_TRUE(c2.known);
  EXPECT_EQ(c2.release, "HRCEmail_JuneWeb");
  EXPECT_EQ(c2.file_name, "C2.txt");
  EXPECT_EQ(c2.sha256, kSha1);
  EXPECT_EQ(c2.disposition, Disposition::kPart);
  EXPECT_THAT(c2.stamp_codes, ElementsAre("(b)(5)", "(b)(6)"));
  EXPECT_THAT(c2.marks_by_code, ElementsAre(Pair("(b)(6)", 3), Pair("(b)(7)(C)", 1)));

  // A new version replaces what the report shows.
  AuditRecord v2 = MakeRecord("C2", kSha3, {});
  v2.stamp_codes = {"(b)(6)"};
  Record(v2);
  docs = store_->ListDocumentExemptions(kCase);
  ASSERT_THAT(docs, IsOk());
  EXPECT_THAT((*docs)[1].stamp_codes, ElementsAre("(b)(6)"));
  EXPECT_THAT((*docs)[1].marks_by_code, SizeIs(0));
  EXPECT_THAT(store_->ListDocumentExemptions("F-0000-00000"),
              StatusIs(absl::StatusCode::kNotFound, "F-0000-00000"));
}

TEST_F(StoreTest, MigrationToSchema3KeepsOldVersionsUnknownUntilResubmitted) {
  // A database written by a schema-2 build, with one document version.
  store_.reset();
  const std::string old_path = ra::testing::MakeTempDir() + "/v2.db";
  {
    auto db = SchemaStore(old_path, 2);
    ASSERT_THAT(db, IsOk());
    ASSERT_THAT(
        (*db)->Exec("INSERT INTO cases (id, case_number, created_at) VALUES "
                    "(1, 'F-2014-20439', 0)"),
        IsOk());
    ASSERT_THAT((*db)->Exec("INSERT INTO documents (id, case_id, doc_number, "
                            "latest_version_id, created_at) VALUES (1, 1, 'C1', 1, 0)"),
                IsOk());
    ASSERT_THAT(
        (*db)->Exec(absl::StrCat("INSERT INTO document_versions (id, document_id, "
                                 "sha256, file_name, bytes, disposition, page_count, "
                                 "created_at) VALUES (1, 1, '",
                                 kSha1, "', 'C1.txt', 10, 3, 1, 0)")),
        IsOk());
  }
  path_ = old_path;
  ASSERT_THAT(Reopen(), IsOk());
  absl::StatusOr<std::vector<DocumentExemptions>> docs =
      store_->ListDocumentExemptions(kCase);
  ASSERT_THAT(docs, IsOk());
  ASSERT_THAT(*docs, SizeIs(1));
  EXPECT_FALSE((*docs)[0].known);
  // The same bytes submitted again record the exemption use.
  AuditRecord again = MakeRecord("C1", kSha1, {});
  again.stamp_codes = {"(b)(5)"};
  EXPECT_TRUE(Record(again).already_stored);
  docs = store_->ListDocumentExemptions(kCase);
  ASSERT_THAT(docs, IsOk());
  EXPECT_TRUE((*docs)[0].known);
  EXPECT_THAT((*docs)[0].stamp_codes, ElementsAre("(b)(5)"));
}

TEST_F(StoreTest, MigrationToSchema7KeepsSummariesAndRuleListings) {
  // A database written by a schema-6 build, with findings of two rules.
  store_.reset();
  const std::string old_path = ra::testing::MakeTempDir() + "/v6.db";
  {
    auto db = OldStoreWithC1(old_path, 6);
    ASSERT_THAT(db, IsOk());
    // Ids 1..6: rule a (1, 3, 5) and b; severity 1 + id % 3; id 6 waived.
    for (int id = 1; id <= 6; ++id) {
      ASSERT_THAT(InsertOldFinding(**db, id, id % 2 ? "rule.a" : "rule.b",
                                   1 + id % 3, id == 6 ? 4 : 1,
                                   absl::StrCat("fp", id)),
                  IsOk());
    }
  }
  path_ = old_path;
  ASSERT_THAT(Reopen(), IsOk());
  {
    auto db = store_internal::Db::Open(old_path, /*create=*/false);
    ASSERT_THAT(db, IsOk());
    EXPECT_EQ(*(*db)->QueryInt("PRAGMA user_version"), Store::SchemaVersion());
    EXPECT_EQ(*(*db)->QueryInt("SELECT COUNT(*) FROM sqlite_master WHERE "
                               "name = 'findings_summary_by_case'"),
              0);
    EXPECT_EQ(*(*db)->QueryText("SELECT sql FROM sqlite_master WHERE "
                                "name = 'findings_by_case_rule'"),
              "CREATE INDEX findings_by_case_rule ON findings(case_id, "
              "rule_id, id, severity, status)");
  }
  absl::StatusOr<CaseSummary> summary = store_->Summarize(kCase);
  ASSERT_THAT(summary, IsOk());
  EXPECT_EQ(summary->findings, 6);
  EXPECT_EQ(summary->by_rule, (Counts{{"rule.a", 3}, {"rule.b", 3}}));
  EXPECT_EQ(summary->by_severity,
            (Counts{{"error", 2}, {"info", 2}, {"warning", 2}}));
  EXPECT_EQ(summary->by_status, (Counts{{"open", 5}, {"waived", 1}}));
  FindingFilter filter;
  filter.case_number = kCase;
  filter.rule_id = "rule.b";
  EXPECT_THAT(Ids(ListAll(filter, 2)), ElementsAre(2, 4, 6));
  filter.min_severity = Severity::kWarning;
  EXPECT_THAT(Ids(ListAll(filter, 2)), ElementsAre(2, 4));
}

TEST_F(StoreTest, MigrationToSchema8DropsFourIndexesAndKeepsListings) {
  // A database written by a schema-7 build: one document with findings
  // whose fingerprints sort against their ids, one of them fixed.
  store_.reset();
  const std::string old_path = ra::testing::MakeTempDir() + "/v7.db";
  {
    auto db = OldStoreWithC1(old_path, 7);
    ASSERT_THAT(db, IsOk());
    ASSERT_THAT((*db)->Exec("INSERT INTO audit_runs (version_id, pack_version, "
                            "started_at, finding_count) VALUES (1, 'p@1', 0, 5)"),
                IsOk());
    // Ids 1..5 with fingerprints fp5..fp1; id 4 fixed.
    for (int id = 1; id <= 5; ++id) {
      ASSERT_THAT(InsertOldFinding(**db, id, "rule.a", 2, id == 4 ? 3 : 1,
                                   absl::StrCat("fp", 6 - id)),
                  IsOk());
    }
  }
  path_ = old_path;
  ASSERT_THAT(Reopen(), IsOk());
  {
    auto db = store_internal::Db::Open(old_path, /*create=*/false);
    ASSERT_THAT(db, IsOk());
    EXPECT_EQ(*(*db)->QueryInt("PRAGMA user_version"), 8);
    EXPECT_EQ(*(*db)->QueryInt(
                  "SELECT COUNT(*) FROM sqlite_master WHERE name IN "
                  "('documents_by_release', 'audit_runs_by_version', "
                  "'findings_by_document', 'findings_by_case')"),
              0);
  }
  FindingFilter filter;
  filter.case_number = kCase;
  filter.doc_number = "C1";
  EXPECT_THAT(Ids(ListAll(filter, 2)), ElementsAre(1, 2, 3, 4, 5));
  filter.case_number.clear();  // the document in any case
  EXPECT_THAT(Ids(ListAll(filter, 3)), ElementsAre(1, 2, 3, 4, 5));
  // The case's findings, open and fixed, merged in id order a page at a
  // time.
  filter.doc_number.clear();
  filter.case_number = kCase;
  EXPECT_THAT(Ids(ListAll(filter, 2)), ElementsAre(1, 2, 3, 4, 5));
  // The same content again: its current findings (not fixed), in id order.
  AuditOutcome again = Record(MakeRecord("C1", kSha1, {}));
  EXPECT_TRUE(again.already_stored);
  EXPECT_THAT(Ids(again.findings), ElementsAre(1, 2, 3, 5));
}

TEST_F(StoreTest, ReviewChecksEtag) {
  AuditOutcome v1 = Record(MakeRecord("C1", kSha1, {MakeFinding("a", 4)}));
  const int64_t id = v1.findings[0].id;
  now_ += absl::Minutes(5);
  absl::StatusOr<StoredFinding> r = store_->Review(
      {id, FindingStatus::kConfirmed, "alice", "checked the PDF", 1});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->status, FindingStatus::kConfirmed);
  EXPECT_EQ(r->etag, 2);
  EXPECT_THAT(
      store_->Review({id, FindingStatus::kFalsePositive, "bob", "", 1}),
      StatusIs(absl::StatusCode::kAborted,
               absl::StrCat("finding ", id,
                            " was changed by someone else (etag 2, you sent "
                            "1); re-read and retry")));
  // No check with etag 0.
  r = store_->Review({id, FindingStatus::kFalsePositive, "bob", "", 0});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->etag, 3);
  absl::StatusOr<std::vector<ReviewEntry>> history = store_->History(id);
  ASSERT_THAT(history, IsOk());
  ASSERT_THAT(*history, SizeIs(2));
  EXPECT_EQ((*history)[0].from, FindingStatus::kOpen);
  EXPECT_EQ((*history)[0].to, FindingStatus::kConfirmed);
  EXPECT_EQ((*history)[0].reviewer, "alice");
  EXPECT_EQ((*history)[0].note, "checked the PDF");
  EXPECT_EQ((*history)[0].at, now_);
  EXPECT_EQ((*history)[1].from, FindingStatus::kConfirmed);

  EXPECT_THAT(store_->Review({id, FindingStatus::kUnspecified, "bob", "", 0}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(store_->Review({999, FindingStatus::kOpen, "bob", "", 0}),
              StatusIs(absl::StatusCode::kNotFound, "finding 999 not found"));
  EXPECT_THAT(store_->History(999), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(StoreTest, GetFindingChecksCaseAndDocument) {
  AuditOutcome v1 = Record(MakeRecord("C1", kSha1, {MakeFinding("a", 4)}));
  const int64_t id = v1.findings[0].id;
  EXPECT_THAT(store_->GetFinding(kCase, "C1", id), IsOk());
  EXPECT_THAT(store_->GetFinding(kCase, "C2", id),
              StatusIs(absl::StatusCode::kNotFound, "not found"));
  EXPECT_THAT(store_->GetFinding("F-other", "C1", id),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_->GetFinding(kCase, "C1", id + 1),
              StatusIs(absl::StatusCode::kNotFound));
}

// A small corpus: two cases, two releases, mixed rules/severities/statuses.
class StoreFilterTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    const Severity sev[] = {Severity::kInfo, Severity::kWarning,
                            Severity::kError};
    int n = 0;
    for (int d = 0; d < 6; ++d) {
      std::vector<Finding> fs;
      for (int i = 0; i < 5; ++i, ++n) {
        fs.push_back(MakeFinding(absl::StrCat("fp", i), i + 1, sev[n % 3],
                                 n % 2 == 0 ? "rule.even" : "rule.odd"));
      }
      const std::string release = d < 3 ? "June" : "July";
      const std::string case_number = d == 5 ? "F-other" : kCase;
      AuditOutcome out =
          Record(MakeRecord(absl::StrCat("C", d), absl::StrCat("sha", d), fs,
                            release, case_number));
      for (const StoredFinding& f : out.findings) all_.push_back(f);
    }
    // Waive every fourth finding.
    for (size_t i = 0; i < all_.size(); i += 4) {
      absl::StatusOr<StoredFinding> r = store_->Review(
          {all_[i].id, FindingStatus::kWaived, "alice", "ok", 0});
      ASSERT_THAT(r, IsOk());
      all_[i] = *r;
    }
  }

  // Ids of all_ that pass `keep`.
  template <typename Pred>
  std::vector<int64_t> Expected(Pred keep) {
    std::vector<int64_t> out;
    for (const StoredFinding& f : all_) {
      if (keep(f)) out.push_back(f.id);
    }
    return out;
  }

  std::vector<StoredFinding> all_;
};

TEST_F(StoreFilterTest, KeysetPagingVisitsEveryFindingOnce) {
  ASSERT_THAT(all_, SizeIs(30));
  for (int page : {1, 2, 7, 30, 100}) {
    EXPECT_EQ(Ids(ListAll({}, page)), Ids(all_)) << "page " << page;
  }
  FindingFilter f;
  f.after_id = all_[9].id;
  f.limit = 3;
  EXPECT_THAT(Ids(List(f)), ElementsAre(all_[10].id, all_[11].id, all_[12].id));
  f.limit = 0;
  EXPECT_THAT(store_->ListFindings(f),
              StatusIs(absl::StatusCode::kInvalidArgument, "limit"));
}

TEST_F(StoreFilterTest, Filters) {
  struct Case {
    std::string name;
    FindingFilter filter;
    std::function<bool(const StoredFinding&)> keep;
  };
  auto filter = [](auto set) {
    FindingFilter f;
    set(f);
    return f;
  };
  const std::vector<Case> cases = {
      {"case", filter([](FindingFilter& f) { f.case_number = kCase; }),
       [](const StoredFinding& s) { return s.case_number == kCase; }},
      {"other case",
       filter([](FindingFilter& f) { f.case_number = "F-other"; }),
       [](const StoredFinding& s) { return s.case_number == "F-other"; }},
      {"unknown case",
       filter([](FindingFilter& f) { f.case_number = "F-none"; }),
       [](const StoredFinding&) { return false; }},
      {"release", filter([](FindingFilter& f) { f.release = "July"; }),
       [](const StoredFinding& s) { return s.release == "July"; }},
      {"case+release", filter([](FindingFilter& f) {
         f.case_number = kCase;
         f.release = "July";
       }),
       [](const StoredFinding& s) {
         return s.case_number == kCase && s.release == "July";
       }},
      {"doc", filter([](FindingFilter& f) { f.doc_number = "C2"; }),
       [](const StoredFinding& s) { return s.doc_number == "C2"; }},
      {"case+doc", filter([](FindingFilter& f) {
         f.case_number = kCase;
         f.doc_number = "C4";
       }),
       [](const StoredFinding& s) { return s.doc_number == "C4"; }},
      {"wrong case+doc", filter([](FindingFilter& f) {
         f.case_number = "F-other";
         f.doc_number = "C4";
       }),
       [](const StoredFinding&) { return false; }},
      {"rule", filter([](FindingFilter& f) { f.rule_id = "rule.odd"; }),
       [](const StoredFinding& s) { return s.finding.rule_id == "rule.odd"; }},
      {"case+rule", filter([](FindingFilter& f) {
         f.case_number = kCase;
         f.rule_id = "rule.even";
       }),
       [](const StoredFinding& s) {
         return s.case_number == kCase && s.finding.rule_id == "rule.even";
       }},
      {"min warning",
       filter([](FindingFilter& f) { f.min_severity = Severity::kWarning; }),
       [](const StoredFinding& s) {
         return s.finding.severity >= Severity::kWarning;
       }},
      {"case+min error", filter([](FindingFilter& f) {
         f.case_number = kCase;
         f.min_severity = Severity::kError;
       }),
       [](const StoredFinding& s) {
         return s.case_number == kCase &&
                s.finding.severity == Severity::kError;
       }},
      {"status",
       filter([](FindingFilter& f) { f.status = FindingStatus::kWaived; }),
       [](const StoredFinding& s) {
         return s.status == FindingStatus::kWaived;
       }},
      {"case+status+rule+severity", filter([](FindingFilter& f) {
         f.case_number = kCase;
         f.status = FindingStatus::kOpen;
         f.rule_id = "rule.even";
         f.min_severity = Severity::kWarning;
       }),
       [](const StoredFinding& s) {
         return s.case_number == kCase && s.status == FindingStatus::kOpen &&
                s.finding.rule_id == "rule.even" &&
                s.finding.severity >= Severity::kWarning;
       }},
      {"release+status", filter([](FindingFilter& f) {
         f.release = "June";
         f.status = FindingStatus::kOpen;
       }),
       [](const StoredFinding& s) {
         return s.release == "June" && s.status == FindingStatus::kOpen;
       }},
  };
  for (const Case& c : cases) {
    const std::vector<int64_t> want = Expected(c.keep);
    EXPECT_EQ(Ids(ListAll(c.filter, 100)), want) << c.name;
    EXPECT_EQ(Ids(ListAll(c.filter, 2)), want) << c.name << " paged";
  }
}

TEST_F(StoreFilterTest, Summarize) {
  // C0's re-audit drops fp4: it becomes fixed and leaves the counts.
  std::vector<Finding> fs;
  for (int i = 0; i < 4; ++i) {
    fs.push_back(MakeFinding(absl::StrCat("fp", i), i + 1,
                             all_[i].finding.severity,
                             all_[i].finding.rule_id));
  }
  AuditRecord r = MakeRecord("C0", "sha0-v2", fs, "June");
  r.disposition = Disposition::kFull;
  Record(r);

  absl::StatusOr<CaseSummary> s = store_->Summarize(kCase);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->case_number, kCase);
  EXPECT_EQ(s->documents, 5);
  EXPECT_EQ(s->versions, 6);
  EXPECT_EQ(s->findings, 24);
  // Findings n = 0..24 of the case minus n = 4 (fixed): rule by n % 2,
  // severity by n % 3 (info, warning, error), waived when n % 4 == 0.
  EXPECT_EQ(s->by_rule, (Counts{{"rule.even", 12}, {"rule.odd", 12}}));
  EXPECT_EQ(s->by_severity,
            (Counts{{"info", 9}, {"error", 8}, {"warning", 7}}));
  EXPECT_EQ(s->by_status, (Counts{{"open", 18}, {"waived", 6}}));
  EXPECT_THAT(s->by_disposition, ElementsAre(Pair("PART", 4), Pair("FULL", 1)));

  EXPECT_THAT(store_->Summarize("F-none"),
              StatusIs(absl::StatusCode::kNotFound, "F-none"));
}

TEST_F(StoreTest, RefusesANewerSchema) {
  store_.reset();
  {
    auto db = store_internal::Db::Open(path_, /*create=*/false);
    ASSERT_THAT(db, IsOk());
    ASSERT_THAT((*db)->Exec(absl::StrCat("PRAGMA user_version = ",
                                         Store::SchemaVersion() + 1)),
                IsOk());
  }
  EXPECT_THAT(Reopen(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                 "newer than this build's"));
  EXPECT_THAT(Reopen(), StatusIs(absl::StatusCode::kFailedPrecondition, path_));
}

TEST_F(StoreTest, CorruptFileNamesThePath) {
  store_.reset();
  const std::string garbage = ra::testing::MakeTempDir() + "/garbage.db";
  {
    std::ofstream out(garbage, std::ios::binary);
    for (int i = 0; i < 4096; ++i) out << "not a database, just bytes ";
  }
  path_ = garbage;
  absl::Status status = Reopen();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss, garbage));
  EXPECT_THAT(std::string(status.message()), HasSubstr("not a database"));
}

TEST_F(StoreTest, UnopenablePathIsNamed) {
  path_ = ra::testing::MakeTempDir() + "/no/such/dir/audit.db";
  EXPECT_THAT(Reopen(), StatusIs(absl::StatusCode::kFailedPrecondition, path_));
}

TEST_F(StoreTest, DocumentMovingReleaseMovesItsFindings) {
  Record(MakeRecord("C1", kSha1, {MakeFinding("a", 4)}, "June"));
  Record(MakeRecord("C1", kSha2, {MakeFinding("a", 4)}, "July"));
  FindingFilter f;
  f.release = "June";
  EXPECT_THAT(List(f), SizeIs(0));
  f.release = "July";
  EXPECT_THAT(List(f), SizeIs(1));
}

TEST_F(StoreTest, RecordAuditRollsBackOnAnyError) {
  AuditOutcome v1 = Record(
      MakeRecord("C1", kSha1, {MakeFinding("a", 4), MakeFinding("b", 9)}));
  {
    // Make the last write of the next re-audit (a history entry) fail.
    auto db = store_internal::Db::Open(path_, /*create=*/false);
    ASSERT_THAT(db, IsOk());
    ASSERT_THAT((*db)->Exec("CREATE TRIGGER fail BEFORE INSERT ON reviews "
                            "BEGIN SELECT RAISE(ABORT, 'injected'); END"),
                IsOk());
  }
  EXPECT_THAT(store_->RecordAudit(MakeRecord(
                  "C1", kSha2, {MakeFinding("a", 5), MakeFinding("c", 1)})),
              StatusIs(absl::StatusCode::kInternal, "INSERT INTO reviews"));
  // Nothing of v2 was kept: same findings, same version count.
  EXPECT_EQ(Ids(List({})), Ids(v1.findings));
  EXPECT_EQ(List({})[0].finding.line, 4);
  absl::StatusOr<CaseSummary> summary = store_->Summarize(kCase);
  ASSERT_THAT(summary, IsOk());
  EXPECT_EQ(summary->versions, 1);
  // And the connection is usable again.
  EXPECT_THAT(store_->RecordAudit(MakeRecord("C2", kSha2, {})), IsOk());
}

TEST_F(StoreTest, ConcurrentWritersOnTwoConnections) {
  StoreOptions options;
  options.clock = [] { return absl::FromUnixSeconds(1435622400); };
  absl::StatusOr<std::unique_ptr<Store>> second = Store::Open(path_, options);
  ASSERT_THAT(second, IsOk());
  Store* stores[] = {store_.get(), second->get()};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&stores, t] {
      for (int i = 0; i < 25; ++i) {
        const std::string doc = absl::StrCat("T", t, "-", i);
        EXPECT_THAT(stores[t % 2]->RecordAudit(
                        MakeRecord(doc, doc, {MakeFinding("a", 1)})),
                    IsOk());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_THAT(ListAll({}, 30), SizeIs(100));
}

// `returned` are the findings `listed`, field for field.
void ExpectSameFindings(const std::vector<StoredFinding>& returned,
                        const std::vector<StoredFinding>& listed) {
  ASSERT_EQ(returned.size(), listed.size());
  for (size_t i = 0; i < listed.size(); ++i) {
    const StoredFinding& r = returned[i];
    const StoredFinding& l = listed[i];
    EXPECT_EQ(r.id, l.id);
    EXPECT_EQ(r.case_number, l.case_number);
    EXPECT_EQ(r.doc_number, l.doc_number);
    EXPECT_EQ(r.release, l.release);
    EXPECT_EQ(r.version_sha256, l.version_sha256);
    EXPECT_EQ(r.status, l.status);
    EXPECT_EQ(r.etag, l.etag);
    EXPECT_EQ(r.file_name, l.file_name);
    EXPECT_EQ(r.finding.rule_id, l.finding.rule_id);
    EXPECT_EQ(r.finding.severity, l.finding.severity);
    EXPECT_EQ(r.finding.message, l.finding.message);
    EXPECT_EQ(r.finding.line, l.finding.line);
    EXPECT_EQ(r.finding.evidence, l.finding.evidence);
    EXPECT_EQ(r.finding.fingerprint, l.finding.fingerprint);
  }
}

TEST_F(StoreTest, RecordAuditsStoresABatchAndLeavesOutOnlyTheBadRecord) {
  AuditRecord a = MakeRecord("C1", kSha1, {MakeFinding("a", 4)});
  AuditRecord bad = MakeRecord("C2", "", {MakeFinding("b", 5)});  // no sha256
  AuditRecord c = MakeRecord("C3", kSha1, {MakeFinding("c", 6), MakeFinding("d", 7)});
  AuditRecord a_again = a;  // same content in the same batch
  auto results = store_->RecordAudits({&a, &bad, &c, &a_again});
  ASSERT_EQ(results.size(), 4u);
  ASSERT_THAT(results[0], IsOk());
  EXPECT_FALSE(results[0]->already_stored);
  EXPECT_THAT(results[1], StatusIs(absl::StatusCode::kInvalidArgument, "no sha256"));
  ASSERT_THAT(results[2], IsOk());
  EXPECT_EQ(results[2]->findings.size(), 2u);
  ASSERT_THAT(results[3], IsOk());
  EXPECT_TRUE(results[3]->already_stored);
  EXPECT_EQ(results[3]->version_id, results[0]->version_id);
  auto summary = store_->Summarize(kCase);
  ASSERT_THAT(summary, IsOk());
  EXPECT_EQ(summary->documents, 2);
  EXPECT_EQ(summary->findings, 3);
}

TEST_F(StoreTest, RecordAuditsLeavesOutARecordThatFailsWhileWritten) {
  {
    // The store of C2's document row fails, after its case and release
    // were written in the same transaction.
    auto db = store_internal::Db::Open(path_, /*create=*/false);
    ASSERT_THAT(db, IsOk());
    ASSERT_THAT((*db)->Exec("CREATE TRIGGER fail BEFORE INSERT ON documents "
                            "WHEN NEW.doc_number = 'C2' "
                            "BEGIN SELECT RAISE(ABORT, 'injected'); END"),
                IsOk());
  }
  AuditRecord a = MakeRecord("C1", kSha1, {MakeFinding("a", 4)}, "R1");
  AuditRecord bad = MakeRecord("C2", kSha2, {MakeFinding("b", 5)}, "R2");
  AuditRecord c = MakeRecord("C3", kSha3, {MakeFinding("c", 6), MakeFinding("d", 7)},
                             "R2");  // same release, same date as C2's
  auto results = store_->RecordAudits({&a, &bad, &c});
  ASSERT_EQ(results.size(), 3u);
  ASSERT_THAT(results[0], IsOk());
  EXPECT_THAT(results[1], StatusIs(absl::StatusCode::kInternal, "injected"));
  ASSERT_THAT(results[2], IsOk());
  // The release C2 created went with it; C3 holds one of its own.
  std::vector<StoredFinding> listed = ListAll({}, 10);
  ASSERT_THAT(listed, SizeIs(3));
  EXPECT_EQ(listed[0].release, "R1");
  EXPECT_EQ(listed[1].release, "R2");
  FindingFilter by_release;
  by_release.release = "R2";
  EXPECT_THAT(List(by_release), SizeIs(2));
  // The outcomes are the findings as stored, field for field.
  std::vector<StoredFinding> returned = results[0]->findings;
  returned.insert(returned.end(), results[2]->findings.begin(),
                  results[2]->findings.end());
  ExpectSameFindings(returned, listed);
  absl::StatusOr<CaseSummary> summary = store_->Summarize(kCase);
  ASSERT_THAT(summary, IsOk());
  EXPECT_EQ(summary->documents, 2);
  EXPECT_EQ(summary->versions, 2);
}

TEST_F(StoreTest, ABatchStoredAgainAfterAFailureKeepsItsNewDocumentsFindings) {
  // C1 is new and written with the documents queued before C5, a document
  // already stored; C2, new, fails when the rest of the queue is written:
  // the batch is stored again, one record at a time, from the same records.
  ASSERT_THAT(Record(MakeRecord("C5", kSha1, {MakeFinding("e", 2)})).findings,
              SizeIs(1));
  {
    auto db = store_internal::Db::Open(path_, /*create=*/false);
    ASSERT_THAT(db, IsOk());
    ASSERT_THAT((*db)->Exec("CREATE TRIGGER fail BEFORE INSERT ON documents "
                            "WHEN NEW.doc_number = 'C2' "
                            "BEGIN SELECT RAISE(ABORT, 'injected'); END"),
                IsOk());
  }
  AuditRecord a = MakeRecord("C1", kSha1, {MakeFinding("a", 4), MakeFinding("b", 5)});
  AuditRecord again = MakeRecord("C5", kSha2, {MakeFinding("e", 3)});
  AuditRecord bad = MakeRecord("C2", kSha2, {MakeFinding("c", 6)});
  auto results = store_->RecordAudits({&a, &again, &bad});
  ASSERT_EQ(results.size(), 3u);
  ASSERT_THAT(results[0], IsOk());
  ASSERT_THAT(results[1], IsOk());
  EXPECT_THAT(results[2], StatusIs(absl::StatusCode::kInternal, "injected"));
  FindingFilter c1;
  c1.doc_number = "C1";
  const std::vector<StoredFinding> listed = ListAll(c1, 10);
  ASSERT_THAT(listed, SizeIs(2));
  EXPECT_EQ(listed[0].finding.fingerprint, "a");
  EXPECT_EQ(listed[1].finding.message, "message for b");
  ExpectSameFindings(results[0]->findings, listed);
  FindingFilter c5;
  c5.doc_number = "C5";
  ExpectSameFindings(results[1]->findings, ListAll(c5, 10));
  EXPECT_EQ(results[1]->findings[0].finding.line, 3);
}

TEST_F(StoreTest, AdminSuppressionsAreAddedListedAndRemoved) {
  auto added = store_->AddSuppression({"0f" + std::string(30, 'a'), "published number",
                                       "Alex Admin", absl::InfinitePast()});
  ASSERT_THAT(added, IsOk());
  EXPECT_EQ(added->added_at, now_);  // the store's clock, not the caller's
  EXPECT_THAT(store_->AddSuppression({"0f" + std::string(30, 'a'), "again", "Bo", now_}),
              StatusIs(absl::StatusCode::kAlreadyExists, "by Alex Admin: published number"));
  ASSERT_THAT(store_->AddSuppression({"00" + std::string(30, 'b'), "r2", "Bo", now_}), IsOk());
  auto listed = store_->ListSuppressions();
  ASSERT_THAT(listed, IsOk());
  ASSERT_THAT(*listed, SizeIs(2));
  EXPECT_EQ((*listed)[0].added_by, "Bo");  // by fingerprint
  EXPECT_EQ((*listed)[1].reason, "published number");
  auto removed = store_->RemoveSuppression("0f" + std::string(30, 'a'));
  ASSERT_THAT(removed, IsOk());
  EXPECT_EQ(removed->added_by, "Alex Admin");
  EXPECT_THAT(store_->RemoveSuppression("0f" + std::string(30, 'a')),
              StatusIs(absl::StatusCode::kNotFound, "not suppressed"));
  EXPECT_THAT(*store_->ListSuppressions(), SizeIs(1));
}

}  // namespace
}  // namespace ra
