#include "pipeline/pipeline.h"

#include <algorithm>
#include <map>
#include <optional>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
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

void SuppressionSet::Replace(const std::vector<std::string>& fingerprints) {
  std::vector<std::string> sorted;
  for (const std::string& f : fingerprints) sorted.push_back(absl::AsciiStrToLower(f));
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::lock_guard<std::mutex> lock(mu_);
  sorted_ = std::move(sorted);
  empty_.store(sorted_.empty());
}

void SuppressionSet::Add(const std::string& fingerprint) {
  const std::string f = absl::AsciiStrToLower(fingerprint);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = std::lower_bound(sorted_.begin(), sorted_.end(), f);
  if (it == sorted_.end() || *it != f) sorted_.insert(it, f);
  empty_.store(false);
}

void SuppressionSet::Remove(const std::string& fingerprint) {
  const std::string f = absl::AsciiStrToLower(fingerprint);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = std::lower_bound(sorted_.begin(), sorted_.end(), f);
  if (it != sorted_.end() && *it == f) sorted_.erase(it);
  empty_.store(sorted_.empty());
}

void SuppressionSet::Filter(std::vector<Finding>& findings) const {
  if (empty_.load() || findings.empty()) return;
  findings.erase(std::remove_if(findings.begin(), findings.end(),
                                [this](const Finding& f) {
                                  return Contains(f.fingerprint);
                                }),
                 findings.end());
}

bool SuppressionSet::Contains(std::string_view fingerprint) const {
  if (empty_.load()) return false;
  const std::string f = absl::AsciiStrToLower(
      absl::string_view(fingerprint.data(), fingerprint.size()));
  std::lock_guard<std::mutex> lock(mu_);
  return std::binary_search(sorted_.begin(), sorted_.end(), f);
}

Pipeline::Pipeline(const PackHolder* packs, Store* store,
                   PipelineOptions options, xdoc::PassageIndex* index)
    : index_(index), packs_(packs), store_(store), options_(std::move(options)) {}

absl::StatusOr<InspectResult> Pipeline::Inspect(Submission s) const {
  InspectResult out;
  const std::shared_ptr<const RulePack> pack = packs_->Get();
  RA_RETURN_IF_ERROR(InspectInPlace(s, *pack, &out));
  return out;
}

absl::Status Pipeline::InspectInPlace(Submission& s, const RulePack& pack,
                                      InspectResult* out) const {
  out->metadata = std::move(s.metadata);
  if (out->metadata.doc_number.empty()) {
    out->metadata.doc_number = FileStem(s.file_name);
  }
  if (out->metadata.doc_number.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        s.file_name.empty() ? "<unnamed>" : s.file_name,
        ": no document number: give one in the metadata or a file name"));
  }
  RA_ASSIGN_OR_RETURN(
      IngestedDocument text,
      IngestDocument(s.file_name, std::move(s.content), s.content_type,
                     options_.ingest));
  out->sha256 = std::move(text.sha256);
  out->document = ParseWithPdf(std::move(text.text), std::move(text.pdf), pack);
  out->findings = CheckDocument(out->document, out->metadata, pack);
  if (options_.suppressions != nullptr) options_.suppressions->Filter(out->findings);
  return absl::OkStatus();
}

absl::StatusOr<PreparedAudit> Pipeline::Prepare(Submission s) const {
  PreparedAudit out;
  RA_RETURN_IF_ERROR(PrepareInPlace(std::move(s), &out));
  return out;
}

absl::Status Pipeline::PrepareInPlace(Submission s, PreparedAudit* out) const {
  if (store_ == nullptr) {
    return absl::FailedPreconditionError("this pipeline has no store");
  }
  if (s.metadata.case_number.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        s.file_name, ": no case number: give --case or a manifest row with a "
                     "case_number"));
  }
  AuditRecord& record = out->record;
  record.file_name = s.file_name;
  record.submitter = std::move(s.submitter);
  // One pack for the whole audit: the version recorded is the one that
  // checked it, even when the rules are reloaded meanwhile.
  const std::shared_ptr<const RulePack> pack = packs_->Get();
  record.pack_version = absl::StrCat(pack->name(), "@", pack->version());
  RA_RETURN_IF_ERROR(InspectInPlace(s, *pack, &out->inspected));
  const InspectResult& in = out->inspected;
  // Moved, not copied: the record's until Record moves them back.
  record.metadata = std::move(out->inspected.metadata);
  record.sha256 = std::move(out->inspected.sha256);
  record.content_bytes = static_cast<int64_t>(in.document.text.size());
  record.disposition = in.document.stamp.disposition;
  record.page_count = in.document.pdf.has_value()
                          ? in.document.pdf->page_count
                          : in.document.page_count();
  // Moved, not copied: until Record puts them back, the findings are the
  // record's (see PreparedAudit).
  record.findings = std::move(out->inspected.findings);
  record.stamp_codes.reserve(in.document.stamp.codes.size());
  for (const Mark& m : in.document.stamp.codes) {
    record.stamp_codes.push_back(m.code.empty() ? m.printed : m.code);
  }
  for (const Mark& m : in.document.marks) {
    ++record.marks_by_code[m.code.empty() ? m.printed : m.code];
  }
  if (index_ != nullptr) {
    // The text to store and, read back as it is written, the document to
    // index.
    absl::StatusOr<xdoc::PassageDoc> passage =
        xdoc::BuildPassage(in.document, &record.passage_text);
    if (passage.ok()) {  // PassageText always parses back
      passage->case_number = record.metadata.case_number;
      passage->doc_number = record.metadata.doc_number;
      out->passage = *std::move(passage);
    }
  }
  return absl::OkStatus();
}

std::vector<absl::StatusOr<AuditResult>> Pipeline::Commit(
    std::vector<PreparedAudit>& prepared) const {
  CrossCheck(prepared);
  return Record(prepared);
}

void Pipeline::CrossCheck(std::vector<PreparedAudit>& prepared) const {
  std::vector<PreparedAudit*> audits;
  audits.reserve(prepared.size());
  for (PreparedAudit& p : prepared) audits.push_back(&p);
  CrossCheckInPlace(audits);
}

void Pipeline::CrossCheckInPlace(const std::vector<PreparedAudit*>& prepared) const {
  // Cross-document: each document against what is indexed, then indexed.
  if (index_ == nullptr) return;
  const std::shared_ptr<const RulePack> pack = packs_->Get();
  for (PreparedAudit* audit : prepared) {
    PreparedAudit& p = *audit;
    if (!p.passage.has_value()) continue;
    AuditRecord& record = p.record;
    const std::string case_number = p.passage->case_number;
    const std::string doc_number = p.passage->doc_number;
    // Checked, then indexed once, here, so that later documents of the
    // group are compared with it; the index's findings are matched by case
    // and doc number, so it needs no version id. (Putting it again once
    // stored left a dead copy in the postings: a live index counted each
    // document twice and found fewer anchors than the one rebuilt from the
    // store at start.)
    std::vector<xdoc::XdocFinding> found =
        index_->CheckAndPut(*std::move(p.passage), *pack);
    p.passage.reset();
    for (xdoc::XdocFinding& x : found) {
      if (AdminSuppressed(x.finding)) continue;
      if (x.case_number == case_number && x.doc_number == doc_number) {
        record.findings.push_back(x.finding);
      }
      // Every cross-document finding (with its partner), this document's
      // too, for the store to add, link and close (ApplyCrossCheck).
      p.others.push_back(DocumentFinding{
          std::move(x.case_number), std::move(x.doc_number),
          std::move(x.finding), std::move(x.partner_case_number),
          std::move(x.partner_doc_number)});
    }
    p.cross_checked = true;
  }
}

std::vector<absl::StatusOr<AuditResult>> Pipeline::Record(
    std::vector<PreparedAudit>& prepared) const {
  std::vector<PreparedAudit*> audits;
  audits.reserve(prepared.size());
  for (PreparedAudit& p : prepared) {
    // The inspected result's findings, as Inspect returns them (the store
    // moves a new document's findings out of its record).
    p.inspected.findings = p.record.findings;
    audits.push_back(&p);
  }
  std::vector<absl::StatusOr<AuditOutcome>> stored = RecordInPlace(audits);
  std::vector<absl::StatusOr<AuditResult>> out;
  out.reserve(prepared.size());
  for (size_t i = 0; i < prepared.size(); ++i) {
    PreparedAudit& p = prepared[i];
    if (!stored[i].ok()) {
      out.push_back(stored[i].status());
      continue;
    }
    AuditResult r;
    r.inspected = std::move(p.inspected);
    r.inspected.metadata = std::move(p.record.metadata);
    r.inspected.sha256 = std::move(p.record.sha256);
    r.pack_version = std::move(p.record.pack_version);
    r.stored = std::move(*stored[i]);
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<absl::StatusOr<AuditOutcome>> Pipeline::RecordInPlace(
    const std::vector<PreparedAudit*>& prepared) const {
  std::vector<AuditRecord*> records;
  records.reserve(prepared.size());
  // The mirrored findings, on documents already stored; partners linked;
  // findings the checked documents' pairs no longer produce closed: in the
  // transaction that stores the group.
  std::vector<DocumentFinding> others;
  std::vector<DocumentRef> checked;
  for (PreparedAudit* p : prepared) {
    records.push_back(&p->record);
    for (DocumentFinding& o : p->others) others.push_back(std::move(o));
    if (p->cross_checked) {
      checked.push_back(
          {p->record.metadata.case_number, p->record.metadata.doc_number});
    }
  }
  absl::StatusOr<CrossCheckStored> added = CrossCheckStored{};
  std::vector<absl::StatusOr<AuditOutcome>> stored =
      checked.empty() ? store_->RecordAudits(records)
                      : store_->RecordAudits(records, others, checked, &added);
  if (!added.ok()) {
    LogWarning("event=xdoc_add_findings_failed findings=", others.size(),
               " error=", added.status().ToString());
  }
  return stored;
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
    if (AdminSuppressed(x.finding)) continue;
    ++by_rule[x.finding.rule_id];
    findings.push_back(DocumentFinding{
        std::move(x.case_number), std::move(x.doc_number),
        std::move(x.finding), std::move(x.partner_case_number),
        std::move(x.partner_doc_number)});
  }
  out.findings = static_cast<int64_t>(findings.size());
  // Every pair of the case was compared: what it no longer produces closes.
  RA_ASSIGN_OR_RETURN(CrossCheckStored stored,
                      store_->ApplyCrossCheck(findings, {{case_number, ""}}));
  out.new_findings = stored.added;
  out.closed_findings = stored.closed;
  out.by_rule.assign(by_rule.begin(), by_rule.end());
  return out;
}

absl::StatusOr<ReleaseCheckResult> Pipeline::CheckRelease(
    const std::string& case_number,
    const std::vector<ListedDocument>& listed) const {
  if (store_ == nullptr) {
    return absl::FailedPreconditionError("a release check needs a store");
  }
  if (case_number.empty()) {
    return absl::InvalidArgumentError("a release check needs a case number");
  }
  const std::shared_ptr<const RulePack> pack = packs_->Get();
  RA_ASSIGN_OR_RETURN(std::vector<CaseDocument> stored,
                      store_->ListCaseDocuments(case_number));
  std::vector<KnownDocument> known;
  known.reserve(stored.size());
  for (CaseDocument& d : stored) {
    known.push_back(KnownDocument{std::move(d.doc_number),
                                  std::move(d.release), d.submitted});
  }
  ReleaseCheck check = ra::CheckRelease(listed, known, *pack);
  ReleaseCheckRecord record;
  record.case_number = case_number;
  record.checked = std::move(check.checked);
  for (ReleaseFinding& f : check.findings) {
    if (AdminSuppressed(f.finding)) continue;
    record.findings.push_back(ReleaseLevelFinding{
        std::move(f.doc_number), std::move(f.release), std::move(f.finding)});
  }
  ReleaseCheckResult out;
  out.listed = check.listed;
  out.checked = static_cast<int64_t>(record.checked.size());
  RA_ASSIGN_OR_RETURN(out.stored, store_->RecordReleaseCheck(record));
  return out;
}

absl::StatusOr<int64_t> RebuildPassageIndex(Store& store,
                                            xdoc::PassageIndex& index) {
  // Passages are read in groups; a group's texts are parsed on two threads
  // (most of the work), then put in store order, so the index is the one
  // putting them one by one makes.
  constexpr size_t kGroup = 512;
  int64_t n = 0;
  absl::Status bad;
  std::vector<StoredPassage> group;
  auto put_group = [&]() {
    std::vector<absl::StatusOr<xdoc::PassageDoc>> docs(group.size());
    auto parse = [&group, &docs](size_t from, size_t to) {
      for (size_t i = from; i < to; ++i) {
        docs[i] = xdoc::ParsePassageText(group[i].passage_text);
      }
    };
    const size_t half = group.size() / 2;
    std::thread other(parse, half, group.size());
    parse(0, half);
    other.join();
    for (size_t i = 0; i < group.size() && bad.ok(); ++i) {
      StoredPassage& p = group[i];
      if (!docs[i].ok()) {
        bad = absl::DataLossError(absl::StrCat(
            "stored passage text of ", p.case_number, "/", p.doc_number,
            " (version ", p.version_id, "): ", docs[i].status().message()));
        break;
      }
      docs[i]->case_number = std::move(p.case_number);
      docs[i]->doc_number = std::move(p.doc_number);
      docs[i]->version_id = p.version_id;
      index.Put(*std::move(docs[i]));
      ++n;
    }
    group.clear();
  };
  RA_RETURN_IF_ERROR(store.ForEachPassage("", [&](StoredPassage p) {
    if (!bad.ok()) return;
    group.push_back(std::move(p));
    if (group.size() == kGroup) put_group();
  }));
  if (bad.ok() && !group.empty()) put_group();
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
