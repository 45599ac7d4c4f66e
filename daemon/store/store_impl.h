// Private to the store module: Store::Impl and the helpers its .cc files
// share (store.cc: open and reads; store_write.cc: RecordAudit, Review).
#ifndef RA_STORE_STORE_IMPL_H_
#define RA_STORE_STORE_IMPL_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "model/status_macros.h"
#include "store/sqlite.h"
#include "store/store.h"

namespace ra {
namespace store_internal {

// Reviewer named in history entries the store writes itself.
inline constexpr char kSystemReviewer[] = "redaction-auditd";

// SELECT of every StoredFinding column from findings AS f joined to its
// document, case, version and release; `index_clause` ("INDEXED BY x",
// "NOT INDEXED" or "") follows `findings AS f`. Append WHERE/ORDER BY.
std::string FindingSelect(absl::string_view index_clause);
// Reads the current row of a FindingSelect query.
StoredFinding ReadFinding(const Statement& s);

// The exemption use of an audited version: each canonical code the stamp
// cites or the marks use -> (its position in the stamp, -1 when only
// marked; the marks counted). (store_exemptions.cc)
std::map<std::string, std::pair<int, int>> ExemptionUse(
    const AuditRecord& record);

// A set of documents by (case number, doc number), looked up without
// copying either.
class DocumentSet {
 public:
  bool Contains(absl::string_view case_number,
                absl::string_view doc_number) const {
    auto it = docs_.find(case_number);
    return it != docs_.end() && it->second.count(doc_number) > 0;
  }
  void Insert(absl::string_view case_number, absl::string_view doc_number) {
    auto it = docs_.find(case_number);
    if (it == docs_.end()) {
      it = docs_.try_emplace(std::string(case_number)).first;
    }
    it->second.emplace(doc_number);
  }

 private:
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> docs_;
};

}  // namespace store_internal

// All methods take mu_; the helpers below expect it held.
class Store::Impl {
 public:
  using Db = store_internal::Db;
  using Statement = store_internal::Statement;
  using Transaction = store_internal::Transaction;

  Impl(std::unique_ptr<Db> db, StoreOptions options)
      : db_(std::move(db)), options_(std::move(options)) {}

  absl::StatusOr<AuditOutcome> RecordAudit(const AuditRecord& record);
  // The cross-document part of a batch (Store::RecordAudits).
  struct CrossCheckPart {
    const std::vector<DocumentFinding>* findings;
    const std::vector<DocumentRef>* checked;
    absl::StatusOr<CrossCheckStored>* stored;
  };
  std::vector<absl::StatusOr<AuditOutcome>> RecordAudits(
      const std::vector<AuditRecord*>& records,
      const CrossCheckPart* cross_check = nullptr);
  absl::StatusOr<std::vector<StoredFinding>> ListFindings(
      const FindingFilter& filter);
  absl::StatusOr<StoredFinding> GetFinding(const std::string& case_number,
                                           const std::string& doc_number,
                                           int64_t id);
  absl::StatusOr<StoredFinding> Review(const ReviewChange& change);
  absl::StatusOr<std::vector<ReviewEntry>> History(int64_t finding_id);
  absl::StatusOr<CaseSummary> Summarize(const std::string& case_number);
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
  StoredVersions(const std::string& case_number);
  absl::Status Backup(const std::string& path);
  absl::Status ForEachPassage(const std::string& case_number,
                              const std::function<void(StoredPassage)>& fn);
  absl::StatusOr<int64_t> AddFindings(
      const std::vector<DocumentFinding>& findings);
  absl::StatusOr<std::vector<CaseDocument>> ListCaseDocuments(
      const std::string& case_number);
  absl::StatusOr<ReleaseCheckOutcome> RecordReleaseCheck(
      const ReleaseCheckRecord& record);
  absl::StatusOr<std::vector<DocumentExemptions>> ListDocumentExemptions(
      const std::string& case_number);
  absl::StatusOr<CrossCheckStored> ApplyCrossCheck(
      const std::vector<DocumentFinding>& findings,
      const std::vector<DocumentRef>& checked);

  absl::StatusOr<SuppressionRecord> AddSuppression(SuppressionRecord record);
  absl::StatusOr<SuppressionRecord> RemoveSuppression(
      const std::string& fingerprint);
  absl::StatusOr<std::vector<SuppressionRecord>> ListSuppressions();
  // Reports a write to options_.on_write, if set.
  void ReportWrite(absl::Time start, bool ok) const {
    if (options_.on_write) options_.on_write(absl::Now() - start, ok);
  }

 private:
  // Replaces the exemption use stored for `version_id` with the record's
  // and marks it known; `fresh`: the version was inserted by this audit
  // already marked known, with no use stored yet (nothing to replace or
  // mark). (store_exemptions.cc)
  absl::Status WriteExemptions(int64_t version_id, const AuditRecord& record,
                               bool fresh = false)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The suppression of `fingerprint`, if any (mu_ held).
  absl::StatusOr<std::optional<SuppressionRecord>> FindSuppression(
      const std::string& fingerprint) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Ids a batch of audits looks up again and again (its case, its
  // releases), as they stand inside the open transaction; cleared whenever
  // changes are rolled back.
  struct BatchIds {
    std::map<std::string, int64_t, std::less<>> cases;
    struct Release {
      int64_t id = 0;
      // The release_date the row holds, when this transaction set it.
      std::optional<std::string> date;
    };
    std::map<std::string, Release, std::less<>> releases;
    // Documents (case number, doc number) whose row this transaction
    // inserted or queued (PendingDocuments): no finding stored before
    // names one as its partner.
    store_internal::DocumentSet new_documents;
    // Documents (case number, doc number) of the batch's records that the
    // store held when the transaction began (FindStoredDocuments).
    store_internal::DocumentSet stored_documents;
  };
  // Sets `ids.stored_documents` for `records`, a few statements for the lot.
  // (store_batch.cc)
  absl::Status FindStoredDocuments(const std::vector<AuditRecord*>& records,
                                   BatchIds& ids)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // A valid record of a document new to the store, queued by
  // QueueNewDocument, whose rows are written with the other queued ones
  // by WritePending, a few statements for the lot.
  struct PendingDocument {
    AuditRecord* record = nullptr;
    size_t slot = 0;  // index of its outcome in RecordBatch's results
    int64_t case_id = 0;
    std::optional<int64_t> release_id;
    int64_t now = 0;
    std::vector<Finding*> findings;  // distinct fingerprints, in order
    // Set by WritePending.
    int64_t version_id = 0;
    int64_t first_finding_id = 0;  // the others follow
  };
  // Queues `record` (valid) as a PendingDocument when its document is
  // neither stored nor queued (its case and release are written now), and
  // returns whether it did. `ids.stored_documents` is set.
  absl::StatusOr<bool> QueueNewDocument(AuditRecord& record, size_t slot,
                                        BatchIds& ids,
                                        std::vector<PendingDocument>& pending)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Writes the queued documents (versions, passage texts, exemption use,
  // findings, audit runs) with ids one past the largest of each table, as
  // one at a time would get them, and moves them to `written`.
  // (store_batch.cc)
  absl::Status WritePending(std::vector<PendingDocument>& pending,
                            std::vector<PendingDocument>& written)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Sets the outcome of each written document in `out`, its findings moved
  // from its record (once nothing of the batch can be written again).
  static void SetWrittenOutcomes(std::vector<PendingDocument>& written,
                                 std::vector<absl::StatusOr<AuditOutcome>>& out);
  // Runs `head` ("INSERT INTO t (a, b) VALUES ") with `n` rows, each
  // `row` ("(?, ?)", `params` parameters), many rows a statement;
  // bind(statement, first, i) binds row i from parameter `first` on.
  // `head` and `row` are string literals (their statements are kept by
  // the address of `head`).
  template <typename BindRow>
  absl::Status InsertRows(const char* head, const char* row, int params,
                          size_t n, const BindRow& bind)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return RunRows(head, row, "", params, n, bind, [](const Statement&) {});
  }
  // InsertRows' loop for any statement `head` rows `tail` (a string
  // literal too), calling on_result(statement) for each row it returns.
  template <typename BindRow, typename OnResult>
  absl::Status RunRows(const char* head, const char* row, const char* tail,
                       int params, size_t n, const BindRow& bind,
                       const OnResult& on_result)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    // Powers of two, so that few statements are compiled and cached.
    constexpr size_t kMaxRows = 128;
    for (size_t i = 0; i < n;) {
      size_t k = kMaxRows;
      while (k > n - i) k /= 2;
      std::string& sql = multi_row_sql_[{head, k}];
      if (sql.empty()) {
        sql = head;
        for (size_t j = 0; j < k; ++j) {
          if (j > 0) sql.push_back(',');
          sql += row;
        }
        sql += tail;
      }
      RA_ASSIGN_OR_RETURN(Statement s, db_->Prepare(sql));
      for (size_t j = 0; j < k; ++j) {
        RA_RETURN_IF_ERROR(bind(s, static_cast<int>(j) * params + 1, i + j));
      }
      while (true) {
        RA_ASSIGN_OR_RETURN(bool more, s.Step());
        if (!more) break;
        on_result(s);
      }
      i += k;
    }
    return absl::OkStatus();
  }
  // INVALID_ARGUMENT naming what an audit record lacks, if it does.
  static absl::Status ValidateRecord(const AuditRecord& record);
  // RecordAudits in one transaction; with `savepoints`, each record in its
  // own savepoint so that a failing one leaves no trace. Without, the
  // first record failing past validation rolls everything back and the
  // result is nullopt. (mu_ held)
  std::optional<std::vector<absl::StatusOr<AuditOutcome>>> RecordBatch(
      const std::vector<AuditRecord*>& records, bool savepoints,
      const CrossCheckPart* cross_check) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // ApplyCrossCheck's work inside an open transaction that started at
  // `since` (a finding this transaction already stored as found is not
  // written again). A checked document in `ids->new_documents` has no
  // stale partner findings to look for. (store_xdoc.cc)
  absl::StatusOr<CrossCheckStored> ApplyCrossCheckInTransaction(
      const std::vector<DocumentFinding>& findings,
      const std::vector<DocumentRef>& checked, int64_t since,
      const BatchIds* ids = nullptr) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // RecordAudit's work, for a valid record, inside an open transaction
  // (mu_ held).
  absl::StatusOr<AuditOutcome> RecordInTransaction(const AuditRecord& record,
                                                   BatchIds& ids)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  int64_t NowMicros() const { return absl::ToUnixMicros(options_.clock()); }

  // The first column of the first row of `sql` bound to `args`, or nullopt
  // when there is no row.
  template <typename... Args>
  absl::StatusOr<std::optional<int64_t>> LookupId(absl::string_view sql,
                                                  const Args&... args)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    RA_ASSIGN_OR_RETURN(Statement s, db_->Prepare(sql));
    RA_RETURN_IF_ERROR(s.BindAll(args...));
    RA_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<int64_t>();
    return std::optional<int64_t>(s.ColumnInt(0));
  }

  // The id of case `case_number` as this transaction holds it (nullopt:
  // none), looked up once a batch.
  absl::StatusOr<std::optional<int64_t>> CachedCaseId(
      const std::string& case_number, BatchIds& ids)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (auto cached = ids.cases.find(case_number); cached != ids.cases.end()) {
      return std::optional<int64_t>(cached->second);
    }
    RA_ASSIGN_OR_RETURN(
        std::optional<int64_t> id,
        LookupId("SELECT id FROM cases WHERE case_number = ?1", case_number));
    if (id) ids.cases.emplace(case_number, *id);
    return id;
  }

  // The id of case `case_number`; NOT_FOUND naming it when there is none.
  absl::StatusOr<int64_t> CaseId(const std::string& case_number)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    RA_ASSIGN_OR_RETURN(
        std::optional<int64_t> id,
        LookupId("SELECT id FROM cases WHERE case_number = ?1", case_number));
    if (!id) {
      return absl::NotFoundError(absl::StrCat("case ", case_number, " not found"));
    }
    return *id;
  }

  template <typename... Args>
  absl::Status Run(absl::string_view sql, const Args&... args)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    RA_ASSIGN_OR_RETURN(Statement s, db_->Prepare(sql));
    RA_RETURN_IF_ERROR(s.BindAll(args...));
    return s.Run();
  }

  // Where a new finding is stored: its document, case, release, version.
  struct FindingTarget {
    int64_t document_id = 0;
    int64_t case_id = 0;
    std::optional<int64_t> release_id;
    std::optional<int64_t> version_id;  // none: a document never submitted
    int scope = 0;  // 0: a document audit's; 1: a release check's
  };
  // Inserts case `case_number` (at `now`) when `*case_id` is empty and
  // sets it; this transaction's BatchIds remember its id.
  // (store_write.cc)
  absl::Status InsertCaseIfMissing(const std::string& case_number, int64_t now,
                                   BatchIds& ids, std::optional<int64_t>* case_id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The id of release `name`, created when new (a non-empty
  // `release_date` updates it); nullopt for an empty name. With `ids`, a
  // release this transaction already holds as asked is not written again.
  // (store_write.cc)
  absl::StatusOr<std::optional<int64_t>> UpsertRelease(
      const std::string& name, const std::string& release_date, int64_t now,
      BatchIds* ids = nullptr) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Refreshes finding `id` (now in `status`) from `f` as seen in
  // `version_id`, keeping its review status; a `fixed` one reopens, with a
  // history entry by `reviewer` carrying `reopen_note`. (store_write.cc)
  absl::Status RefreshFinding(
      int64_t id, FindingStatus status, const Finding& f,
      std::optional<int64_t> version_id, const std::string& reopen_note,
      int64_t now, absl::string_view reviewer = store_internal::kSystemReviewer)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Marks finding `id` (now in `from`, not fixed) fixed, with a history
  // entry by `reviewer` carrying `note`. (store_write.cc)
  absl::Status CloseFinding(int64_t id, FindingStatus from,
                            absl::string_view reviewer, absl::string_view note,
                            int64_t now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Inserts `f` as a new open finding of `target`. (store_write.cc)
  absl::Status InsertFinding(const FindingTarget& target, const Finding& f,
                             int64_t now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Status AddReview(Statement& insert, int64_t finding_id,
                         FindingStatus from, FindingStatus to,
                         absl::string_view reviewer, absl::string_view note,
                         int64_t at) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    insert.Reset();
    RA_RETURN_IF_ERROR(insert.BindAll(finding_id, static_cast<int>(from),
                                      static_cast<int>(to), reviewer, note,
                                      at));
    return insert.Run();
  }

  // Findings of a document that are not fixed, by id.
  absl::StatusOr<std::vector<StoredFinding>> CurrentFindings(
      int64_t document_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<std::optional<StoredFinding>> FindingById(int64_t id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  std::unique_ptr<Db> db_ ABSL_GUARDED_BY(mu_);
  // InsertRows' statements, by their head (a string literal) and rows.
  std::map<std::pair<const char*, size_t>, std::string> multi_row_sql_
      ABSL_GUARDED_BY(mu_);
  const StoreOptions options_;
};

}  // namespace ra

#endif  // RA_STORE_STORE_IMPL_H_
