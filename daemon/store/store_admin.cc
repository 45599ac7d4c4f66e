// Store operations for administration and resumable batches: StoredVersions,
// the online Backup and the admin suppressions.
#include "absl/strings/str_cat.h"
#include "model/status_macros.h"
#include "store/sqlite.h"
#include "store/store_impl.h"

namespace ra {

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
Store::Impl::StoredVersions(const std::string& case_number) {
  absl::MutexLock lock(&mu_);
  RA_ASSIGN_OR_RETURN(
      Statement s,
      db_->Prepare("SELECT d.doc_number, v.sha256 FROM document_versions AS v "
                   "JOIN documents AS d ON d.id = v.document_id "
                   "JOIN cases AS c ON c.id = d.case_id "
                   "WHERE c.case_number = ?1 ORDER BY v.id"));
  RA_RETURN_IF_ERROR(s.BindAll(case_number));
  std::vector<std::pair<std::string, std::string>> out;
  while (true) {
    RA_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.emplace_back(s.ColumnText(0), s.ColumnText(1));
  }
  return out;
}

absl::Status Store::Impl::Backup(const std::string& path) {
  if (path.empty()) return absl::InvalidArgumentError("backup path is empty");
  absl::MutexLock lock(&mu_);
  return db_->BackupTo(path);
}

absl::StatusOr<std::optional<SuppressionRecord>> Store::Impl::FindSuppression(
    const std::string& fingerprint) {
  RA_ASSIGN_OR_RETURN(
      Statement s,
      db_->Prepare("SELECT fingerprint, reason, added_by, added_at "
                   "FROM admin_suppressions WHERE fingerprint = ?1"));
  RA_RETURN_IF_ERROR(s.BindAll(fingerprint));
  RA_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<SuppressionRecord>();
  return std::optional<SuppressionRecord>(
      SuppressionRecord{s.ColumnText(0), s.ColumnText(1), s.ColumnText(2),
                        absl::FromUnixMicros(s.ColumnInt(3))});
}

absl::StatusOr<SuppressionRecord> Store::Impl::AddSuppression(
    SuppressionRecord record) {
  absl::MutexLock lock(&mu_);
  RA_ASSIGN_OR_RETURN(std::optional<SuppressionRecord> existing,
                      FindSuppression(record.fingerprint));
  if (existing.has_value()) {
    return absl::AlreadyExistsError(absl::StrCat(
        "fingerprint ", record.fingerprint, " is already suppressed (by ",
        existing->added_by, ": ", existing->reason, ")"));
  }
  record.added_at = absl::FromUnixMicros(NowMicros());
  RA_RETURN_IF_ERROR(Run("INSERT INTO admin_suppressions (fingerprint, reason, "
                         "added_by, added_at) VALUES (?1, ?2, ?3, ?4)",
                         record.fingerprint, record.reason, record.added_by,
                         absl::ToUnixMicros(record.added_at)));
  return record;
}

absl::StatusOr<SuppressionRecord> Store::Impl::RemoveSuppression(
    const std::string& fingerprint) {
  absl::MutexLock lock(&mu_);
  RA_ASSIGN_OR_RETURN(std::optional<SuppressionRecord> existing,
                      FindSuppression(fingerprint));
  if (!existing.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "fingerprint ", fingerprint,
        " is not suppressed by an admin suppression (a rule pack's "
        "suppressions are edited in its files)"));
  }
  RA_RETURN_IF_ERROR(
      Run("DELETE FROM admin_suppressions WHERE fingerprint = ?1", fingerprint));
  return *std::move(existing);
}

absl::StatusOr<std::vector<SuppressionRecord>> Store::Impl::ListSuppressions() {
  absl::MutexLock lock(&mu_);
  RA_ASSIGN_OR_RETURN(
      Statement s,
      db_->Prepare("SELECT fingerprint, reason, added_by, added_at "
                   "FROM admin_suppressions ORDER BY fingerprint"));
  std::vector<SuppressionRecord> out;
  while (true) {
    RA_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(SuppressionRecord{s.ColumnText(0), s.ColumnText(1),
                                    s.ColumnText(2),
                                    absl::FromUnixMicros(s.ColumnInt(3))});
  }
  return out;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
Store::StoredVersions(const std::string& case_number) {
  return impl_->StoredVersions(case_number);
}

absl::Status Store::Backup(const std::string& path) { return impl_->Backup(path); }

absl::StatusOr<SuppressionRecord> Store::AddSuppression(SuppressionRecord record) {
  return impl_->AddSuppression(std::move(record));
}
absl::StatusOr<SuppressionRecord> Store::RemoveSuppression(
    const std::string& fingerprint) {
  return impl_->RemoveSuppression(fingerprint);
}
absl::StatusOr<std::vector<SuppressionRecord>> Store::ListSuppressions() {
  return impl_->ListSuppressions();
}

}  // namespace ra
