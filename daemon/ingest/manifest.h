// Release manifests: CSV files of release metadata, one row per document,
// e.g. the dev corpus's "release,file,doc_number,case_number,release_date".
// A row belongs to the file named in its `file` column (relative to the
// manifest's folder), or else to the file whose name without extension is
// its `doc_number`.
#ifndef RA_INGEST_MANIFEST_H_
#define RA_INGEST_MANIFEST_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "model/finding.h"

namespace ra {

struct ManifestRow {
  int line = 0;          // 1-based line of the row in the manifest
  std::string file;      // `file` column, relative to the manifest; may be empty
  ReleaseMetadata metadata;
};

class Manifest {
 public:
  // Parses CSV text (RFC 4180 quoting). The header must name `doc_number`
  // or `file`. Known columns: release, file, doc_number, case_number,
  // release_date, disposition, claimed_exemptions (';'-separated),
  // document_date, request_date, page_count; others are ignored. A bad row (wrong field
  // count, bad number) is kept out and reported in row_errors(); a bad
  // header fails the whole manifest. Errors name `path`:line.
  static absl::StatusOr<Manifest> Parse(std::string_view csv,
                                        const std::string& path);

  // The row for a file: by `file` column (path relative to the manifest's
  // folder, '/'-separated), else by doc_number == `stem`. nullptr if none.
  const ManifestRow* Find(std::string_view relative_path,
                          std::string_view stem) const;

  const std::vector<ManifestRow>& rows() const { return rows_; }
  const std::vector<std::string>& row_errors() const { return row_errors_; }

 private:
  std::vector<ManifestRow> rows_;
  std::vector<std::string> row_errors_;
  absl::flat_hash_map<std::string, size_t> by_file_;
  absl::flat_hash_map<std::string, size_t> by_doc_;
};

}  // namespace ra

#endif  // RA_INGEST_MANIFEST_H_
