// The release check's reads and writes: the documents of a case, and
// release-level findings (findings.scope = 1) with their lifecycle.
#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "model/status_macros.h"
#include "store/store.h"
#include "store/store_impl.h"

namespace ra {

using store_internal::FindingSelect;
using store_internal::kSystemReviewer;
using store_internal::ReadFinding;

namespace {
// findings.scope of a release check's findings (the partial index
// findings_release_level is on `scope = 1`, so queries spell it out).
constexpr int kReleaseScope = 1;
}  // namespace

absl::StatusOr<std::vector<CaseDocument>> Store::Impl::ListCaseDocuments(
    const std::string& case_number) {
  absl::MutexLock lock(&mu_);
  RA_ASSIGN_OR_RETURN(
      Statement s,
      db_->Prepare("SELECT d.doc_number, COALESCE(r.name, ''), "
                   "d.latest_version_id IS NOT NULL FROM documents AS d "
                   "JOIN cases AS c ON c.id = d.case_id "
                   "LEFT JOIN releases AS r ON r.id = d.release_id "
                   "WHERE c.case_number = ?1 ORDER BY d.doc_number"));
  RA_RETURN_IF_ERROR(s.Bind(1, case_number));
  std::vector<CaseDocument> out;
  while (true) {
    RA_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return out;
    out.push_back(CaseDocument{s.ColumnText(0), s.ColumnText(1),
                               s.ColumnInt(2) != 0});
  }
}

absl::StatusOr<ReleaseCheckOutcome> Store::Impl::RecordReleaseCheck(
    const ReleaseCheckRecord& record) {
  if (record.case_number.empty()) {
    return absl::InvalidArgumentError("a release check needs a case number");
  }
  for (const ReleaseLevelFinding& r : record.findings) {
    if (r.doc_number.empty() || r.finding.fingerprint.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "release-level finding of rule ", r.finding.rule_id, " in case ",
          record.case_number, " needs a doc number and a fingerprint"));
    }
  }
  absl::MutexLock lock(&mu_);
  RA_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(*db_));
  const int64_t now = NowMicros();
  ReleaseCheckOutcome outcome;

  RA_ASSIGN_OR_RETURN(std::optional<int64_t> case_id,
                      LookupId("SELECT id FROM cases WHERE case_number = ?1",
                               record.case_number));
  if (!case_id && record.findings.empty()) return outcome;  // nothing stored
  if (!case_id) {
    RA_RETURN_IF_ERROR(
        Run("INSERT INTO cases (case_number, created_at) VALUES (?1, ?2)",
            record.case_number, now));
    case_id = db_->LastInsertRowId();
  }

  // Release-level findings stored for the case, by (doc, fingerprint).
  struct Existing {
    int64_t id;
    FindingStatus status;
  };
  std::map<std::pair<std::string, std::string>, Existing> existing;
  {
    RA_ASSIGN_OR_RETURN(
        Statement s,
        db_->Prepare("SELECT f.id, d.doc_number, f.fingerprint, f.status "
                     "FROM findings AS f INDEXED BY findings_release_level "
                     "JOIN documents AS d ON d.id = f.document_id "
                     "WHERE f.case_id = ?1 AND f.scope = 1"));
    RA_RETURN_IF_ERROR(s.Bind(1, *case_id));
    while (true) {
      RA_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      existing[{s.ColumnText(1), s.ColumnText(2)}] = {
          s.ColumnInt(0), static_cast<FindingStatus>(s.ColumnInt(3))};
    }
  }

  RA_ASSIGN_OR_RETURN(
      Statement doc,
      db_->Prepare("SELECT id, release_id, latest_version_id FROM documents "
                   "WHERE case_id = ?1 AND doc_number = ?2"));
  std::set<std::pair<std::string, std::string>> produced;
  for (const ReleaseLevelFinding& r : record.findings) {
    if (!produced.insert({r.doc_number, r.finding.fingerprint}).second) {
      continue;  // duplicate
    }
    doc.Reset();
    RA_RETURN_IF_ERROR(doc.BindAll(*case_id, r.doc_number));
    RA_ASSIGN_OR_RETURN(bool found, doc.Step());
    FindingTarget target;
    target.case_id = *case_id;
    target.scope = kReleaseScope;
    if (found) {
      target.document_id = doc.ColumnInt(0);
      if (!doc.ColumnIsNull(1)) target.release_id = doc.ColumnInt(1);
      if (!doc.ColumnIsNull(2)) target.version_id = doc.ColumnInt(2);
    } else {
      // Listed, never submitted: the document is known from the manifest.
      RA_ASSIGN_OR_RETURN(target.release_id,
                          UpsertRelease(r.release, "", now));
      RA_RETURN_IF_ERROR(Run("INSERT INTO documents (case_id, doc_number, "
                             "release_id, created_at) VALUES (?1, ?2, ?3, ?4)",
                             *case_id, r.doc_number, target.release_id, now));
      target.document_id = db_->LastInsertRowId();
    }
    auto it = existing.find({r.doc_number, r.finding.fingerprint});
    if (it != existing.end()) {
      RA_RETURN_IF_ERROR(RefreshFinding(it->second.id, it->second.status,
                                        r.finding, target.version_id,
                                        "reappeared in a release check", now));
    } else {
      RA_RETURN_IF_ERROR(InsertFinding(target, r.finding, now));
      ++outcome.new_findings;
    }
  }

  // Checked documents' release-level findings not produced again: fixed.
  // Sorted for lookups (a release check gives them sorted already): a set
  // of every checked doc number cost a tree of 16,000 strings per check.
  std::vector<std::string_view> checked(record.checked.begin(),
                                        record.checked.end());
  if (!std::is_sorted(checked.begin(), checked.end())) {
    std::sort(checked.begin(), checked.end());
  }
  auto is_checked = [&checked](std::string_view doc) {
    return std::binary_search(checked.begin(), checked.end(), doc);
  };
  for (const auto& [key, e] : existing) {
    if (!is_checked(key.first) || produced.count(key) > 0 ||
        e.status == FindingStatus::kFixed) {
      continue;
    }
    RA_RETURN_IF_ERROR(CloseFinding(e.id, e.status, kSystemReviewer,
                                    "not produced by a release check", now));
    ++outcome.fixed;
  }

  {
    RA_ASSIGN_OR_RETURN(
        Statement s,
        db_->Prepare(FindingSelect("INDEXED BY findings_release_level") +
                     "WHERE f.case_id = ?1 AND f.scope = 1 AND f.status != ?2 "
                     "ORDER BY f.id"));
    RA_RETURN_IF_ERROR(
        s.BindAll(*case_id, static_cast<int>(FindingStatus::kFixed)));
    while (true) {
      RA_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      StoredFinding f = ReadFinding(s);
      if (is_checked(f.doc_number)) {
        outcome.findings.push_back(std::move(f));
      }
    }
  }
  RA_RETURN_IF_ERROR(txn.Commit());
  return outcome;
}

absl::StatusOr<std::vector<CaseDocument>> Store::ListCaseDocuments(
    const std::string& case_number) {
  return impl_->ListCaseDocuments(case_number);
}

absl::StatusOr<ReleaseCheckOutcome> Store::RecordReleaseCheck(
    const ReleaseCheckRecord& record) {
  return impl_->RecordReleaseCheck(record);
}

}  // namespace ra
