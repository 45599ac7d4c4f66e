// The store's part in cross-document checks: passage texts of latest
// versions (read at start to rebuild the index), findings added to
// documents other than the one audited, each with the partner document of
// its pair, and closing those a check of the partner no longer produces.
#include <map>
#include <set>

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

absl::StatusOr<CrossCheckStored> Store::Impl::ApplyCrossCheck(
    const std::vector<DocumentFinding>& findings,
    const std::vector<DocumentRef>& checked) {
  absl::MutexLock lock(&mu_);
  RA_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(*db_));
  RA_ASSIGN_OR_RETURN(
      CrossCheckStored out,
      ApplyCrossCheckInTransaction(findings, checked, NowMicros()));
  RA_RETURN_IF_ERROR(txn.Commit());
  return out;
}

absl::StatusOr<CrossCheckStored> Store::Impl::ApplyCrossCheckInTransaction(
    const std::vector<DocumentFinding>& findings,
    const std::vector<DocumentRef>& checked, int64_t since,
    const BatchIds* ids) {
  const int64_t now = NowMicros();
  RA_ASSIGN_OR_RETURN(
      Statement doc,
      db_->Prepare("SELECT d.id, d.case_id, d.release_id, d.latest_version_id "
                   "FROM documents AS d JOIN cases AS c ON c.id = d.case_id "
                   "WHERE c.case_number = ?1 AND d.doc_number = ?2"));
  // The documents named, each looked up once (nullopt: not stored).
  struct DocRow {
    int64_t id;
    int64_t case_id;
    std::optional<int64_t> release_id;
    int64_t version_id;
  };
  std::map<std::pair<std::string, std::string>, std::optional<DocRow>> docs;
  auto find_doc = [&](const std::string& case_number,
                      const std::string& doc_number)
      -> absl::StatusOr<std::optional<DocRow>> {
    auto [it, added] = docs.try_emplace({case_number, doc_number});
    if (!added) return it->second;
    doc.Reset();
    RA_RETURN_IF_ERROR(doc.BindAll(case_number, doc_number));
    RA_ASSIGN_OR_RETURN(bool found, doc.Step());
    if (found) {
      it->second = DocRow{doc.ColumnInt(0), doc.ColumnInt(1), std::nullopt,
                          doc.ColumnInt(3)};
      if (!doc.ColumnIsNull(2)) it->second->release_id = doc.ColumnInt(2);
    }
    return it->second;
  };
  // Column 2: the refresh would change nothing but updated_at, which is
  // already `since` or later: the row was stored as `f` in this
  // transaction (a document's own cross-document findings, written with
  // its audit).
  RA_ASSIGN_OR_RETURN(
      Statement existing,
      db_->Prepare("SELECT id, status, version_id IS ?3 AND severity = ?4 "
                   "AND message = ?5 AND page = ?6 AND line = ?7 AND col = ?8 "
                   "AND length = ?9 AND evidence = ?10 AND updated_at >= ?11 "
                   "FROM findings WHERE document_id = ?1 AND fingerprint = ?2"));
  RA_ASSIGN_OR_RETURN(
      Statement partner,
      db_->Prepare("INSERT INTO xdoc_partners (finding_id, "
                   "partner_document_id) VALUES (?1, ?2) ON CONFLICT "
                   "(finding_id) DO UPDATE SET partner_document_id = "
                   "excluded.partner_document_id"));
  CrossCheckStored out;
  std::set<int64_t> produced;  // finding ids held again by this check
  for (const DocumentFinding& x : findings) {
    const Finding& f = x.finding;
    if (f.fingerprint.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("finding of rule ", f.rule_id, " for ", x.case_number,
                       "/", x.doc_number, " has no fingerprint"));
    }
    RA_ASSIGN_OR_RETURN(std::optional<DocRow> row,
                        find_doc(x.case_number, x.doc_number));
    if (!row) continue;  // not stored (its audit failed): skipped
    const int64_t version_id = row->version_id;

    existing.Reset();
    RA_RETURN_IF_ERROR(existing.BindAll(
        row->id, f.fingerprint, version_id, static_cast<int>(f.severity),
        f.message, f.page, f.line, f.column, f.length, f.evidence, since));
    RA_ASSIGN_OR_RETURN(bool have, existing.Step());
    int64_t id = 0;
    if (have) {
      id = existing.ColumnInt(0);
      const auto status = static_cast<FindingStatus>(existing.ColumnInt(1));
      const bool unchanged = existing.ColumnInt(2) != 0;
      if (!unchanged || status == FindingStatus::kFixed) {
        RA_RETURN_IF_ERROR(RefreshFinding(
            id, status, f, version_id, "reappeared in a cross-document check",
            now));
      }
    } else {
      FindingTarget target{row->id, row->case_id, row->release_id, version_id};
      RA_RETURN_IF_ERROR(InsertFinding(target, f, now));
      id = db_->LastInsertRowId();
      ++out.added;
    }
    produced.insert(id);
    if (x.partner_doc_number.empty()) continue;
    RA_ASSIGN_OR_RETURN(
        std::optional<DocRow> partner_row,
        find_doc(x.partner_case_number, x.partner_doc_number));
    if (!partner_row) continue;
    partner.Reset();
    RA_RETURN_IF_ERROR(partner.BindAll(id, partner_row->id));
    RA_RETURN_IF_ERROR(partner.Run());
  }

  // Findings whose partner was checked and that the check no longer holds:
  // of one checked document (found through documents' (case_id,
  // doc_number) key, then xdoc_partners_by_partner), or of a whole case. Two
  // statements, not one with "?2 = '' OR ...", which would scan every
  // document of the case for each checked one.
  constexpr absl::string_view kStale =
      "SELECT f.id, f.status, d.doc_number FROM xdoc_partners "
      "AS p JOIN findings AS f ON f.id = p.finding_id "
      "JOIN documents AS d ON d.id = p.partner_document_id "
      "JOIN cases AS c ON c.id = d.case_id "
      "WHERE c.case_number = ?1 AND f.status != ?2";
  RA_ASSIGN_OR_RETURN(Statement stale_in_case, db_->Prepare(kStale));
  RA_ASSIGN_OR_RETURN(
      Statement stale_of_document,
      db_->Prepare(absl::StrCat(kStale, " AND d.doc_number = ?3")));
  struct Stale {
    int64_t id;
    FindingStatus status;
    std::string partner;
  };
  for (const DocumentRef& ref : checked) {
    // A document first stored by this transaction is the partner of this
    // check's findings only (all in `produced`): nothing to close. (Most
    // documents of a first audit; the query costs more than its insert.)
    if (ids != nullptr && !ref.doc_number.empty() &&
        ids->new_documents.Contains(ref.case_number, ref.doc_number)) {
      continue;
    }
    std::vector<Stale> close;
    const int fixed = static_cast<int>(FindingStatus::kFixed);
    Statement& stale = ref.doc_number.empty() ? stale_in_case : stale_of_document;
    stale.Reset();
    if (ref.doc_number.empty()) {
      RA_RETURN_IF_ERROR(stale.BindAll(ref.case_number, fixed));
    } else {
      RA_RETURN_IF_ERROR(stale.BindAll(ref.case_number, fixed, ref.doc_number));
    }
    while (true) {
      RA_ASSIGN_OR_RETURN(bool row, stale.Step());
      if (!row) break;
      const int64_t id = stale.ColumnInt(0);
      if (produced.count(id) > 0) continue;
      close.push_back({id, static_cast<FindingStatus>(stale.ColumnInt(1)),
                       stale.ColumnText(2)});
    }
    for (const Stale& c : close) {
      RA_RETURN_IF_ERROR(CloseFinding(
          c.id, c.status, store_internal::kSystemReviewer,
          absl::StrCat("not produced by the cross-document check of ",
                       c.partner),
          now));
      produced.insert(c.id);  // closed once
      ++out.closed;
    }
  }
  return out;
}

absl::Status Store::ForEachPassage(
    const std::string& case_number,
    const std::function<void(StoredPassage)>& fn) {
  return impl_->ForEachPassage(case_number, fn);
}

absl::StatusOr<int64_t> Store::AddFindings(
    const std::vector<DocumentFinding>& findings) {
  RA_ASSIGN_OR_RETURN(CrossCheckStored stored,
                      impl_->ApplyCrossCheck(findings, {}));
  return stored.added;
}

absl::StatusOr<CrossCheckStored> Store::ApplyCrossCheck(
    const std::vector<DocumentFinding>& findings,
    const std::vector<DocumentRef>& checked) {
  return impl_->ApplyCrossCheck(findings, checked);
}

}  // namespace ra
