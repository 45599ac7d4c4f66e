#include "store/schema.h"

#include "absl/strings/str_cat.h"
#include "model/status_macros.h"

namespace ra::store_internal {

// Timestamps are unix microseconds (INTEGER). Enums are stored as their
// numeric values (Severity, FindingStatus, Disposition).
//
// findings carries case_id and release_id copied from its document so that
// every ListFindings filter is one index range scanned in id order (keyset
// paging without a sort). RecordAudit keeps release_id in step when a
// document moves to another release.
const std::vector<Migration>& Migrations() {
  static const auto* const kMigrations = new std::vector<Migration>{
      // 1: initial schema.
      {{
          R"sql(CREATE TABLE cases (
            id INTEGER PRIMARY KEY,
            case_number TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL))sql",
          R"sql(CREATE TABLE releases (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            release_date TEXT NOT NULL DEFAULT '',
            created_at INTEGER NOT NULL))sql",
          R"sql(CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id),
            doc_number TEXT NOT NULL,
            release_id INTEGER REFERENCES releases(id),
            latest_version_id INTEGER REFERENCES document_versions(id),
            created_at INTEGER NOT NULL,
            UNIQUE (case_id, doc_number)))sql",
          "CREATE INDEX documents_by_doc_number ON documents(doc_number)",
          "CREATE INDEX documents_by_release ON documents(release_id)",
          R"sql(CREATE TABLE document_versions (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id),
            sha256 TEXT NOT NULL,
            file_name TEXT NOT NULL,
            bytes INTEGER NOT NULL,
            disposition INTEGER NOT NULL,
            page_count INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            UNIQUE (document_id, sha256)))sql",
          R"sql(CREATE TABLE audit_runs (
            id INTEGER PRIMARY KEY,
            version_id INTEGER NOT NULL REFERENCES document_versions(id),
            pack_version TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            finding_count INTEGER NOT NULL))sql",
          "CREATE INDEX audit_runs_by_version ON audit_runs(version_id)",
          R"sql(CREATE TABLE findings (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id),
            case_id INTEGER NOT NULL REFERENCES cases(id),
            release_id INTEGER REFERENCES releases(id),
            version_id INTEGER NOT NULL REFERENCES document_versions(id),
            rule_id TEXT NOT NULL,
            severity INTEGER NOT NULL,
            status INTEGER NOT NULL,
            message TEXT NOT NULL,
            page INTEGER NOT NULL,
            line INTEGER NOT NULL,
            col INTEGER NOT NULL,
            length INTEGER NOT NULL,
            evidence TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            etag INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            UNIQUE (document_id, fingerprint)))sql",
          // One index per ListFindings access path, each ending in id so a
          // page is a range scan in id order.
          "CREATE INDEX findings_by_document ON findings(document_id, id)",
          "CREATE INDEX findings_by_case ON findings(case_id, id)",
          "CREATE INDEX findings_by_case_status ON findings(case_id, status, "
          "id)",
          "CREATE INDEX findings_by_case_rule ON findings(case_id, rule_id, "
          "id)",
          "CREATE INDEX findings_by_release ON findings(release_id, id)",
          "CREATE INDEX findings_by_rule ON findings(rule_id, id)",
          "CREATE INDEX findings_by_status ON findings(status, id)",
          // Covering index for Summarize: one ordered pass, no table reads.
          "CREATE INDEX findings_summary_by_case "
          "ON findings(case_id, rule_id, severity, status)",
          R"sql(CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            finding_id INTEGER NOT NULL REFERENCES findings(id),
            from_status INTEGER NOT NULL,
            to_status INTEGER NOT NULL,
            reviewer TEXT NOT NULL,
            note TEXT NOT NULL,
            at INTEGER NOT NULL))sql",
          "CREATE INDEX reviews_by_finding ON reviews(finding_id, id)",
      }},
      // 2: the cross-document passage index's input: the normalized text
      // (xdoc PassageText) of each version, read back at daemon start.
      {{
          R"sql(CREATE TABLE passage_texts (
            version_id INTEGER PRIMARY KEY REFERENCES document_versions(id),
            body TEXT NOT NULL))sql",
      }},
      // 3: release-level findings (release check, issue 4). A finding may
      // have no version (a document the manifest lists but nobody
      // submitted: its documents row has no latest version), and `scope`
      // tells a document audit's findings (0) from a release check's (1),
      // so neither replaces the other's. SQLite cannot drop NOT NULL in
      // place: the table is rebuilt (Migrate runs with foreign keys off).
      {{
          R"sql(CREATE TABLE findings_v3 (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id),
            case_id INTEGER NOT NULL REFERENCES cases(id),
            release_id INTEGER REFERENCES releases(id),
            version_id INTEGER REFERENCES document_versions(id),
            rule_id TEXT NOT NULL,
            severity INTEGER NOT NULL,
            status INTEGER NOT NULL,
            message TEXT NOT NULL,
            page INTEGER NOT NULL,
            line INTEGER NOT NULL,
            col INTEGER NOT NULL,
            length INTEGER NOT NULL,
            evidence TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            etag INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            scope INTEGER NOT NULL DEFAULT 0,
            UNIQUE (document_id, fingerprint)))sql",
          "INSERT INTO findings_v3 (id, document_id, case_id, release_id, "
          "version_id, rule_id, severity, status, message, page, line, col, "
          "length, evidence, fingerprint, etag, created_at, updated_at) "
          "SELECT id, document_id, case_id, release_id, version_id, rule_id, "
          "severity, status, message, page, line, col, length, evidence, "
          "fingerprint, etag, created_at, updated_at FROM findings",
          "DROP TABLE findings",
          "ALTER TABLE findings_v3 RENAME TO findings",
          "CREATE INDEX findings_by_document ON findings(document_id, id)",
          "CREATE INDEX findings_by_case ON findings(case_id, id)",
          "CREATE INDEX findings_by_case_status ON findings(case_id, status, "
          "id)",
          "CREATE INDEX findings_by_case_rule ON findings(case_id, rule_id, "
          "id)",
          "CREATE INDEX findings_by_release ON findings(release_id, id)",
          "CREATE INDEX findings_by_rule ON findings(rule_id, id)",
          "CREATE INDEX findings_by_status ON findings(status, id)",
          "CREATE INDEX findings_summary_by_case "
          "ON findings(case_id, rule_id, severity, status)",
          "CREATE INDEX findings_release_level ON findings(case_id, "
          "document_id) WHERE scope = 1",
      }},
      // 4: exemption use of each version for reports: every canonical code
      // the release stamp cites (stamp_position, 0-based; NULL when only
      // marked) or the text marks (marks, a count). exemptions_recorded
      // tells "no codes" from "stored before this version".
      {{
          "ALTER TABLE document_versions ADD COLUMN exemptions_recorded "
          "INTEGER NOT NULL DEFAULT 0",
          R"sql(CREATE TABLE version_exemptions (
            version_id INTEGER NOT NULL REFERENCES document_versions(id),
            code TEXT NOT NULL,
            stamp_position INTEGER,
            marks INTEGER NOT NULL,
            PRIMARY KEY (version_id, code)) WITHOUT ROWID)sql",
      }},
      // 5: suppressions managed through the admin rpcs (rule packs keep
      // theirs in their files): who added each one and when.
      {{
          R"sql(CREATE TABLE admin_suppressions (
            fingerprint TEXT PRIMARY KEY,
            reason TEXT NOT NULL,
            added_by TEXT NOT NULL,
            added_at INTEGER NOT NULL))sql",
      }},
      // 6: the other document of the pair behind each cross-document
      // finding, so a check of that document can close what it no longer
      // produces.
      {{
          R"sql(CREATE TABLE xdoc_partners (
            finding_id INTEGER PRIMARY KEY REFERENCES findings(id),
            partner_document_id INTEGER NOT NULL REFERENCES documents(id)))sql",
          "CREATE INDEX xdoc_partners_by_partner "
          "ON xdoc_partners(partner_document_id)",
      }},
      // 7: one index fewer to write for every finding stored: Summarize's
      // covering index is merged into findings_by_case_rule, which keeps
      // id order within a rule for ListFindings and now also carries
      // severity and status (Summarize counts them per rule in one pass).
      {{
          "DROP INDEX findings_summary_by_case",
          "DROP INDEX findings_by_case_rule",
          "CREATE INDEX findings_by_case_rule ON findings(case_id, rule_id, "
          "id, severity, status)",
      }},
      // 8: four indexes fewer to write for every document stored.
      // documents_by_release and audit_runs_by_version serve no query (and
      // no foreign key check: no release or version is ever deleted or
      // renumbered). A document's findings (one to a few hundred) are found
      // through findings' UNIQUE (document_id, fingerprint) index and
      // sorted by id, so findings_by_document (document_id, id) goes too.
      // A case's findings in id order are the ranges of
      // findings_by_case_status (case_id, status, id), one a status,
      // merged: findings_by_case (case_id, id) goes.
      {{
          "DROP INDEX documents_by_release",
          "DROP INDEX audit_runs_by_version",
          "DROP INDEX findings_by_document",
          "DROP INDEX findings_by_case",
      }},
  };
  return *kMigrations;
}

int CurrentSchemaVersion() { return static_cast<int>(Migrations().size()); }

namespace {

absl::Status CheckVersion(const Db& db, int64_t version) {
  if (version > CurrentSchemaVersion()) {
    return absl::FailedPreconditionError(
        absl::StrCat("database ", db.path(), " has schema version ", version,
                     ", newer than this build's ", CurrentSchemaVersion(),
                     "; use a newer redaction-auditd (refusing to open it)"));
  }
  if (version < 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "database ", db.path(), " has invalid schema version ", version));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckSchemaVersion(Db& db) {
  RA_ASSIGN_OR_RETURN(int64_t version, db.QueryInt("PRAGMA user_version"));
  return CheckVersion(db, version);
}

absl::Status Migrate(Db& db) {
  RA_ASSIGN_OR_RETURN(int64_t version, db.QueryInt("PRAGMA user_version"));
  RA_RETURN_IF_ERROR(CheckVersion(db, version));
  if (version == CurrentSchemaVersion()) return absl::OkStatus();

  const std::vector<Migration>& migrations = Migrations();
  while (true) {
    RA_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(db));
    // Re-read under the write lock: another process may have migrated.
    RA_ASSIGN_OR_RETURN(version, db.QueryInt("PRAGMA user_version"));
    RA_RETURN_IF_ERROR(CheckVersion(db, version));
    if (version == CurrentSchemaVersion()) return absl::OkStatus();
    const int next = static_cast<int>(version) + 1;
    for (const char* sql : migrations[version].statements) {
      absl::Status status = db.Exec(sql);
      if (!status.ok()) {
        return absl::Status(
            status.code(),
            absl::StrCat("migrating ", db.path(), " to schema version ", next,
                         ": ", status.message()));
      }
    }
    RA_RETURN_IF_ERROR(db.Exec(absl::StrCat("PRAGMA user_version = ", next)));
    RA_RETURN_IF_ERROR(txn.Commit());
  }
}

}  // namespace ra::store_internal
