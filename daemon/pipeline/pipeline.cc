#include "pipeline/pipeline.h"

#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "check/checker.h"
#include "model/status_macros.h"
#include "parse/parser.h"

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
      IngestedText text,
      IngestText(s.file_name, std::move(s.content), options_.ingest));
  out.sha256 = std::move(text.sha256);
  const std::shared_ptr<const RulePack> pack = packs_->Get();
  out.document = Parse(std::move(text.text), *pack);
  out.findings = CheckDocument(out.document, out.metadata, *pack);
  return out;
}

absl::StatusOr<AuditResult> Pipeline::Audit(Submission s) const {
  if (store_ == nullptr) {
    return absl::FailedPreconditionError("this pipeline has no store");
  }
  if (s.metadata.case_number.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        s.file_name, ": no case number: give --case or a manifest row with a "
                     "case_number"));
  }
  const std::string file_name = s.file_name;
  AuditResult out;
  {
    const std::shared_ptr<const RulePack> pack = packs_->Get();
    out.pack_version = absl::StrCat(pack->name(), "@", pack->version());
  }
  RA_ASSIGN_OR_RETURN(out.inspected, Inspect(std::move(s)));
  AuditRecord record;
  record.metadata = out.inspected.metadata;
  record.file_name = file_name;
  record.sha256 = out.inspected.sha256;
  record.content_bytes = static_cast<int64_t>(out.inspected.document.text.size());
  record.disposition = out.inspected.document.stamp.disposition;
  record.page_count = out.inspected.document.page_count();
  record.pack_version = out.pack_version;
  record.findings = out.inspected.findings;

  // Cross-document: compare with what is indexed, before storing.
  std::optional<xdoc::PassageDoc> passage;
  std::vector<DocumentFinding> others;
  if (index_ != nullptr) {
    record.passage_text = xdoc::PassageText(out.inspected.document);
    RA_ASSIGN_OR_RETURN(passage, xdoc::ParsePassageText(record.passage_text));
    passage->case_number = record.metadata.case_number;
    passage->doc_number = record.metadata.doc_number;
    const std::shared_ptr<const RulePack> pack = packs_->Get();
    for (xdoc::XdocFinding& x : index_->Check(*passage, *pack)) {
      if (x.case_number == passage->case_number &&
          x.doc_number == passage->doc_number) {
        out.inspected.findings.push_back(x.finding);
        record.findings.push_back(std::move(x.finding));
      } else {
        others.push_back(DocumentFinding{std::move(x.case_number),
                                         std::move(x.doc_number),
                                         std::move(x.finding)});
      }
    }
  }
  RA_ASSIGN_OR_RETURN(out.stored, store_->RecordAudit(record));
  if (passage.has_value() && !out.stored.already_stored) {
    passage->version_id = out.stored.version_id;
    index_->Put(*std::move(passage));
    if (!others.empty()) {
      RA_RETURN_IF_ERROR(store_->AddFindings(others).status());
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

}  // namespace ra
