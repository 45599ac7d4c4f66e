// RecordAudit and Review: the store's writes.
#include <map>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "model/status_macros.h"
#include "store/store.h"
#include "store/store_impl.h"

namespace ra {

using store_internal::kSystemReviewer;
using store_internal::Transaction;

namespace {

bool ValidStatus(FindingStatus s) {
  return s >= FindingStatus::kOpen && s <= FindingStatus::kFalsePositive;
}

}  // namespace

// ---- RecordAudit ----

absl::StatusOr<AuditOutcome> Store::Impl::RecordAudit(
    const AuditRecord& record) {
  RA_RETURN_IF_ERROR(ValidateRecord(record));
  absl::MutexLock lock(&mu_);
  RA_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(*db_));
  BatchIds ids;
  RA_ASSIGN_OR_RETURN(AuditOutcome outcome, RecordInTransaction(record, ids));
  RA_RETURN_IF_ERROR(txn.Commit());
  return outcome;
}

std::vector<absl::StatusOr<AuditOutcome>> Store::Impl::RecordAudits(
    const std::vector<AuditRecord*>& records,
    const CrossCheckPart* cross_check) {
  absl::MutexLock lock(&mu_);
  // Records that fail do so in validation, before writing anything: the
  // batch is first stored without a savepoint per record (each costs a
  // copy of every page the record touches); should a record fail while
  // writing, that attempt is rolled back and the batch stored again, each
  // record in its savepoint, so that only the failing one is left out.
  std::optional<std::vector<absl::StatusOr<AuditOutcome>>> out =
      RecordBatch(records, /*savepoints=*/false, cross_check);
  if (!out) out = RecordBatch(records, /*savepoints=*/true, cross_check);
  return *std::move(out);
}

std::optional<std::vector<absl::StatusOr<AuditOutcome>>>
Store::Impl::RecordBatch(const std::vector<AuditRecord*>& records,
                         bool savepoints, const CrossCheckPart* cross_check) {
  std::vector<absl::StatusOr<AuditOutcome>> out;
  out.reserve(records.size());
  const int64_t since = NowMicros();
  absl::StatusOr<Transaction> txn = Transaction::Begin(*db_);
  if (!txn.ok()) {
    out.assign(records.size(), txn.status());
    if (cross_check != nullptr) *cross_check->stored = txn.status();
    return out;
  }
  BatchIds ids;
  // Without savepoints, documents new to the store are queued and written
  // together (WritePending): before any other record is stored, so that
  // every row gets the id it would get one record at a time, and at the
  // end. Their outcomes are set once all of the batch is written (a
  // failure before that stores the batch again, from the records).
  std::vector<PendingDocument> pending, written;
  if (!savepoints && !FindStoredDocuments(records, ids).ok()) {
    return std::nullopt;  // txn rolls back
  }
  for (AuditRecord* record : records) {
    absl::Status valid = ValidateRecord(*record);
    if (!valid.ok()) {
      out.push_back(std::move(valid));
      continue;
    }
    if (!savepoints) {
      absl::StatusOr<bool> queued =
          QueueNewDocument(*record, out.size(), ids, pending);
      if (!queued.ok()) return std::nullopt;  // txn rolls back
      if (*queued) {
        out.push_back(AuditOutcome());  // set by SetWrittenOutcomes
        continue;
      }
      if (!WritePending(pending, written).ok()) return std::nullopt;
      absl::StatusOr<AuditOutcome> outcome = RecordInTransaction(*record, ids);
      if (!outcome.ok()) return std::nullopt;
      out.push_back(std::move(outcome));
      continue;
    }
    // A savepoint per record: a failing record leaves no trace and the
    // others of the batch are still stored.
    absl::Status sp = db_->Exec("SAVEPOINT record");
    absl::StatusOr<AuditOutcome> outcome =
        sp.ok() ? RecordInTransaction(*record, ids)
                : absl::StatusOr<AuditOutcome>(sp);
    if (!outcome.ok() && sp.ok()) {
      sp = db_->Exec("ROLLBACK TO record");
      ids = BatchIds();
    }
    if (sp.ok()) sp = db_->Exec("RELEASE record");
    out.push_back(sp.ok() ? std::move(outcome) : absl::StatusOr<AuditOutcome>(sp));
  }
  if (!WritePending(pending, written).ok()) return std::nullopt;
  SetWrittenOutcomes(written, out);
  if (cross_check != nullptr) {
    // In a savepoint: when it fails, the audits are still stored.
    absl::Status sp = db_->Exec("SAVEPOINT cross_check");
    absl::StatusOr<CrossCheckStored> stored =
        sp.ok() ? ApplyCrossCheckInTransaction(*cross_check->findings,
                                               *cross_check->checked, since,
                                               &ids)
                : absl::StatusOr<CrossCheckStored>(sp);
    if (!stored.ok() && sp.ok()) sp = db_->Exec("ROLLBACK TO cross_check");
    if (sp.ok()) sp = db_->Exec("RELEASE cross_check");
    *cross_check->stored =
        sp.ok() ? std::move(stored) : absl::StatusOr<CrossCheckStored>(sp);
  }
  absl::Status committed = txn->Commit();
  if (!committed.ok()) {
    for (auto& o : out) o = committed;
    if (cross_check != nullptr) *cross_check->stored = committed;
  }
  return out;
}

absl::Status Store::Impl::ValidateRecord(const AuditRecord& record) {
  const ReleaseMetadata& meta = record.metadata;
  if (meta.case_number.empty() || meta.doc_number.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("audit record for file '", record.file_name,
                     "' needs a case number and a doc number (got '",
                     meta.case_number, "' and '", meta.doc_number, "')"));
  }
  if (record.sha256.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("audit record for ", meta.case_number, "/",
                     meta.doc_number, " has no sha256"));
  }
  for (const Finding& f : record.findings) {
    if (f.fingerprint.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "finding of rule ", f.rule_id, " at line ", f.line, " of ",
          meta.case_number, "/", meta.doc_number, " has no fingerprint"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<AuditOutcome> Store::Impl::RecordInTransaction(
    const AuditRecord& record, BatchIds& ids) {
  const ReleaseMetadata& meta = record.metadata;
  AuditOutcome outcome;
  RA_ASSIGN_OR_RETURN(std::optional<int64_t> case_id,
                      CachedCaseId(meta.case_number, ids));
  std::optional<int64_t> doc_id;
  if (case_id) {
    RA_ASSIGN_OR_RETURN(doc_id, LookupId("SELECT id FROM documents WHERE "
                                         "case_id = ?1 AND doc_number = ?2",
                                         *case_id, meta.doc_number));
  }
  // A document new to the store: it has no findings to match, and its
  // findings are the ones inserted below.
  const bool new_document = !doc_id;
  if (doc_id) {
    RA_ASSIGN_OR_RETURN(
        Statement s,
        db_->Prepare("SELECT v.id, v.exemptions_recorded, "
                     "d.latest_version_id IS v.id FROM document_versions AS v "
                     "JOIN documents AS d ON d.id = v.document_id "
                     "WHERE v.document_id = ?1 AND v.sha256 = ?2"));
    RA_RETURN_IF_ERROR(s.BindAll(*doc_id, record.sha256));
    RA_ASSIGN_OR_RETURN(bool row, s.Step());
    if (row) {
      outcome.already_stored = true;
      outcome.version_id = s.ColumnInt(0);
      const bool recorded = s.ColumnInt(1) != 0;
      const bool latest = s.ColumnInt(2) != 0;
      if (!recorded) RA_RETURN_IF_ERROR(WriteExemptions(outcome.version_id, record));
      if (latest) {
        RA_ASSIGN_OR_RETURN(outcome.findings, CurrentFindings(*doc_id));
        return outcome;  // nothing else written
      }
      // An older version's exact content is current again: its findings
      // are matched below as a new version's would be.
    }
  }

  const int64_t now = NowMicros();
  RA_RETURN_IF_ERROR(InsertCaseIfMissing(meta.case_number, now, ids, &case_id));
  RA_ASSIGN_OR_RETURN(std::optional<int64_t> release_id,
                      UpsertRelease(meta.release, meta.release_date, now, &ids));
  if (!doc_id) {
    RA_ASSIGN_OR_RETURN(Statement s,
                        db_->Prepare("INSERT INTO documents (case_id, "
                                     "doc_number, release_id, created_at) "
                                     "VALUES (?1, ?2, ?3, ?4)"));
    RA_RETURN_IF_ERROR(s.BindAll(*case_id, meta.doc_number));
    RA_RETURN_IF_ERROR(release_id ? s.Bind(3, *release_id) : s.BindNull(3));
    RA_RETURN_IF_ERROR(s.Bind(4, now));
    RA_RETURN_IF_ERROR(s.Run());
    doc_id = db_->LastInsertRowId();
    ids.new_documents.Insert(meta.case_number, meta.doc_number);
  } else if (release_id) {
    // The document moved to another release: keep findings in step.
    RA_RETURN_IF_ERROR(
        Run("UPDATE documents SET release_id = ?1 WHERE id = ?2 "
            "AND release_id IS NOT ?1",
            *release_id, *doc_id));
    if (db_->Changes() > 0) {
      RA_RETURN_IF_ERROR(
          Run("UPDATE findings SET release_id = ?1 WHERE document_id = ?2",
              *release_id, *doc_id));
    }
  }

  if (!outcome.already_stored) {
    // Inserted with its exemption use marked known: WriteExemptions below
    // stores it in the same transaction.
    RA_RETURN_IF_ERROR(
        Run("INSERT INTO document_versions (document_id, sha256, file_name, "
            "bytes, disposition, page_count, created_at, "
            "exemptions_recorded) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1)",
            *doc_id, record.sha256, record.file_name, record.content_bytes,
            static_cast<int>(record.disposition), record.page_count, now));
    outcome.version_id = db_->LastInsertRowId();
    if (!record.passage_text.empty()) {
      RA_ASSIGN_OR_RETURN(
          Statement s,
          db_->Prepare(
              "INSERT INTO passage_texts (version_id, body) VALUES (?1, ?2)"));
      RA_RETURN_IF_ERROR(s.Bind(1, outcome.version_id));
      RA_RETURN_IF_ERROR(s.Bind(2, record.passage_text));
      RA_RETURN_IF_ERROR(s.Run());
    }
    RA_RETURN_IF_ERROR(
        WriteExemptions(outcome.version_id, record, /*fresh=*/true));
  }
  RA_RETURN_IF_ERROR(
      Run("UPDATE documents SET latest_version_id = ?1 WHERE id = ?2",
          outcome.version_id, *doc_id));

  // Existing findings of the document, by fingerprint.
  struct Existing {
    int64_t id;
    FindingStatus status;
  };
  std::map<std::string, Existing> existing;
  if (!new_document) {
    RA_ASSIGN_OR_RETURN(Statement s,
                        db_->Prepare("SELECT id, fingerprint, status FROM "
                                     "findings WHERE document_id = ?1 "
                                     "AND scope = 0"));
    RA_RETURN_IF_ERROR(s.Bind(1, *doc_id));
    while (true) {
      RA_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      existing[s.ColumnText(1)] = {s.ColumnInt(0),
                                   static_cast<FindingStatus>(s.ColumnInt(2))};
    }
  }

  const FindingTarget target{*doc_id, *case_id, release_id, outcome.version_id};
  const std::string reopen_note = absl::StrCat("reappeared in version ", record.sha256);
  const std::string reviewer =
      record.submitter.empty() ? std::string(kSystemReviewer) : record.submitter;
  std::set<std::string> produced;
  for (const Finding& f : record.findings) {
    if (!produced.insert(f.fingerprint).second) continue;  // duplicate
    auto it = existing.find(f.fingerprint);
    if (it != existing.end()) {
      RA_RETURN_IF_ERROR(RefreshFinding(it->second.id, it->second.status, f,
                                        outcome.version_id, reopen_note, now,
                                        reviewer));
    } else {
      RA_RETURN_IF_ERROR(InsertFinding(target, f, now));
      if (new_document) {
        // What CurrentFindings would read back: the document's findings
        // are these, open, in id order.
        StoredFinding& stored = outcome.findings.emplace_back();
        stored.id = db_->LastInsertRowId();
        stored.case_number = meta.case_number;
        stored.doc_number = meta.doc_number;
        if (release_id) stored.release = meta.release;
        stored.version_sha256 = record.sha256;
        stored.status = FindingStatus::kOpen;
        stored.etag = 1;
        stored.finding = f;
        stored.file_name = record.file_name;
      }
    }
  }
  for (const auto& [fingerprint, e] : existing) {
    if (produced.count(fingerprint) > 0 || e.status == FindingStatus::kFixed) {
      continue;
    }
    RA_RETURN_IF_ERROR(CloseFinding(
        e.id, e.status, reviewer,
        absl::StrCat("not produced by version ", record.sha256), now));
  }

  RA_RETURN_IF_ERROR(
      Run("INSERT INTO audit_runs (version_id, pack_version, started_at, "
          "finding_count) VALUES (?1, ?2, ?3, ?4)",
          outcome.version_id, record.pack_version, now,
          static_cast<int64_t>(produced.size())));
  if (!new_document) {
    RA_ASSIGN_OR_RETURN(outcome.findings, CurrentFindings(*doc_id));
  }
  return outcome;
}

absl::Status Store::Impl::InsertCaseIfMissing(const std::string& case_number,
                                              int64_t now, BatchIds& ids,
                                              std::optional<int64_t>* case_id) {
  if (*case_id) return absl::OkStatus();
  RA_RETURN_IF_ERROR(Run("INSERT INTO cases (case_number, created_at) VALUES (?1, ?2)",
                         case_number, now));
  *case_id = db_->LastInsertRowId();
  ids.cases.emplace(case_number, **case_id);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<int64_t>> Store::Impl::UpsertRelease(
    const std::string& name, const std::string& release_date, int64_t now,
    BatchIds* ids) {
  if (name.empty()) return std::optional<int64_t>();
  if (ids != nullptr) {
    auto it = ids->releases.find(name);
    // Stored by this transaction; an empty date or the one it holds
    // changes nothing.
    if (it != ids->releases.end() &&
        (release_date.empty() || it->second.date == release_date)) {
      return std::optional<int64_t>(it->second.id);
    }
  }
  RA_RETURN_IF_ERROR(
      Run("INSERT INTO releases (name, release_date, created_at) "
          "VALUES (?1, ?2, ?3) ON CONFLICT (name) DO UPDATE SET "
          "release_date = excluded.release_date "
          "WHERE excluded.release_date != ''",
          name, release_date, now));
  RA_ASSIGN_OR_RETURN(std::optional<int64_t> id,
                      LookupId("SELECT id FROM releases WHERE name = ?1", name));
  if (ids != nullptr && id) {
    BatchIds::Release& cached = ids->releases[name];
    cached.id = *id;
    if (!release_date.empty()) cached.date = release_date;
  }
  return id;
}

absl::Status Store::Impl::CloseFinding(int64_t id, FindingStatus from,
                                       absl::string_view reviewer,
                                       absl::string_view note, int64_t now) {
  RA_RETURN_IF_ERROR(Run("UPDATE findings SET status = ?1, etag = etag + 1, "
                         "updated_at = ?2 WHERE id = ?3",
                         static_cast<int>(FindingStatus::kFixed), now, id));
  RA_ASSIGN_OR_RETURN(
      Statement review,
      db_->Prepare("INSERT INTO reviews (finding_id, from_status, to_status, "
                   "reviewer, note, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  return AddReview(review, id, from, FindingStatus::kFixed, reviewer, note, now);
}

absl::Status Store::Impl::RefreshFinding(int64_t id, FindingStatus status,
                                         const Finding& f,
                                         std::optional<int64_t> version_id,
                                         const std::string& reopen_note,
                                         int64_t now, absl::string_view reviewer) {
  const bool reopen = status == FindingStatus::kFixed;
  RA_ASSIGN_OR_RETURN(
      Statement update,
      db_->Prepare("UPDATE findings SET version_id = ?1, severity = ?2, "
                   "message = ?3, page = ?4, line = ?5, col = ?6, "
                   "length = ?7, evidence = ?8, status = ?9, "
                   "etag = etag + ?10, updated_at = ?11 WHERE id = ?12"));
  RA_RETURN_IF_ERROR(update.BindAll(
      version_id, static_cast<int>(f.severity), f.message, f.page, f.line,
      f.column, f.length, f.evidence,
      static_cast<int>(reopen ? FindingStatus::kOpen : status), reopen ? 1 : 0,
      now, id));
  RA_RETURN_IF_ERROR(update.Run());
  if (!reopen) return absl::OkStatus();
  RA_ASSIGN_OR_RETURN(
      Statement review,
      db_->Prepare("INSERT INTO reviews (finding_id, from_status, to_status, "
                   "reviewer, note, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  return AddReview(review, id, FindingStatus::kFixed, FindingStatus::kOpen,
                   reviewer, reopen_note, now);
}

absl::Status Store::Impl::InsertFinding(const FindingTarget& target,
                                        const Finding& f, int64_t now) {
  RA_ASSIGN_OR_RETURN(
      Statement insert,
      db_->Prepare("INSERT INTO findings (document_id, case_id, release_id, "
                   "version_id, rule_id, severity, status, message, page, "
                   "line, col, length, evidence, fingerprint, etag, "
                   "created_at, updated_at, scope) VALUES (?1, ?2, ?3, ?4, "
                   "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 1, ?15, ?15, "
                   "?16)"));
  RA_RETURN_IF_ERROR(insert.BindAll(target.document_id, target.case_id,
                                    target.release_id, target.version_id));
  RA_RETURN_IF_ERROR(insert.Bind(5, f.rule_id));
  RA_RETURN_IF_ERROR(insert.Bind(6, static_cast<int>(f.severity)));
  RA_RETURN_IF_ERROR(insert.Bind(7, static_cast<int>(FindingStatus::kOpen)));
  RA_RETURN_IF_ERROR(insert.Bind(8, f.message));
  RA_RETURN_IF_ERROR(insert.Bind(9, f.page));
  RA_RETURN_IF_ERROR(insert.Bind(10, f.line));
  RA_RETURN_IF_ERROR(insert.Bind(11, f.column));
  RA_RETURN_IF_ERROR(insert.Bind(12, f.length));
  RA_RETURN_IF_ERROR(insert.Bind(13, f.evidence));
  RA_RETURN_IF_ERROR(insert.Bind(14, f.fingerprint));
  RA_RETURN_IF_ERROR(insert.Bind(15, now));
  RA_RETURN_IF_ERROR(insert.Bind(16, target.scope));
  return insert.Run();
}

// ---- Review ----

absl::StatusOr<StoredFinding> Store::Impl::Review(const ReviewChange& change) {
  if (!ValidStatus(change.status)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "review of finding ", change.finding_id, " needs a status (got ",
        std::string(FindingStatusName(change.status)), ")"));
  }
  absl::MutexLock lock(&mu_);
  RA_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(*db_));
  RA_ASSIGN_OR_RETURN(std::optional<StoredFinding> found,
                      FindingById(change.finding_id));
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat("finding ", change.finding_id, " not found"));
  }
  if (change.expected_etag != 0 && change.expected_etag != found->etag) {
    return absl::AbortedError(absl::StrCat(
        "finding ", change.finding_id, " was changed by someone else (etag ",
        found->etag, ", you sent ", change.expected_etag,
        "); re-read and retry"));
  }
  const int64_t now = NowMicros();
  RA_RETURN_IF_ERROR(
      Run("UPDATE findings SET status = ?1, etag = etag + 1, "
          "updated_at = ?2 WHERE id = ?3",
          static_cast<int>(change.status), now, change.finding_id));
  RA_ASSIGN_OR_RETURN(
      Statement review,
      db_->Prepare("INSERT INTO reviews (finding_id, from_status, to_status, "
                   "reviewer, note, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  RA_RETURN_IF_ERROR(AddReview(review, change.finding_id, found->status,
                               change.status, change.reviewer, change.note,
                               now));
  RA_RETURN_IF_ERROR(txn.Commit());
  found->status = change.status;
  found->etag += 1;
  return *std::move(found);
}

}  // namespace ra
