#include "store/store.h"

// Store::Open and the reads: ListFindings, GetFinding, History, Summarize.
#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "model/status_macros.h"
#include "store/schema.h"
#include "store/sqlite.h"
#include "store/store_impl.h"

namespace ra {
namespace store_internal {
namespace {

// Columns read by ReadFinding, in order. `%INDEX%` is replaced by an
// INDEXED BY clause (or nothing). CROSS JOIN keeps findings the outer loop so
// that the id order of the chosen index is the output order.
constexpr char kFindingSelect[] =
    "SELECT f.id, c.case_number, d.doc_number, COALESCE(r.name, ''), "
    "COALESCE(v.sha256, ''), f.status, f.etag, f.rule_id, f.severity, "
    "f.message, f.page, f.line, f.col, f.length, f.evidence, f.fingerprint, "
    "COALESCE(v.file_name, '') "
    "FROM findings AS f %INDEX% "
    "CROSS JOIN documents AS d ON d.id = f.document_id "
    "CROSS JOIN cases AS c ON c.id = f.case_id "
    "LEFT JOIN document_versions AS v ON v.id = f.version_id "
    "LEFT JOIN releases AS r ON r.id = f.release_id ";

}  // namespace

std::string FindingSelect(absl::string_view index_clause) {
  std::string sql = kFindingSelect;
  const size_t at = sql.find("%INDEX%");
  sql.replace(at, 7, std::string(index_clause));
  return sql;
}

StoredFinding ReadFinding(const Statement& s) {
  StoredFinding out;
  out.id = s.ColumnInt(0);
  out.case_number = s.ColumnText(1);
  out.doc_number = s.ColumnText(2);
  out.release = s.ColumnText(3);
  out.version_sha256 = s.ColumnText(4);
  out.status = static_cast<FindingStatus>(s.ColumnInt(5));
  out.etag = s.ColumnInt(6);
  Finding& f = out.finding;
  f.rule_id = s.ColumnText(7);
  f.severity = static_cast<Severity>(s.ColumnInt(8));
  f.message = s.ColumnText(9);
  f.page = static_cast<int>(s.ColumnInt(10));
  f.line = static_cast<int>(s.ColumnInt(11));
  f.column = static_cast<int>(s.ColumnInt(12));
  f.length = static_cast<int>(s.ColumnInt(13));
  f.evidence = s.ColumnText(14);
  f.fingerprint = s.ColumnText(15);
  out.file_name = s.ColumnText(16);
  return out;
}

}  // namespace store_internal

namespace {

using store_internal::Db;
using store_internal::FindingSelect;
using store_internal::ReadFinding;
using store_internal::Statement;
using store_internal::Transaction;

// Sorts by count descending, then key.
std::vector<std::pair<std::string, int64_t>> Sorted(
    std::map<std::string, int64_t> counts) {
  std::vector<std::pair<std::string, int64_t>> out(counts.begin(),
                                                   counts.end());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    if (a.second != b.second) return a.second > b.second;
    return a.first < b.first;
  });
  return out;
}

// A document's findings: findings' UNIQUE (document_id, fingerprint) index
// (schema 8 dropped findings_by_document; a document has few findings, which
// are sorted by id).
constexpr char kByDocument[] = "INDEXED BY sqlite_autoindex_findings_1";

}  // namespace

absl::StatusOr<std::vector<StoredFinding>> Store::Impl::CurrentFindings(
    int64_t document_id) {
  RA_ASSIGN_OR_RETURN(
      Statement s,
      db_->Prepare(FindingSelect(kByDocument) +
                   "WHERE f.document_id = ?1 AND f.status != ?2 "
                   "AND f.scope = 0 ORDER BY f.id"));
  RA_RETURN_IF_ERROR(
      s.BindAll(document_id, static_cast<int>(FindingStatus::kFixed)));
  std::vector<StoredFinding> out;
  while (true) {
    RA_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return out;
    out.push_back(ReadFinding(s));
  }
}

absl::StatusOr<std::optional<StoredFinding>> Store::Impl::FindingById(
    int64_t id) {
  RA_ASSIGN_OR_RETURN(Statement s,
                      db_->Prepare(FindingSelect("") + "WHERE f.id = ?1"));
  RA_RETURN_IF_ERROR(s.Bind(1, id));
  RA_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<StoredFinding>();
  return std::optional<StoredFinding>(ReadFinding(s));
}

// ---- ListFindings ----

absl::StatusOr<std::vector<StoredFinding>> Store::Impl::ListFindings(
    const FindingFilter& filter) {
  if (filter.limit <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "finding list limit must be positive, got ", filter.limit));
  }
  absl::MutexLock lock(&mu_);
  std::vector<StoredFinding> out;

  // Resolve names to ids; an unknown name matches nothing.
  std::optional<int64_t> case_id, release_id, doc_id;
  if (!filter.case_number.empty()) {
    RA_ASSIGN_OR_RETURN(case_id,
                        LookupId("SELECT id FROM cases WHERE case_number = ?1",
                                 filter.case_number));
    if (!case_id) return out;
    if (!filter.doc_number.empty()) {
      RA_ASSIGN_OR_RETURN(doc_id, LookupId("SELECT id FROM documents WHERE "
                                           "case_id = ?1 AND doc_number = ?2",
                                           *case_id, filter.doc_number));
      if (!doc_id) return out;
    }
  }
  if (!filter.release.empty()) {
    RA_ASSIGN_OR_RETURN(
        release_id,
        LookupId("SELECT id FROM releases WHERE name = ?1", filter.release));
    if (!release_id) return out;
  }
  const bool by_doc = !filter.doc_number.empty();
  const bool by_rule = !filter.rule_id.empty();
  const bool by_status = filter.status != FindingStatus::kUnspecified;

  // The access path: the narrowest index whose leading columns are all
  // equality filters and whose last column is id, so a page is one range
  // scan in id order; the other filters are checked on the rows it visits.
  // (A document's findings, few, are read from their index and sorted.)
  const char* index = "NOT INDEXED";
  if (by_doc) {
    index = kByDocument;
  } else if (case_id && by_status) {
    index = "INDEXED BY findings_by_case_status";
  } else if (case_id && by_rule) {
    index = "INDEXED BY findings_by_case_rule";
  } else if (case_id) {
    // No (case, id) index (schema 8): one range of (case, status, id) a
    // status, merged in id order (below).
    index = "INDEXED BY findings_by_case_status";
  } else if (release_id) {
    index = "INDEXED BY findings_by_release";
  } else if (by_rule) {
    index = "INDEXED BY findings_by_rule";
  } else if (by_status) {
    index = "INDEXED BY findings_by_status";
  }
  std::string sql = "WHERE f.id > ?1";
  if (case_id) sql += " AND f.case_id = ?2";
  if (doc_id) {
    sql += " AND f.document_id = ?3";
  } else if (by_doc) {
    sql +=
        " AND f.document_id IN (SELECT id FROM documents WHERE "
        "doc_number = ?4)";
  }
  if (release_id) sql += " AND f.release_id = ?5";
  if (by_rule) sql += " AND f.rule_id = ?6";
  if (filter.min_severity != Severity::kUnspecified) {
    sql += " AND f.severity >= ?7";
  }
  if (by_status) sql += " AND f.status = ?8";
  if (case_id && !by_doc && !by_status && !by_rule) {
    // SQLite merges the arms of a compound SELECT ordered by id, each read
    // in id order from its range, as far as the page needs.
    std::string arms;
    for (int status = static_cast<int>(FindingStatus::kOpen);
         status <= static_cast<int>(FindingStatus::kFalsePositive); ++status) {
      if (!arms.empty()) arms += " UNION ALL ";
      absl::StrAppend(&arms, FindingSelect(index), sql, " AND f.status = ", status);
    }
    sql = arms + " ORDER BY 1 LIMIT ?9";
  } else {
    sql = FindingSelect(index) + sql + " ORDER BY f.id LIMIT ?9";
  }

  RA_ASSIGN_OR_RETURN(Statement s, db_->Prepare(sql));
  RA_RETURN_IF_ERROR(s.Bind(1, filter.after_id));
  if (case_id) RA_RETURN_IF_ERROR(s.Bind(2, *case_id));
  if (doc_id) {
    RA_RETURN_IF_ERROR(s.Bind(3, *doc_id));
  } else if (by_doc) {
    RA_RETURN_IF_ERROR(s.Bind(4, filter.doc_number));
  }
  if (release_id) RA_RETURN_IF_ERROR(s.Bind(5, *release_id));
  if (by_rule) RA_RETURN_IF_ERROR(s.Bind(6, filter.rule_id));
  RA_RETURN_IF_ERROR(s.Bind(7, static_cast<int>(filter.min_severity)));
  RA_RETURN_IF_ERROR(s.Bind(8, static_cast<int>(filter.status)));
  RA_RETURN_IF_ERROR(s.Bind(9, filter.limit));
  while (true) {
    RA_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return out;
    out.push_back(ReadFinding(s));
  }
}

// ---- GetFinding, Review, History ----

absl::StatusOr<StoredFinding> Store::Impl::GetFinding(
    const std::string& case_number, const std::string& doc_number, int64_t id) {
  absl::MutexLock lock(&mu_);
  RA_ASSIGN_OR_RETURN(std::optional<StoredFinding> found, FindingById(id));
  if (!found || found->case_number != case_number ||
      found->doc_number != doc_number) {
    return absl::NotFoundError(absl::StrCat("finding ", id,
                                            " not found in case ", case_number,
                                            " document ", doc_number));
  }
  return *std::move(found);
}

absl::StatusOr<std::vector<ReviewEntry>> Store::Impl::History(
    int64_t finding_id) {
  absl::MutexLock lock(&mu_);
  RA_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(*db_, false));
  RA_ASSIGN_OR_RETURN(
      std::optional<int64_t> exists,
      LookupId("SELECT id FROM findings WHERE id = ?1", finding_id));
  if (!exists) {
    return absl::NotFoundError(
        absl::StrCat("finding ", finding_id, " not found"));
  }
  RA_ASSIGN_OR_RETURN(
      Statement s,
      db_->Prepare("SELECT from_status, to_status, reviewer, note, at FROM "
                   "reviews WHERE finding_id = ?1 ORDER BY id"));
  RA_RETURN_IF_ERROR(s.Bind(1, finding_id));
  std::vector<ReviewEntry> out;
  while (true) {
    RA_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    ReviewEntry e;
    e.from = static_cast<FindingStatus>(s.ColumnInt(0));
    e.to = static_cast<FindingStatus>(s.ColumnInt(1));
    e.reviewer = s.ColumnText(2);
    e.note = s.ColumnText(3);
    e.at = absl::FromUnixMicros(s.ColumnInt(4));
    out.push_back(std::move(e));
  }
  RA_RETURN_IF_ERROR(txn.Commit());
  return out;
}

// ---- Summarize ----

absl::StatusOr<CaseSummary> Store::Impl::Summarize(
    const std::string& case_number) {
  absl::MutexLock lock(&mu_);
  RA_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(*db_, false));
  RA_ASSIGN_OR_RETURN(const int64_t case_id, CaseId(case_number));
  CaseSummary out;
  out.case_number = case_number;
  RA_ASSIGN_OR_RETURN(
      std::optional<int64_t> documents,
      LookupId("SELECT COUNT(*) FROM documents WHERE case_id = ?1 "
               "AND latest_version_id IS NOT NULL",
               case_id));
  out.documents = documents.value_or(0);
  RA_ASSIGN_OR_RETURN(
      std::optional<int64_t> versions,
      LookupId("SELECT COUNT(*) FROM document_versions AS v JOIN documents "
               "AS d ON d.id = v.document_id WHERE d.case_id = ?1",
               case_id));
  out.versions = versions.value_or(0);

  // One pass over the case's findings that are not fixed (the findings each
  // document still has), in rule order from an index that covers it: per
  // rule, the findings and how many have each severity and each status.
  constexpr int kSeverities = static_cast<int>(Severity::kError) + 1;
  constexpr int kStatuses = static_cast<int>(FindingStatus::kFalsePositive) + 1;
  static const std::string* const kByRule = [] {
    auto* sql = new std::string("SELECT rule_id, COUNT(*)");
    for (int v = 0; v < kSeverities; ++v) {
      absl::StrAppend(sql, ", SUM(severity = ", v, ")");
    }
    for (int v = 0; v < kStatuses; ++v) {
      absl::StrAppend(sql, ", SUM(status = ", v, ")");
    }
    absl::StrAppend(sql,
                    " FROM findings INDEXED BY findings_by_case_rule "
                    "WHERE case_id = ?1 AND status != ?2 GROUP BY rule_id");
    return sql;
  }();
  std::map<std::string, int64_t> by_rule, by_severity, by_status;
  {
    RA_ASSIGN_OR_RETURN(Statement s, db_->Prepare(*kByRule));
    RA_RETURN_IF_ERROR(
        s.BindAll(case_id, static_cast<int>(FindingStatus::kFixed)));
    while (true) {
      RA_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      by_rule[s.ColumnText(0)] += s.ColumnInt(1);
      for (int v = 0; v < kSeverities; ++v) {
        const int64_t count = s.ColumnInt(2 + v);
        if (count == 0) continue;
        by_severity[std::string(SeverityName(static_cast<Severity>(v)))] += count;
      }
      for (int v = 0; v < kStatuses; ++v) {
        const int64_t count = s.ColumnInt(2 + kSeverities + v);
        if (count == 0) continue;
        by_status[std::string(
            FindingStatusName(static_cast<FindingStatus>(v)))] += count;
      }
    }
  }
  std::map<std::string, int64_t> by_disposition;
  {
    RA_ASSIGN_OR_RETURN(
        Statement s,
        db_->Prepare("SELECT v.disposition, COUNT(*) FROM documents AS d "
                     "JOIN document_versions AS v ON v.id = "
                     "d.latest_version_id WHERE d.case_id = ?1 "
                     "GROUP BY v.disposition"));
    RA_RETURN_IF_ERROR(s.Bind(1, case_id));
    while (true) {
      RA_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      by_disposition[std::string(DispositionName(
          static_cast<Disposition>(s.ColumnInt(0))))] += s.ColumnInt(1);
    }
  }
  RA_RETURN_IF_ERROR(txn.Commit());
  for (const auto& [rule, count] : by_rule) out.findings += count;
  out.by_rule = Sorted(std::move(by_rule));
  out.by_severity = Sorted(std::move(by_severity));
  out.by_status = Sorted(std::move(by_status));
  out.by_disposition = Sorted(std::move(by_disposition));
  return out;
}

// ---- Store ----

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

int Store::SchemaVersion() { return store_internal::CurrentSchemaVersion(); }

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const std::string& path,
                                                   StoreOptions options) {
  RA_ASSIGN_OR_RETURN(std::unique_ptr<Db> db, Db::Open(path));
  db->SetBusyTimeoutMillis(
      static_cast<int>(absl::ToInt64Milliseconds(options.busy_timeout)));
  auto annotate = [&path](const absl::Status& s) {
    return absl::Status(
        s.code(), absl::StrCat("opening store ", path, ": ", s.message()));
  };
  // The first read: a file that is not a database fails here.
  absl::Status status = store_internal::CheckSchemaVersion(*db);
  if (!status.ok()) {
    return status.code() == absl::StatusCode::kFailedPrecondition
               ? status
               : annotate(status);
  }
  // A new database gets 8 KiB pages (an existing one keeps its own; the
  // pragma changes nothing once the file has pages): a stored document's
  // passage text (2.8 KB on average) no longer fills a 4 KiB page of its
  // own, and a full audit of the dev corpus writes about half as many
  // pages, in half as many system calls.
  status = db->Exec("PRAGMA page_size = 8192");
  if (!status.ok()) return annotate(status);
  absl::StatusOr<std::string> mode = db->QueryText("PRAGMA journal_mode = WAL");
  if (!mode.ok()) return annotate(mode.status());
  if (*mode != "wal" && *mode != "memory") {
    return absl::FailedPreconditionError(
        absl::StrCat("opening store ", path,
                     ": cannot switch to WAL mode (journal mode ", *mode, ")"));
  }
  // temp_store: a batch's per-document savepoint journals stay in memory
  // (they only roll back inside the open transaction; durability is the
  // WAL's).
  status = db->Exec("PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY");
  if (!status.ok()) return annotate(status);
  // Migrations run before foreign keys are enforced: a table rebuild
  // (migration 3) drops and renames a referenced table.
  status = store_internal::Migrate(*db);
  if (!status.ok()) {
    return status.code() == absl::StatusCode::kFailedPrecondition
               ? status
               : annotate(status);
  }
  status = db->Exec("PRAGMA foreign_keys = ON");
  if (!status.ok()) return annotate(status);
  // The WAL is copied into the database (checkpointed, two fsyncs) once it
  // holds options.checkpoint_bytes rather than SQLite's default 1,000
  // pages: the index pages every group commit rewrites are copied once per
  // checkpoint, not once per few commits. The copy runs on a thread of its
  // own: inside a commit it stalled the committer, and a batch stream
  // behind it, for 0.1-0.2 s each time (README, Performance). The WAL file
  // keeps its largest size on disk.
  if (*mode == "wal") {
    status = db->CheckpointInBackground(options.checkpoint_bytes);
    if (!status.ok()) return annotate(status);
  }
  return std::unique_ptr<Store>(
      new Store(std::make_unique<Impl>(std::move(db), std::move(options))));
}

absl::StatusOr<AuditOutcome> Store::RecordAudit(const AuditRecord& record) {
  const absl::Time start = absl::Now();
  absl::StatusOr<AuditOutcome> out = impl_->RecordAudit(record);
  impl_->ReportWrite(start, out.ok());
  return out;
}

std::vector<absl::StatusOr<AuditOutcome>> Store::RecordAudits(
    const std::vector<AuditRecord*>& records) {
  const absl::Time start = absl::Now();
  std::vector<absl::StatusOr<AuditOutcome>> out = impl_->RecordAudits(records);
  bool ok = true;
  for (const auto& o : out) ok = ok && o.ok();
  impl_->ReportWrite(start, ok);
  return out;
}

std::vector<absl::StatusOr<AuditOutcome>> Store::RecordAudits(
    const std::vector<AuditRecord*>& records,
    const std::vector<DocumentFinding>& findings,
    const std::vector<DocumentRef>& checked,
    absl::StatusOr<CrossCheckStored>* cross_check) {
  const absl::Time start = absl::Now();
  const Impl::CrossCheckPart part{&findings, &checked, cross_check};
  std::vector<absl::StatusOr<AuditOutcome>> out =
      impl_->RecordAudits(records, &part);
  bool ok = true;
  for (const auto& o : out) ok = ok && o.ok();
  impl_->ReportWrite(start, ok);
  return out;
}

absl::StatusOr<std::vector<StoredFinding>> Store::ListFindings(
    const FindingFilter& filter) {
  return impl_->ListFindings(filter);
}

absl::StatusOr<StoredFinding> Store::GetFinding(const std::string& case_number,
                                                const std::string& doc_number,
                                                int64_t id) {
  return impl_->GetFinding(case_number, doc_number, id);
}

absl::StatusOr<StoredFinding> Store::Review(const ReviewChange& change) {
  return impl_->Review(change);
}

absl::StatusOr<std::vector<ReviewEntry>> Store::History(int64_t finding_id) {
  return impl_->History(finding_id);
}

absl::StatusOr<CaseSummary> Store::Summarize(const std::string& case_number) {
  return impl_->Summarize(case_number);
}

}  // namespace ra
