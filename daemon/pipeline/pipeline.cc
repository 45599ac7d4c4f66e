#include "pipeline/pipeline.h"

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
                   PipelineOptions options)
    : packs_(packs), store_(store), options_(std::move(options)) {}

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
  out.record.page_count = in.document.page_count();
  out.record.findings = in.findings;
  return out;
}

std::vector<absl::StatusOr<AuditResult>> Pipeline::Commit(
    std::vector<PreparedAudit>& prepared) const {
  std::vector<const AuditRecord*> records;
  records.reserve(prepared.size());
  for (const PreparedAudit& p : prepared) records.push_back(&p.record);
  std::vector<absl::StatusOr<AuditOutcome>> stored = store_->RecordAudits(records);
  std::vector<absl::StatusOr<AuditResult>> out;
  out.reserve(prepared.size());
  for (size_t i = 0; i < prepared.size(); ++i) {
    if (!stored[i].ok()) {
      out.push_back(stored[i].status());
      continue;
    }
    AuditResult r;
    r.inspected = std::move(prepared[i].inspected);
    r.pack_version = std::move(prepared[i].record.pack_version);
    r.stored = std::move(*stored[i]);
    out.push_back(std::move(r));
  }
  return out;
}

absl::StatusOr<AuditResult> Pipeline::Audit(Submission s) const {
  RA_ASSIGN_OR_RETURN(PreparedAudit prepared, Prepare(std::move(s)));
  std::vector<PreparedAudit> batch;
  batch.push_back(std::move(prepared));
  return std::move(Commit(batch).front());
}

}  // namespace ra
