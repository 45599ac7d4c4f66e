// The SQLite store: cases, releases, documents, document versions (content
// SHA-256), audit runs, findings and their review history. The only module
// that speaks SQL. Thread-safe: one connection behind a mutex, WAL mode.
#ifndef RA_STORE_STORE_H_
#define RA_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "model/document.h"
#include "model/finding.h"

namespace ra {

struct StoreOptions {
  // Source of "now" for timestamps; tests inject a fake clock.
  std::function<absl::Time()> clock = [] { return absl::Now(); };
  // How long a writer waits for a lock held by another connection.
  absl::Duration busy_timeout = absl::Seconds(10);
  // The WAL is copied into the database (checkpointed) once a commit leaves
  // this much in it, by a thread of the store's own, not by the committing
  // one (Db::CheckpointInBackground).
  int64_t checkpoint_bytes = int64_t{32} << 20;
  // Called after each RecordAudit/RecordAudits with its wall time (lock
  // wait included) and whether it stored (all) its records; metrics.
  std::function<void(absl::Duration, bool ok)> on_write;
};

// Everything one audit of one document version produces.
struct AuditRecord {
  ReleaseMetadata metadata;      // case_number and doc_number required
  std::string file_name;
  std::string sha256;            // hex digest of the content
  int64_t content_bytes = 0;
  Disposition disposition = Disposition::kNone;  // as parsed
  int page_count = 0;            // as parsed
  std::string pack_version;      // "name@version" of the rule pack used
  std::vector<Finding> findings; // fingerprints set
  // Normalized text for the cross-document index (xdoc PassageText); kept
  // with the version when not empty.
  std::string passage_text;
  // Exemption use as parsed, kept with the version for reports: the
  // canonical codes the release stamp cites, in order, and the marks at
  // redaction sites counted per canonical code.
  std::vector<std::string> stamp_codes;
  std::map<std::string, int> marks_by_code;
  // Who submitted it (the authenticated principal): the reviewer recorded
  // in the history entries this audit writes (fixed, reopened). Empty:
  // "redaction-auditd".
  std::string submitter;
};

// A document's latest version and its exemption use (for reports).
struct DocumentExemptions {
  std::string doc_number;
  std::string release;     // empty: none
  std::string file_name;   // of the latest version, as submitted
  std::string sha256;      // of the latest version
  Disposition disposition = Disposition::kNone;
  // False when the version was stored by a build before schema version 4
  // and not submitted since: the lists below are then empty, not known.
  bool known = false;
  std::vector<std::string> stamp_codes;  // distinct, in stamp order
  std::vector<std::pair<std::string, int64_t>> marks_by_code;  // by code
};

// The stored passage text of a document's latest version.
struct StoredPassage {
  std::string case_number;
  std::string doc_number;
  int64_t version_id = 0;
  std::string passage_text;
};

// A finding for a document's latest version, added from outside an audit
// of that document (cross-document findings).
struct DocumentFinding {
  std::string case_number;
  std::string doc_number;
  Finding finding;  // fingerprint set
  // The other document of the compared pair that produced it; empty when
  // the finding has no partner. Kept with the finding so a later check of
  // the partner can close it.
  std::string partner_case_number;
  std::string partner_doc_number;
};

// A document named by case and doc number; an empty doc_number stands for
// every document of the case.
struct DocumentRef {
  std::string case_number;
  std::string doc_number;
};

// What ApplyCrossCheck changed.
struct CrossCheckStored {
  int64_t added = 0;   // findings new to the store
  int64_t closed = 0;  // findings set to fixed
};

// A finding as stored, with its identity and review state.
struct StoredFinding {
  int64_t id = 0;
  std::string case_number;
  std::string doc_number;
  std::string release;
  std::string version_sha256;  // version it was last produced by
  FindingStatus status = FindingStatus::kOpen;
  int64_t etag = 1;            // increments at every status change
  Finding finding;
  std::string file_name;       // file name of that version, as submitted
};

struct AuditOutcome {
  bool already_stored = false;  // identical content was stored before
  int64_t version_id = 0;
  // Findings of this version (the document's findings not fixed).
  std::vector<StoredFinding> findings;
};

struct FindingFilter {
  std::string case_number;  // empty: any
  std::string release;
  std::string doc_number;
  std::string rule_id;
  Severity min_severity = Severity::kUnspecified;       // kUnspecified: any
  FindingStatus status = FindingStatus::kUnspecified;   // kUnspecified: any
  int64_t after_id = 0;  // keyset paging: only ids greater than this
  int limit = 100;       // at most this many, ordered by id
};

struct ReviewChange {
  int64_t finding_id = 0;
  FindingStatus status = FindingStatus::kUnspecified;
  std::string reviewer;
  std::string note;
  int64_t expected_etag = 0;  // 0: no check; else ABORTED when stale
};

struct ReviewEntry {
  FindingStatus from = FindingStatus::kUnspecified;
  FindingStatus to = FindingStatus::kUnspecified;
  std::string reviewer;
  std::string note;
  absl::Time at;
};

struct CaseSummary {
  std::string case_number;
  int64_t documents = 0;
  int64_t versions = 0;
  int64_t findings = 0;  // findings of each document's latest version
  // (key, count), sorted by count descending then key.
  std::vector<std::pair<std::string, int64_t>> by_rule;
  std::vector<std::pair<std::string, int64_t>> by_severity;
  std::vector<std::pair<std::string, int64_t>> by_status;
  std::vector<std::pair<std::string, int64_t>> by_disposition;
};

// A document of a case as the release check sees it.
struct CaseDocument {
  std::string doc_number;
  std::string release;     // empty when it has none
  bool submitted = false;  // has a stored version
};

// A release-level finding about one document of the case: one the
// manifest lists (stored even when never submitted) or one it omits.
struct ReleaseLevelFinding {
  std::string doc_number;
  std::string release;  // of the manifest row, or the stored document's
  Finding finding;      // fingerprint set; no line
};

// Everything one release check of a case produces.
struct ReleaseCheckRecord {
  std::string case_number;  // required
  // Doc numbers the check decides: their release-level findings that
  // `findings` does not contain again become `fixed`.
  std::vector<std::string> checked;
  std::vector<ReleaseLevelFinding> findings;
};

struct ReleaseCheckOutcome {
  // The release-level findings of the checked documents that are not
  // fixed, by id.
  std::vector<StoredFinding> findings;
  int64_t new_findings = 0;  // stored for the first time
  int64_t fixed = 0;         // marked fixed by this check
};

// A suppression added through the admin rpcs (not from a rule pack).
struct SuppressionRecord {
  std::string fingerprint;  // lower-case hex
  std::string reason;
  std::string added_by;     // the authenticated principal
  absl::Time added_at;
};

class Store {
 public:
  // Opens (creating if needed) the database at `path`, sets WAL mode and
  // migrates the schema to the current version.
  static absl::StatusOr<std::unique_ptr<Store>> Open(const std::string& path,
                                                     StoreOptions options = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Stores one audit in one transaction. When this sha256 is already the
  // document's latest version, nothing is written (but the exemption use
  // of a version stored before schema 3) and the stored findings are
  // returned with already_stored = true. Otherwise the version (a new one,
  // or an older one whose exact content comes back, already_stored = true)
  // becomes the latest and findings are matched by fingerprint to the
  // document's existing findings: matches keep their id and review status
  // (a `fixed` one is reopened), new ones are `open`, and existing ones not
  // produced again become `fixed`.
  absl::StatusOr<AuditOutcome> RecordAudit(const AuditRecord& record);
  // Group commit: each record as RecordAudit would store it, all in one
  // transaction (a failing record is left out and the others are stored).
  // Results in the order of `records`; when the final commit fails, every
  // result carries that error. The findings of a record whose document is
  // new to the store are moved into its outcome, not copied (the rest of
  // each record is left as it was).
  std::vector<absl::StatusOr<AuditOutcome>> RecordAudits(
      const std::vector<AuditRecord*>& records);
  // RecordAudits, then ApplyCrossCheck(findings, checked) in the same
  // transaction (one commit for a batch and its cross-document findings).
  // The cross-document part failing leaves the audits stored; its outcome
  // (or error) goes to `*cross_check`.
  std::vector<absl::StatusOr<AuditOutcome>> RecordAudits(
      const std::vector<AuditRecord*>& records,
      const std::vector<DocumentFinding>& findings,
      const std::vector<DocumentRef>& checked,
      absl::StatusOr<CrossCheckStored>* cross_check);

  absl::StatusOr<std::vector<StoredFinding>> ListFindings(
      const FindingFilter& filter);
  // NOT_FOUND when there is no finding `id` in that case and document.
  absl::StatusOr<StoredFinding> GetFinding(const std::string& case_number,
                                           const std::string& doc_number,
                                           int64_t id);
  // Changes a finding's status and appends to its history. ABORTED when
  // expected_etag is stale; NOT_FOUND for an unknown id.
  absl::StatusOr<StoredFinding> Review(const ReviewChange& change);
  absl::StatusOr<std::vector<ReviewEntry>> History(int64_t finding_id);
  absl::StatusOr<CaseSummary> Summarize(const std::string& case_number);

  // Document versions stored for a case: (doc_number, sha256) pairs, every
  // version of every document. An unknown case gives an empty list.
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
  StoredVersions(const std::string& case_number);
  // Online backup into a new file (SQLite backup API); ALREADY_EXISTS when
  // `path` exists. The copy is a complete database that Open() accepts.
  absl::Status Backup(const std::string& path);
  // Calls `fn` with the passage text of every document's latest version
  // that has one, of `case_number` (every case when empty), in document
  // order. Used to rebuild the cross-document index at start.
  absl::Status ForEachPassage(
      const std::string& case_number,
      const std::function<void(StoredPassage)>& fn);
  // Adds findings to documents' latest versions in one transaction,
  // leaving their other findings alone. A fingerprint the document already
  // has keeps its id and review status (a `fixed` one is reopened). Returns
  // how many were new. Findings for documents not stored are skipped.
  absl::StatusOr<int64_t> AddFindings(
      const std::vector<DocumentFinding>& findings);
  // The outcome of a cross-document check, in one transaction: adds
  // `findings` as AddFindings does and records each one's partner; then
  // every stored finding whose partner is one of the `checked` documents
  // (those whose pairs were all just compared) and that `findings` does not
  // hold again is closed (status fixed, with a history entry), so a
  // mirrored finding ends when the other side is fixed and a finding whose
  // place moved is not kept twice.
  absl::StatusOr<CrossCheckStored> ApplyCrossCheck(
      const std::vector<DocumentFinding>& findings,
      const std::vector<DocumentRef>& checked);

  // Every document of a case (an unknown case gives an empty list), in
  // doc-number order, with its release and whether a version is stored.
  absl::StatusOr<std::vector<CaseDocument>> ListCaseDocuments(
      const std::string& case_number);
  // Stores a release check in one transaction. Release-level findings live
  // beside the document audits' findings (scope "release") and follow the
  // same lifecycle by fingerprint: a match keeps its id and review status
  // (a `fixed` one reopens), a new one is `open`, and a checked document's
  // release-level finding not produced again becomes `fixed`. A listed
  // document never submitted gets a documents row without a version; its
  // audit later adds the version. Document audits never touch
  // release-level findings, and the other way round.
  absl::StatusOr<ReleaseCheckOutcome> RecordReleaseCheck(
      const ReleaseCheckRecord& record);
  // Every document of a case with its latest version's exemption use, by
  // document number. NOT_FOUND for an unknown case.
  absl::StatusOr<std::vector<DocumentExemptions>> ListDocumentExemptions(
      const std::string& case_number);
  // Admin suppressions. Add: ALREADY_EXISTS when the fingerprint is
  // suppressed already (added_at is set from the store's clock). Remove:
  // returns what was removed; NOT_FOUND when it was not suppressed. List:
  // by fingerprint.
  absl::StatusOr<SuppressionRecord> AddSuppression(SuppressionRecord record);
  absl::StatusOr<SuppressionRecord> RemoveSuppression(
      const std::string& fingerprint);
  absl::StatusOr<std::vector<SuppressionRecord>> ListSuppressions();

  // Schema version this build writes.
  static int SchemaVersion();

 private:
  class Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ra

#endif  // RA_STORE_STORE_H_
