#include "ingest/manifest.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace ra {
namespace {

// Splits CSV text into records of fields. `lines` gets the 1-based line on
// which each record starts.
std::vector<std::vector<std::string>> SplitCsv(std::string_view csv,
                                               std::vector<int>* lines) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool in_quotes = false;
  bool record_has_content = false;
  int line = 1;
  int record_line = 1;
  auto end_record = [&] {
    record.push_back(std::move(field));
    field.clear();
    if (record_has_content || record.size() > 1 || !record[0].empty()) {
      records.push_back(std::move(record));
      lines->push_back(record_line);
    }
    record.clear();
    record_has_content = false;
  };
  for (size_t i = 0; i < csv.size(); ++i) {
    const char c = csv[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < csv.size() && csv[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    switch (c) {
      case '"':
        in_quotes = true;
        record_has_content = true;
        break;
      case ',':
        record.push_back(std::move(field));
        field.clear();
        record_has_content = true;
        break;
      case '\r':
        break;
      case '\n':
        end_record();
        ++line;
        record_line = line;
        break;
      default:
        field.push_back(c);
    }
  }
  if (!field.empty() || !record.empty()) end_record();
  return records;
}

std::string Trimmed(const std::string& s) {
  return std::string(absl::StripAsciiWhitespace(s));
}

}  // namespace

absl::StatusOr<Manifest> Manifest::Parse(std::string_view csv,
                                         const std::string& path) {
  std::vector<int> lines;
  std::vector<std::vector<std::string>> records = SplitCsv(csv, &lines);
  if (records.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": empty manifest"));
  }
  const std::vector<std::string>& header = records[0];
  absl::flat_hash_map<std::string, int> col;
  for (size_t i = 0; i < header.size(); ++i) {
    std::string name = Trimmed(header[i]);
    if (i == 0 && name.rfind("\xEF\xBB\xBF", 0) == 0) name.erase(0, 3);
    col[name] = static_cast<int>(i);
  }
  if (!col.contains("doc_number") && !col.contains("file")) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ":1: header names neither a doc_number nor a file column (it has: ",
        absl::StrJoin(header, ","), ")"));
  }

  Manifest m;
  for (size_t r = 1; r < records.size(); ++r) {
    const std::vector<std::string>& rec = records[r];
    const int line = lines[r];
    if (rec.size() != header.size()) {
      m.row_errors_.push_back(absl::StrCat(
          path, ":", line, ": row has ", rec.size(), " fields, header has ",
          header.size(), "; row skipped"));
      continue;
    }
    auto get = [&](const char* name) -> std::string {
      auto it = col.find(name);
      return it == col.end() ? std::string() : Trimmed(rec[it->second]);
    };
    ManifestRow row;
    row.line = line;
    row.file = get("file");
    ReleaseMetadata& md = row.metadata;
    md.release = get("release");
    md.doc_number = get("doc_number");
    md.case_number = get("case_number");
    md.release_date = get("release_date");
    md.document_date = get("document_date");
    md.request_date = get("request_date");
    const std::string disposition = get("disposition");
    if (!disposition.empty()) {
      md.disposition = ParseDisposition(disposition);
      if (!md.disposition) {
        m.row_errors_.push_back(absl::StrCat(path, ":", line,
                                             ": unknown disposition \"",
                                             disposition, "\"; row skipped"));
        continue;
      }
    }
    for (absl::string_view code :
         absl::StrSplit(get("claimed_exemptions"), ';', absl::SkipWhitespace())) {
      md.claimed_exemptions.emplace_back(absl::StripAsciiWhitespace(code));
    }
    const std::string pages = get("page_count");
    if (!pages.empty() && !absl::SimpleAtoi(pages, &md.page_count)) {
      m.row_errors_.push_back(absl::StrCat(path, ":", line,
                                           ": page_count \"", pages,
                                           "\" is not a number; row skipped"));
      continue;
    }
    if (row.file.empty() && md.doc_number.empty()) {
      m.row_errors_.push_back(absl::StrCat(
          path, ":", line, ": row has neither file nor doc_number; row skipped"));
      continue;
    }
    const size_t index = m.rows_.size();
    if (!row.file.empty()) m.by_file_.try_emplace(row.file, index);
    if (!md.doc_number.empty()) m.by_doc_.try_emplace(md.doc_number, index);
    m.rows_.push_back(std::move(row));
  }
  return m;
}

const ManifestRow* Manifest::Find(std::string_view relative_path,
                                  std::string_view stem) const {
  auto it = by_file_.find(std::string(relative_path));
  if (it != by_file_.end()) return &rows_[it->second];
  it = by_doc_.find(std::string(stem));
  if (it != by_doc_.end()) return &rows_[it->second];
  return nullptr;
}

}  // namespace ra
