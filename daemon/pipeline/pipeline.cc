#include "pipeline/pipeline.h"

#include "absl/strings/str_cat.h"
#include "check/checker.h"
#include "model/status_macros.h"
#include "parse/parser.h"
#include "parse/pdf_marks.h"

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
      IngestedDocument text,
      IngestDocument(s.file_name, std::move(s.content), s.content_type,
                     options_.ingest));
  out.sha256 = std::move(text.sha256);
  const std::shared_ptr<const RulePack> pack = packs_->Get();
  out.document = ParseWithPdf(std::move(text.text), std::move(text.pdf), *pack);
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
  record.page_count = out.inspected.document.pdf.has_value()
                          ? out.inspected.document.pdf->page_count
                          : out.inspected.document.page_count();
  record.pack_version = out.pack_version;
  record.findings = out.inspected.findings;
  RA_ASSIGN_OR_RETURN(out.stored, store_->RecordAudit(record));
  return out;
}

}  // namespace ra
