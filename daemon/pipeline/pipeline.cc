#include "pipeline/pipeline.h"

#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "check/checker.h"
#include "model/status_macros.h"
#include "parse/parser.h"
#include "parse/pdf_marks.h"
#include "util/log.h"

namespace ra {

std::string FileStem(const std::string& file_name) {
  size_t start = file_name.find_last_of('/');
  start = start == std::string::npos ? 0 : start + 1;
  size_t dot = file_name.find_last_of('.');
  if (dot == std::string::npos || dot <= start) dot = file_name.size();
  return file_name.substr(start, dot - start);
}

Pipeline::Pipeline(const PackHolder* packs, Store* store,
                   PipelineOptions options, xdoc::PassageIndex* index)
    : index_(index), packs_(packs), store_(store), options_(std::move(options)) {}

absl::StatusOr<InspectResult> Pipeline::Inspect(Submission s) const {
  InspectResult out;
  out.metadata = std::move(s.metadata);
  if (out.metadata.doc_number.empty()) {
    out.metadata.doc_number = FileStem(s.file_name);
  }
  if (out.metadata.doc_number.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        s.file_name.empty() ? "<unnamed>" : s.file_name,
        ": no document number: give one in the metadata or a file name"));
  }
  RA_ASSIGN_OR_RETURN(
      IngestedDocument text,
      IngestDocument(s.file_name, std::move(s.content), s.content_type,
                     options_.ingest));
  out.sha256 = std::move(text.sha256);
  const std::shared_ptr<const RulePack> pack = packs_->Get();
  out.document = ParseWithPdf(std::move(text.text), std::move(text.pdf), *pack);
  out.findings = CheckDocument(out.document, out.metadata, *pack);
  return out;
}

absl::StatusOr<PreparedAudit> Pipeline::Prepare(Submission s) const {
  if (store_ == nullptr) {
    return absl::FailedPreconditionError("this pipeline has no store");
  }
  if (s.metadata.case_number.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        s.file_name, ": no case number: give --case or a manifest row with a "
                     "case_number"));
  }
  PreparedAudit out;
  out.record.file_name = s.file_name;
  {
    const std::shared_ptr<const RulePack> pack = packs_->Get();
    out.record.pack_version = absl::StrCat(pack->name(), "@", pack->version());
  }
  RA_ASSIGN_OR_RETURN(out.inspected, Inspect(std::move(s)));
  const InspectResult& in = out.inspected;
  out.record.metadata = in.metadata;
  out.record.sha256 = in.sha256;
  out.record.content_bytes = static_cast<int64_t>(in.document.text.size());
  out.record.disposition = in.document.stamp.disposition;
  out.record.page_count = in.document.pdf.has_value()
                              ? in.document.pdf->page_count
                              : in.document.page_count();
  out.record.findings = in.findings;
  if (index_ != nullptr) {
    out.record.passage_text = xdoc::PassageText(in.document);
    absl::StatusOr<xdoc::PassageDoc> passage =
        xdoc::ParsePassageText(out.record.passage_text);
    if (passage.ok()) {  // PassageText always parses back
      passage->case_number = in.metadata.case_number;
      passage->doc_number = in.metadata.doc_number;
      out.passage = *std::move(passage);
    }
  }
  return out;
}

std::vector<absl::StatusOr<AuditResult>> Pipeline::Commit(
    std::vector<PreparedAudit>& prepared) const {
  CrossCheck(prepared);
  return Record(prepared);
}

void Pipeline::CrossCheck(std::vector<PreparedAudit>& prepared) const {
  // Cross-document: each document against what is indexed, then indexed.
  if (index_ == nullptr) return;
  const std::shared_ptr<const RulePack> pack = packs_->Get();
  for (PreparedAudit& p : prepared) {
    if (!p.passage.has_value()) continue;
    AuditRecord& record = p.record;
    for (xdoc::XdocFinding& x : index_->Check(*p.passage, *pack)) {
      if (x.case_number == p.passage->case_number &&
          x.doc_number == p.passage->doc_number) {
        p.inspected.findings.push_back(x.finding);
        record.findings.push_back(std::move(x.finding));
      } else {
        p.others.push_back(DocumentFinding{std::move(x.case_number),
                                           std::move(x.doc_number),
                                           std::move(x.finding)});
      }
    }
    // Indexed once, here, so that later documents of the group are compared
    // with it; the index's findings are matched by case and doc number, so
    // it needs no version id. (Putting it again once stored left a dead copy
    // in the postings: a live index counted each document twice and found
    // fewer anchors than the one rebuilt from the store at start.)
    index_->Put(*std::move(p.passage));
    p.passage.reset();
  }
}

std::vector<absl::StatusOr<AuditResult>> Pipeline::Record(
    std::vector<PreparedAudit>& prepared) const {
  std::vector<const AuditRecord*> records;
  records.reserve(prepared.size());
  for (const PreparedAudit& p : prepared) records.push_back(&p.record);
  std::vector<absl::StatusOr<AuditOutcome>> stored = store_->RecordAudits(records);
  std::vector<absl::StatusOr<AuditResult>> out;
  out.reserve(prepared.size());
  std::vector<DocumentFinding> others;
  for (size_t i = 0; i < prepared.size(); ++i) {
    PreparedAudit& p = prepared[i];
    for (DocumentFinding& o : p.others) others.push_back(std::move(o));
    if (!stored[i].ok()) {
      out.push_back(stored[i].status());
      continue;
    }
    AuditResult r;
    r.inspected = std::move(p.inspected);
    r.pack_version = std::move(p.record.pack_version);
    r.stored = std::move(*stored[i]);
    out.push_back(std::move(r));
  }
  // The mirrored findings, on documents already stored.
  if (!others.empty()) {
    absl::StatusOr<int64_t> added = store_->AddFindings(others);
    if (!added.ok()) {
      LogWarning("event=xdoc_add_findings_failed findings=", others.size(),
                 " error=", added.status().ToString());
    }
  }
  return out;
}

absl::StatusOr<CrossCheckResult> Pipeline::CrossCheckCase(
    const std::string& case_number) const {
  if (index_ == nullptr || store_ == nullptr) {
    return absl::FailedPreconditionError(
        "cross-document checks need a passage index and a store");
  }
  if (case_number.empty()) {
    return absl::InvalidArgumentError("cross-check needs a case number");
  }
  const std::shared_ptr<const RulePack> pack = packs_->Get();
  CrossCheckResult out;
  out.documents = static_cast<int64_t>(index_->CaseSize(case_number));
  std::vector<DocumentFinding> findings;
  std::map<std::string, int64_t> by_rule;
  for (xdoc::XdocFinding& x : index_->CheckCase(case_number, *pack)) {
    ++by_rule[x.finding.rule_id];
    findings.push_back(DocumentFinding{std::move(x.case_number),
                                       std::move(x.doc_number),
                                       std::move(x.finding)});
  }
  out.findings = static_cast<int64_t>(findings.size());
  if (!findings.empty()) {
    RA_ASSIGN_OR_RETURN(out.new_findings, store_->AddFindings(findings));
  }
  out.by_rule.assign(by_rule.begin(), by_rule.end());
  return out;
}

absl::StatusOr<int64_t> RebuildPassageIndex(Store& store,
                                            xdoc::PassageIndex& index) {
  int64_t n = 0;
  absl::Status bad;
  RA_RETURN_IF_ERROR(store.ForEachPassage("", [&](StoredPassage p) {
    if (!bad.ok()) return;
    absl::StatusOr<xdoc::PassageDoc> doc =
        xdoc::ParsePassageText(p.passage_text);
    if (!doc.ok()) {
      bad = absl::DataLossError(absl::StrCat(
          "stored passage text of ", p.case_number, "/", p.doc_number,
          " (version ", p.version_id, "): ", doc.status().message()));
      return;
    }
    doc->case_number = std::move(p.case_number);
    doc->doc_number = std::move(p.doc_number);
    doc->version_id = p.version_id;
    index.Put(*std::move(doc));
    ++n;
  }));
  RA_RETURN_IF_ERROR(bad);
  return n;
}

absl::StatusOr<AuditResult> Pipeline::Audit(Submission s) const {
  RA_ASSIGN_OR_RETURN(PreparedAudit prepared, Prepare(std::move(s)));
  std::vector<PreparedAudit> batch;
  batch.push_back(std::move(prepared));
  return std::move(Commit(batch).front());
}

}  // namespace ra
