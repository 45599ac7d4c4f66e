// The store's part in cross-document checks: passage texts of latest
// versions (read at start to rebuild the index) and findings added to
// documents other than the one audited.
#include <map>

#include "absl/strings/str_cat.h"
#include "store/store_impl.h"

namespace ra {

absl::Status Store::Impl::ForEachPassage(
    const std::string& case_number,
    const std::function<void(StoredPassage)>& fn) {
  absl::MutexLock lock(&mu_);
  RA_ASSIGN_OR_RETURN(
      Statement s,
      db_->Prepare("SELECT c.case_number, d.doc_number, v.id, p.body "
                   "FROM documents AS d JOIN cases AS c ON c.id = d.case_id "
                   "JOIN document_versions AS v ON v.id = d.latest_version_id "
                   "JOIN passage_texts AS p ON p.version_id = v.id "
                   "WHERE ?1 = '' OR c.case_number = ?1 ORDER BY d.id"));
  RA_RETURN_IF_ERROR(s.Bind(1, case_number));
  while (true) {
    RA_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    StoredPassage p;
    p.case_number = s.ColumnText(0);
    p.doc_number = s.ColumnText(1);
    p.version_id = s.ColumnInt(2);
    p.passage_text = s.ColumnText(3);
    fn(std::move(p));
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> Store::Impl::AddFindings(
    const std::vector<DocumentFinding>& findings) {
  absl::MutexLock lock(&mu_);
  RA_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(*db_));
  const int64_t now = NowMicros();
  RA_ASSIGN_OR_RETURN(
      Statement doc,
      db_->Prepare("SELECT d.id, d.case_id, d.release_id, d.latest_version_id "
                   "FROM documents AS d JOIN cases AS c ON c.id = d.case_id "
                   "WHERE c.case_number = ?1 AND d.doc_number = ?2"));
  RA_ASSIGN_OR_RETURN(
      Statement existing,
      db_->Prepare("SELECT id, status FROM findings WHERE document_id = ?1 "
                   "AND fingerprint = ?2"));
  int64_t added = 0;
  for (const DocumentFinding& x : findings) {
    const Finding& f = x.finding;
    if (f.fingerprint.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("finding of rule ", f.rule_id, " for ", x.case_number,
                       "/", x.doc_number, " has no fingerprint"));
    }
    doc.Reset();
    RA_RETURN_IF_ERROR(doc.BindAll(x.case_number, x.doc_number));
    RA_ASSIGN_OR_RETURN(bool found, doc.Step());
    if (!found) continue;  // not stored (its audit failed): skipped
    const int64_t doc_id = doc.ColumnInt(0);
    const int64_t case_id = doc.ColumnInt(1);
    const bool has_release = !doc.ColumnText(2).empty();
    const int64_t release_id = doc.ColumnInt(2);
    const int64_t version_id = doc.ColumnInt(3);

    existing.Reset();
    RA_RETURN_IF_ERROR(existing.BindAll(doc_id, f.fingerprint));
    RA_ASSIGN_OR_RETURN(bool have, existing.Step());
    if (have) {
      RA_RETURN_IF_ERROR(RefreshFinding(
          existing.ColumnInt(0), static_cast<FindingStatus>(existing.ColumnInt(1)),
          f, version_id, "reappeared in a cross-document check", now));
      continue;
    }
    FindingTarget target{doc_id, case_id, std::nullopt, version_id};
    if (has_release) target.release_id = release_id;
    RA_RETURN_IF_ERROR(InsertFinding(target, f, now));
    ++added;
  }
  RA_RETURN_IF_ERROR(txn.Commit());
  return added;
}

absl::Status Store::ForEachPassage(
    const std::string& case_number,
    const std::function<void(StoredPassage)>& fn) {
  return impl_->ForEachPassage(case_number, fn);
}

absl::StatusOr<int64_t> Store::AddFindings(
    const std::vector<DocumentFinding>& findings) {
  return impl_->AddFindings(findings);
}

}  // namespace ra
