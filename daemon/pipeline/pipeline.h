// pipeline: puts the stages in order for the service. ingest -> parse ->
// check -> store. Holds no rule logic; owns nothing but references.
#ifndef RA_PIPELINE_PIPELINE_H_
#define RA_PIPELINE_PIPELINE_H_

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "check/release_check.h"
#include "ingest/ingest.h"
#include "model/document.h"
#include "model/finding.h"
#include "pack/pack.h"
#include "store/store.h"
#include "xdoc/xdoc.h"

namespace ra {

// The rule pack in force; swapped as a whole on reload. Thread-safe.
class PackHolder {
 public:
  explicit PackHolder(std::shared_ptr<const RulePack> pack)
      : pack_(std::move(pack)) {}
  std::shared_ptr<const RulePack> Get() const {
    std::lock_guard<std::mutex> lock(mu_);
    return pack_;
  }
  void Set(std::shared_ptr<const RulePack> pack) {
    std::lock_guard<std::mutex> lock(mu_);
    pack_ = std::move(pack);
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const RulePack> pack_;
};

// Reloads a rule pack folder into a PackHolder: on success the new pack is
// in force; on failure (message naming file:line:column) the old one stays.
// Serializes concurrent reloads (SIGHUP and the ReloadRules rpc).
class PackReloader {
 public:
  PackReloader(std::string rules_dir, PackHolder* packs)
      : rules_dir_(std::move(rules_dir)), packs_(packs) {}
  absl::StatusOr<std::shared_ptr<const RulePack>> Reload() {
    std::lock_guard<std::mutex> lock(mu_);
    auto pack = RulePack::LoadFolder(rules_dir_);
    if (pack.ok()) packs_->Set(*pack);
    return pack;
  }

 private:
  std::mutex mu_;
  const std::string rules_dir_;
  PackHolder* packs_;
};

// Suppressions managed through the admin rpcs (kept by the store), applied
// like a rule pack's: Inspect, the cross-document checks and the release
// check drop findings with a suppressed fingerprint.
// Thread-safe; fingerprints are compared in lower case.
class SuppressionSet {
 public:
  void Replace(const std::vector<std::string>& fingerprints);
  void Add(const std::string& fingerprint);
  void Remove(const std::string& fingerprint);
  // Removes the suppressed findings from `findings`.
  void Filter(std::vector<Finding>& findings) const;
  bool Contains(std::string_view fingerprint) const;

 private:
  mutable std::mutex mu_;
  std::vector<std::string> sorted_;  // guarded by mu_
  std::atomic<bool> empty_{true};
};

struct PipelineOptions {
  IngestOptions ingest;
  // Admin suppressions to apply; must outlive the pipeline. Null: none.
  const SuppressionSet* suppressions = nullptr;
};

// One submitted document.
struct Submission {
  ReleaseMetadata metadata;  // doc_number defaults to the file name's stem
  std::string file_name;
  std::string content;
  // "", "text/plain" or "application/pdf"; the content decides (see
  // IngestDocument).
  std::string content_type;
  // Authenticated principal that submitted it (AuditRecord::submitter).
  std::string submitter;
};

struct InspectResult {
  Document document;
  std::vector<Finding> findings;
  ReleaseMetadata metadata;  // with defaults filled in
  std::string sha256;
};

struct AuditResult {
  InspectResult inspected;
  AuditOutcome stored;
  std::string pack_version;  // "name@version"
};

// A document inspected and ready to store (see Prepare and Commit).
struct PreparedAudit {
  // Its findings are left empty: they are record.findings (with its own
  // cross-document findings once cross-checked), which Record copies back
  // into its AuditResult; RecordInPlace does not, to save a copy of every
  // finding. Its metadata and sha256 are moved into the record too (the
  // store reads them there and leaves them): Record moves them back,
  // RecordInPlace does not.
  InspectResult inspected;
  AuditRecord record;  // record.passage_text set when there is an index
  // With an index: record.passage_text read back, with the document's case
  // and doc number (made by Prepare, on the worker's thread; CrossCheck
  // moves it into the index).
  std::optional<xdoc::PassageDoc> passage;
  // Set by CrossCheck: every cross-document finding of its check (this
  // document's and the mirrored ones on other documents, with partners),
  // and whether it was checked (its pairs' stale findings then close).
  std::vector<DocumentFinding> others;
  bool cross_checked = false;
};

// What a cross-check of a whole case found.
struct CrossCheckResult {
  int64_t documents = 0;       // documents of the case in the index
  int64_t findings = 0;        // cross-document findings (both sides)
  int64_t new_findings = 0;    // of which were not stored before
  int64_t closed_findings = 0; // stored ones the check no longer produces
  std::vector<std::pair<std::string, int64_t>> by_rule;  // sorted by rule
};

// What a release check of a case found and stored.
struct ReleaseCheckResult {
  int64_t listed = 0;   // distinct doc numbers listed
  int64_t checked = 0;  // documents the check decided
  ReleaseCheckOutcome stored;
};

class Pipeline {
 public:
  // `packs` and `store` must outlive the pipeline; `store` may be null for
  // an inspect-only pipeline. With a passage `index` (which must outlive
  // the pipeline), every audited document is also cross-checked against
  // the indexed documents, then indexed.
  Pipeline(const PackHolder* packs, Store* store, PipelineOptions options,
           xdoc::PassageIndex* index = nullptr);

  // Ingests, parses and checks; stores nothing.
  absl::StatusOr<InspectResult> Inspect(Submission submission) const;
  // Inspect, then store the version and its findings (one transaction).
  // INVALID_ARGUMENT when the metadata has no case number.
  absl::StatusOr<AuditResult> Audit(Submission submission) const;

  // Audit in two steps, for batches: Prepare (ingest, parse, check; any
  // thread, no store access) and Commit (stores many prepared documents in
  // one transaction; a failing one does not affect the others). Results in
  // the order of `prepared`; entries are moved from.
  absl::StatusOr<PreparedAudit> Prepare(Submission submission) const;
  // Prepare into `*out`, a default-constructed audit that stays where it is
  // (a batch stream's, on the heap: the audit is not moved from stage to
  // stage). On an error `*out` is left partly filled, to be dropped.
  absl::Status PrepareInPlace(Submission submission, PreparedAudit* out) const;
  // With an index, Commit first compares each document, in order, with
  // every indexed document of its case (earlier documents of the batch
  // included) and indexes it: its own cross-document findings are stored
  // with it, the mirrored ones are added to the other documents.
  std::vector<absl::StatusOr<AuditResult>> Commit(
      std::vector<PreparedAudit>& prepared) const;
  // Commit in two stages, so that a batch stream can cross-check one group
  // while the group before it is written: CrossCheck (the index part of
  // Commit) then Record (the store part). Groups must go through both in the
  // same order, each stage from one thread at a time; Commit(p) is
  // CrossCheck(p) then Record(p).
  void CrossCheck(std::vector<PreparedAudit>& prepared) const;
  // CrossCheck on audits that stay where they are (see RecordInPlace).
  void CrossCheckInPlace(const std::vector<PreparedAudit*>& prepared) const;
  std::vector<absl::StatusOr<AuditResult>> Record(
      std::vector<PreparedAudit>& prepared) const;
  // Record's store part on audits that stay where they are (a batch
  // stream's queue entries; the audits are not moved): the outcome of each,
  // in order. Prepare moved the findings from the inspected result into the
  // record, and the store moves a new document's findings from the record
  // into its outcome: afterwards the findings are the outcome's
  // (AuditOutcome::findings), not the inspected result's or the record's.
  std::vector<absl::StatusOr<AuditOutcome>> RecordInPlace(
      const std::vector<PreparedAudit*>& prepared) const;

  // Cross-checks every indexed document of `case_number` against each
  // other and adds the findings to the store. FAILED_PRECONDITION without
  // an index or a store.
  absl::StatusOr<CrossCheckResult> CrossCheckCase(
      const std::string& case_number) const;

  // The release-level check (check/release_check.h) of `case_number`: the
  // manifest rows `listed` against the documents the store holds for the
  // case; the findings are stored (Store::RecordReleaseCheck).
  // The documents are listed and the findings stored in two store calls:
  // a document audited in between is reported as not submitted until the
  // next check. FAILED_PRECONDITION without a store; INVALID_ARGUMENT
  // without a case.
  absl::StatusOr<ReleaseCheckResult> CheckRelease(
      const std::string& case_number,
      const std::vector<ListedDocument>& listed) const;

 private:
  // Inspect into `*out` (default-constructed) with `pack`; `s` is moved
  // from.
  absl::Status InspectInPlace(Submission& s, const RulePack& pack,
                              InspectResult* out) const;
  // Whether an admin suppression (options_.suppressions) drops `f`.
  bool AdminSuppressed(const Finding& f) const {
    return options_.suppressions != nullptr &&
           options_.suppressions->Contains(f.fingerprint);
  }

  xdoc::PassageIndex* index_ = nullptr;
  const PackHolder* packs_;
  Store* store_;
  PipelineOptions options_;
};

// Fills `index` from the passage texts in `store` (daemon start). Returns
// the number of documents indexed; a corrupt passage text is an error
// naming the document.
absl::StatusOr<int64_t> RebuildPassageIndex(Store& store,
                                            xdoc::PassageIndex& index);

// "C05788291.txt" -> "C05788291"; "dir/a.b.txt" -> "a.b".
std::string FileStem(const std::string& file_name);

}  // namespace ra

#endif  // RA_PIPELINE_PIPELINE_H_
