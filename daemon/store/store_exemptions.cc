// Exemption use per document version (schema 3): written with each audit,
// read back for the reports' "exemption use by release and document".
#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "store/store_impl.h"

namespace ra {

namespace store_internal {

std::map<std::string, std::pair<int, int>> ExemptionUse(
    const AuditRecord& record) {
  std::map<std::string, std::pair<int, int>> codes;
  // A code printed twice keeps its first position.
  for (const std::string& code : record.stamp_codes) {
    codes.emplace(code, std::make_pair(static_cast<int>(codes.size()), 0));
  }
  for (const auto& [code, marks] : record.marks_by_code) {
    auto it = codes.emplace(code, std::make_pair(-1, 0)).first;
    it->second.second += marks;
  }
  return codes;
}

}  // namespace store_internal

absl::Status Store::Impl::WriteExemptions(int64_t version_id,
                                          const AuditRecord& record,
                                          bool fresh) {
  const std::map<std::string, std::pair<int, int>> codes =
      store_internal::ExemptionUse(record);
  if (!fresh) {
    RA_RETURN_IF_ERROR(Run(
        "DELETE FROM version_exemptions WHERE version_id = ?1", version_id));
  }
  RA_ASSIGN_OR_RETURN(
      Statement insert,
      db_->Prepare("INSERT INTO version_exemptions (version_id, code, "
                   "stamp_position, marks) VALUES (?1, ?2, ?3, ?4)"));
  for (const auto& [code, use] : codes) {
    insert.Reset();
    RA_RETURN_IF_ERROR(insert.BindAll(version_id, code));
    RA_RETURN_IF_ERROR(use.first >= 0 ? insert.Bind(3, use.first)
                                      : insert.BindNull(3));
    RA_RETURN_IF_ERROR(insert.Bind(4, use.second));
    RA_RETURN_IF_ERROR(insert.Run());
  }
  if (fresh) return absl::OkStatus();
  return Run(
      "UPDATE document_versions SET exemptions_recorded = 1 WHERE id = ?1",
      version_id);
}

absl::StatusOr<std::vector<DocumentExemptions>>
Store::Impl::ListDocumentExemptions(const std::string& case_number) {
  absl::MutexLock lock(&mu_);
  RA_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(*db_, false));
  RA_ASSIGN_OR_RETURN(const int64_t case_id, CaseId(case_number));
  std::vector<DocumentExemptions> out;
  std::map<int64_t, size_t> by_version;  // latest version id -> out index
  {
    RA_ASSIGN_OR_RETURN(
        Statement s,
        db_->Prepare("SELECT d.doc_number, COALESCE(r.name, ''), v.file_name, "
                     "v.sha256, v.disposition, v.exemptions_recorded, v.id "
                     "FROM documents AS d "
                     "JOIN document_versions AS v ON v.id = d.latest_version_id "
                     "LEFT JOIN releases AS r ON r.id = d.release_id "
                     "WHERE d.case_id = ?1 ORDER BY d.doc_number"));
    RA_RETURN_IF_ERROR(s.Bind(1, case_id));
    while (true) {
      RA_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      DocumentExemptions d;
      d.doc_number = s.ColumnText(0);
      d.release = s.ColumnText(1);
      d.file_name = s.ColumnText(2);
      d.sha256 = s.ColumnText(3);
      d.disposition = static_cast<Disposition>(s.ColumnInt(4));
      d.known = s.ColumnInt(5) != 0;
      by_version[s.ColumnInt(6)] = out.size();
      out.push_back(std::move(d));
    }
  }
  RA_ASSIGN_OR_RETURN(
      Statement s,
      db_->Prepare("SELECT e.version_id, e.code, e.stamp_position, e.marks "
                   "FROM documents AS d JOIN version_exemptions AS e "
                   "ON e.version_id = d.latest_version_id WHERE d.case_id = ?1 "
                   "ORDER BY e.version_id, e.stamp_position IS NULL, "
                   "e.stamp_position, e.code"));
  RA_RETURN_IF_ERROR(s.Bind(1, case_id));
  while (true) {
    RA_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    auto it = by_version.find(s.ColumnInt(0));
    if (it == by_version.end()) continue;
    DocumentExemptions& d = out[it->second];
    const std::string code = s.ColumnText(1);
    if (!s.ColumnIsNull(2)) d.stamp_codes.push_back(code);
    if (s.ColumnInt(3) > 0) d.marks_by_code.emplace_back(code, s.ColumnInt(3));
  }
  for (DocumentExemptions& d : out) {
    std::sort(d.marks_by_code.begin(), d.marks_by_code.end());
  }
  return out;
}

absl::StatusOr<std::vector<DocumentExemptions>> Store::ListDocumentExemptions(
    const std::string& case_number) {
  return impl_->ListDocumentExemptions(case_number);
}

}  // namespace ra
