#include "ingest/manifest.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/types/span.h"

namespace ra {
namespace {

// Splits CSV text into records of fields and calls `on_record(fields,
// line)` for each, `line` being the 1-based line on which the record
// starts. The fields' storage is reused from record to record (a release
// manifest has a row per document: tens of thousands).
template <typename OnRecord>
void SplitCsv(std::string_view csv, OnRecord on_record) {
  std::vector<std::string> record;
  size_t fields = 0;  // record[0, fields) hold the current record
  bool in_quotes = false;
  bool record_has_content = false;
  int line = 1;
  int record_line = 1;
  auto field = [&]() -> std::string& {
    if (fields == record.size()) record.emplace_back();
    return record[fields];
  };
  auto end_field = [&] {
    field();  // an empty last field still counts
    ++fields;
    if (fields < record.size()) record[fields].clear();
  };
  auto end_record = [&] {
    end_field();
    if (record_has_content || fields > 1 || !record[0].empty()) {
      on_record(absl::MakeConstSpan(record.data(), fields), record_line);
    }
    fields = 0;
    record[0].clear();
    record_has_content = false;
  };
  if (!csv.empty()) field().clear();
  for (size_t i = 0; i < csv.size(); ++i) {
    const char c = csv[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < csv.size() && csv[i + 1] == '"') {
          field().push_back('"');
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field().push_back(c);
      }
      continue;
    }
    switch (c) {
      case '"':
        in_quotes = true;
        record_has_content = true;
        break;
      case ',':
        end_field();
        record_has_content = true;
        break;
      case '\r':
        break;
      case '\n':
        end_record();
        ++line;
        record_line = line;
        break;
      default: {
        // Plain bytes up to the next special one are appended at once.
        size_t j = i + 1;
        while (j < csv.size() && csv[j] != ',' && csv[j] != '"' &&
               csv[j] != '\n' && csv[j] != '\r') {
          ++j;
        }
        field().append(csv.data() + i, j - i);
        i = j - 1;
      }
    }
  }
  if (!csv.empty() && (!record[0].empty() || fields > 0)) end_record();
}

// absl::string_view is not std::string_view in this abseil.
absl::string_view AbslView(std::string_view s) { return {s.data(), s.size()}; }

std::string Trimmed(std::string_view s) {
  return std::string(absl::StripAsciiWhitespace(AbslView(s)));
}

}  // namespace

absl::StatusOr<Manifest> Manifest::Parse(std::string_view csv,
                                         const std::string& path) {
  // The columns that are read, by their index in the header (-1: absent).
  enum Column {
    kRelease,
    kFile,
    kDocNumber,
    kCaseNumber,
    kReleaseDate,
    kDocumentDate,
    kRequestDate,
    kDisposition,
    kClaimedExemptions,
    kPageCount,
    kColumns
  };
  static constexpr std::string_view kNames[kColumns] = {
      "release",      "file",          "doc_number",   "case_number",
      "release_date", "document_date", "request_date", "disposition",
      "claimed_exemptions", "page_count"};
  int col[kColumns];
  std::fill(col, col + kColumns, -1);

  Manifest m;
  std::vector<std::string> header;
  bool have_header = false;
  // A manifest has about a row a line (a quoted field may hold newlines).
  const size_t lines =
      static_cast<size_t>(std::count(csv.begin(), csv.end(), '\n'));
  m.rows_.reserve(lines);
  m.by_file_.reserve(lines);
  m.by_doc_.reserve(lines);
  SplitCsv(csv, [&](absl::Span<const std::string> rec, int line) {
    if (!have_header) {
      have_header = true;
      header.assign(rec.begin(), rec.end());
      for (size_t i = 0; i < header.size(); ++i) {
        std::string name = Trimmed(header[i]);
        if (i == 0 && name.rfind("\xEF\xBB\xBF", 0) == 0) name.erase(0, 3);
        for (int c = 0; c < kColumns; ++c) {
          // A name given twice: its last column counts.
          if (name == kNames[c]) col[c] = static_cast<int>(i);
        }
      }
      return;
    }
    if (col[kDocNumber] < 0 && col[kFile] < 0) return;  // failed below
    if (rec.size() != header.size()) {
      m.row_errors_.push_back(absl::StrCat(
          path, ":", line, ": row has ", rec.size(), " fields, header has ",
          header.size(), "; row skipped"));
      return;
    }
    auto get = [&](Column c) -> std::string {
      return col[c] < 0 ? std::string() : Trimmed(rec[col[c]]);
    };
    ManifestRow row;
    row.line = line;
    row.file = get(kFile);
    ReleaseMetadata& md = row.metadata;
    md.release = get(kRelease);
    md.doc_number = get(kDocNumber);
    md.case_number = get(kCaseNumber);
    md.release_date = get(kReleaseDate);
    md.document_date = get(kDocumentDate);
    md.request_date = get(kRequestDate);
    const std::string disposition = get(kDisposition);
    if (!disposition.empty()) {
      md.disposition = ParseDisposition(disposition);
      if (!md.disposition) {
        m.row_errors_.push_back(absl::StrCat(path, ":", line,
                                             ": unknown disposition \"",
                                             disposition, "\"; row skipped"));
        return;
      }
    }
    if (col[kClaimedExemptions] >= 0) {
      for (absl::string_view code :
           absl::StrSplit(AbslView(rec[col[kClaimedExemptions]]), ';', absl::SkipWhitespace())) {
        md.claimed_exemptions.emplace_back(absl::StripAsciiWhitespace(code));
      }
    }
    const std::string pages = get(kPageCount);
    if (!pages.empty() && !absl::SimpleAtoi(pages, &md.page_count)) {
      m.row_errors_.push_back(absl::StrCat(path, ":", line,
                                           ": page_count \"", pages,
                                           "\" is not a number; row skipped"));
      return;
    }
    if (row.file.empty() && md.doc_number.empty()) {
      m.row_errors_.push_back(absl::StrCat(
          path, ":", line, ": row has neither file nor doc_number; row skipped"));
      return;
    }
    const size_t index = m.rows_.size();
    if (!row.file.empty()) m.by_file_.try_emplace(row.file, index);
    if (!md.doc_number.empty()) m.by_doc_.try_emplace(md.doc_number, index);
    m.rows_.push_back(std::move(row));
  });
  if (!have_header) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": empty manifest"));
  }
  if (col[kDocNumber] < 0 && col[kFile] < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ":1: header names neither a doc_number nor a file column (it has: ",
        absl::StrJoin(header, ","), ")"));
  }
  return m;
}

const ManifestRow* Manifest::Find(std::string_view relative_path,
                                  std::string_view stem) const {
  auto it = by_file_.find(AbslView(relative_path));
  if (it != by_file_.end()) return &rows_[it->second];
  it = by_doc_.find(AbslView(stem));
  if (it != by_doc_.end()) return &rows_[it->second];
  return nullptr;
}

}  // namespace ra
