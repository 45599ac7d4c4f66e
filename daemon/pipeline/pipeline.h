// pipeline: puts the stages in order for the service. ingest -> parse ->
// check -> store. Holds no rule logic; owns nothing but references.
#ifndef RA_PIPELINE_PIPELINE_H_
#define RA_PIPELINE_PIPELINE_H_

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ingest/ingest.h"
#include "model/document.h"
#include "model/finding.h"
#include "pack/pack.h"
#include "store/store.h"

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

struct PipelineOptions {
  IngestOptions ingest;
};

// One submitted document.
struct Submission {
  ReleaseMetadata metadata;  // doc_number defaults to the file name's stem
  std::string file_name;
  std::string content;
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
  InspectResult inspected;
  AuditRecord record;
};

class Pipeline {
 public:
  // `packs` and `store` must outlive the pipeline; `store` may be null for
  // an inspect-only pipeline.
  Pipeline(const PackHolder* packs, Store* store, PipelineOptions options);

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
  std::vector<absl::StatusOr<AuditResult>> Commit(
      std::vector<PreparedAudit>& prepared) const;

 private:
  const PackHolder* packs_;
  Store* store_;
  PipelineOptions options_;
};

// "C05788291.txt" -> "C05788291"; "dir/a.b.txt" -> "a.b".
std::string FileStem(const std::string& file_name);

}  // namespace ra

#endif  // RA_PIPELINE_PIPELINE_H_
