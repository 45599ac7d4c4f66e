// Store operations for administration and resumable batches: StoredVersions
// and the online Backup.
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

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
Store::StoredVersions(const std::string& case_number) {
  return impl_->StoredVersions(case_number);
}

absl::Status Store::Backup(const std::string& path) { return impl_->Backup(path); }

}  // namespace ra
