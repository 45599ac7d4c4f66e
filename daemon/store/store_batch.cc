// The documents of a batch that are new to the store, written together:
// one multi-row INSERT a table for the lot instead of one statement a row
// (each statement opens a cursor on every index of its table, and findings
// has ten).
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "model/status_macros.h"
#include "store/store_impl.h"

namespace ra {

absl::StatusOr<bool> Store::Impl::QueueNewDocument(
    AuditRecord& record, size_t slot, BatchIds& ids,
    std::vector<PendingDocument>& pending) {
  const ReleaseMetadata& meta = record.metadata;
  // Stored or queued by this transaction: written the usual way, once the
  // queue is written.
  if (ids.new_documents.Contains(meta.case_number, meta.doc_number)) {
    return false;
  }
  if (ids.stored_documents.Contains(meta.case_number, meta.doc_number)) {
    return false;
  }
  RA_ASSIGN_OR_RETURN(std::optional<int64_t> case_id,
                      CachedCaseId(meta.case_number, ids));
  const int64_t now = NowMicros();
  RA_RETURN_IF_ERROR(InsertCaseIfMissing(meta.case_number, now, ids, &case_id));
  RA_ASSIGN_OR_RETURN(std::optional<int64_t> release_id,
                      UpsertRelease(meta.release, meta.release_date, now, &ids));
  PendingDocument& d = pending.emplace_back();
  d.record = &record;
  d.slot = slot;
  d.case_id = *case_id;
  d.release_id = release_id;
  d.now = now;
  d.findings.reserve(record.findings.size());
  if (record.findings.size() == 1) {
    d.findings.push_back(&record.findings.front());
  } else if (!record.findings.empty()) {
    std::set<absl::string_view> produced;
    for (Finding& f : record.findings) {
      if (produced.insert(f.fingerprint).second) d.findings.push_back(&f);
    }
  }
  ids.new_documents.Insert(meta.case_number, meta.doc_number);
  return true;
}

absl::Status Store::Impl::FindStoredDocuments(
    const std::vector<AuditRecord*>& records, BatchIds& ids) {
  // The VALUES rows first, then each one's case and document by their
  // UNIQUE indexes.
  return RunRows(
      "SELECT v.column1, v.column2 FROM (VALUES ", "(?,?)",
      ") AS v CROSS JOIN cases AS c ON c.case_number = v.column1 "
      "CROSS JOIN documents AS d ON d.case_id = c.id "
      "AND d.doc_number = v.column2",
      2, records.size(),
      [&](Statement& s, int first, size_t i) {
        const ReleaseMetadata& meta = records[i]->metadata;
        return s.BindAt(first, meta.case_number, meta.doc_number);
      },
      [&](const Statement& s) {
        ids.stored_documents.Insert(s.ColumnText(0), s.ColumnText(1));
      });
}

absl::Status Store::Impl::WritePending(
    std::vector<PendingDocument>& pending,
    std::vector<PendingDocument>& written) {
  if (pending.empty()) return absl::OkStatus();
  // Each table's new ids follow its largest (what SQLite gives a row
  // inserted without one), in queue order, as if the documents had been
  // stored one after the other.
  RA_ASSIGN_OR_RETURN(const int64_t last_document,
                      db_->QueryInt("SELECT COALESCE(MAX(id), 0) FROM documents"));
  RA_ASSIGN_OR_RETURN(
      const int64_t last_version,
      db_->QueryInt("SELECT COALESCE(MAX(id), 0) FROM document_versions"));
  RA_ASSIGN_OR_RETURN(const int64_t last_finding,
                      db_->QueryInt("SELECT COALESCE(MAX(id), 0) FROM findings"));
  const size_t n = pending.size();
  auto document_id = [&](size_t i) {
    return last_document + 1 + static_cast<int64_t>(i);
  };
  auto version_id = [&](size_t i) {
    return last_version + 1 + static_cast<int64_t>(i);
  };

  RA_RETURN_IF_ERROR(InsertRows(
      "INSERT INTO documents (id, case_id, doc_number, release_id, "
      "created_at) VALUES ",
      "(?,?,?,?,?)", 5, n, [&](Statement& s, int first, size_t i) {
        const PendingDocument& d = pending[i];
        return s.BindAt(first, document_id(i), d.case_id,
                        d.record->metadata.doc_number, d.release_id, d.now);
      }));
  // Inserted with their exemption use marked known: it is written below.
  RA_RETURN_IF_ERROR(InsertRows(
      "INSERT INTO document_versions (id, document_id, sha256, file_name, "
      "bytes, disposition, page_count, created_at, exemptions_recorded) "
      "VALUES ",
      "(?,?,?,?,?,?,?,?,1)", 8, n, [&](Statement& s, int first, size_t i) {
        const AuditRecord& r = *pending[i].record;
        return s.BindAt(first, version_id(i), document_id(i), r.sha256,
                        r.file_name, r.content_bytes,
                        static_cast<int>(r.disposition), r.page_count,
                        pending[i].now);
      }));
  // documents and document_versions refer to each other: the documents go
  // first, then their latest versions are set, all in one statement (the
  // two id ranges run in step).
  RA_RETURN_IF_ERROR(
      Run("UPDATE documents SET latest_version_id = id + ?1 "
          "WHERE id BETWEEN ?2 AND ?3",
          last_version - last_document, document_id(0), document_id(n - 1)));

  std::vector<size_t> with_passage;
  for (size_t i = 0; i < n; ++i) {
    if (!pending[i].record->passage_text.empty()) with_passage.push_back(i);
  }
  RA_RETURN_IF_ERROR(InsertRows(
      "INSERT INTO passage_texts (version_id, body) VALUES ", "(?,?)", 2,
      with_passage.size(), [&](Statement& s, int first, size_t k) {
        const size_t i = with_passage[k];
        return s.BindAt(first, version_id(i), pending[i].record->passage_text);
      }));

  struct Exemption {
    int64_t version_id;
    std::string code;
    int position;  // -1: not in the stamp
    int marks;
  };
  std::vector<Exemption> exemptions;
  for (size_t i = 0; i < n; ++i) {
    for (auto& [code, use] : store_internal::ExemptionUse(*pending[i].record)) {
      exemptions.push_back({version_id(i), code, use.first, use.second});
    }
  }
  RA_RETURN_IF_ERROR(InsertRows(
      "INSERT INTO version_exemptions (version_id, code, stamp_position, "
      "marks) VALUES ",
      "(?,?,?,?)", 4, exemptions.size(), [&](Statement& s, int first, size_t k) {
        const Exemption& e = exemptions[k];
        return s.BindAt(first, e.version_id, e.code,
                        e.position >= 0 ? std::optional<int64_t>(e.position)
                                        : std::optional<int64_t>(),
                        e.marks);
      }));

  // (document, finding) in id order.
  std::vector<std::pair<size_t, const Finding*>> findings;
  for (size_t i = 0; i < n; ++i) {
    for (const Finding* f : pending[i].findings) findings.emplace_back(i, f);
  }
  const int open = static_cast<int>(FindingStatus::kOpen);
  RA_RETURN_IF_ERROR(InsertRows(
      "INSERT INTO findings (id, document_id, case_id, release_id, "
      "version_id, rule_id, severity, status, message, page, line, col, "
      "length, evidence, fingerprint, etag, created_at, updated_at, scope) "
      "VALUES ",
      "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?,0)", 17, findings.size(),
      [&](Statement& s, int first, size_t k) {
        const auto& [i, f] = findings[k];
        const PendingDocument& d = pending[i];
        return s.BindAt(first, last_finding + 1 + static_cast<int64_t>(k),
                        document_id(i), d.case_id, d.release_id, version_id(i),
                        f->rule_id, static_cast<int>(f->severity), open,
                        f->message, f->page, f->line, f->column, f->length,
                        f->evidence, f->fingerprint, d.now, d.now);
      }));
  RA_RETURN_IF_ERROR(InsertRows(
      "INSERT INTO audit_runs (version_id, pack_version, started_at, "
      "finding_count) VALUES ",
      "(?,?,?,?)", 4, n, [&](Statement& s, int first, size_t i) {
        const PendingDocument& d = pending[i];
        return s.BindAt(first, version_id(i), d.record->pack_version, d.now,
                        static_cast<int64_t>(d.findings.size()));
      }));

  int64_t finding_id = last_finding + 1;
  for (size_t i = 0; i < n; ++i) {
    PendingDocument& d = pending[i];
    d.version_id = version_id(i);
    d.first_finding_id = finding_id;
    finding_id += static_cast<int64_t>(d.findings.size());
    written.push_back(std::move(d));
  }
  pending.clear();
  return absl::OkStatus();
}

void Store::Impl::SetWrittenOutcomes(
    std::vector<PendingDocument>& written,
    std::vector<absl::StatusOr<AuditOutcome>>& out) {
  // What CurrentFindings would read back: each document's findings are
  // the ones inserted, open, in id order.
  for (PendingDocument& d : written) {
    const AuditRecord& r = *d.record;
    AuditOutcome outcome;
    outcome.version_id = d.version_id;
    outcome.findings.reserve(d.findings.size());
    int64_t id = d.first_finding_id;
    for (Finding* f : d.findings) {
      StoredFinding& stored = outcome.findings.emplace_back();
      stored.id = id++;
      stored.case_number = r.metadata.case_number;
      stored.doc_number = r.metadata.doc_number;
      if (d.release_id) stored.release = r.metadata.release;
      stored.version_sha256 = r.sha256;
      stored.status = FindingStatus::kOpen;
      stored.etag = 1;
      stored.finding = std::move(*f);
      stored.file_name = r.file_name;
    }
    out[d.slot] = std::move(outcome);
  }
  written.clear();
}

}  // namespace ra
