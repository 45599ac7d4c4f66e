// Plain-text tables and CSV for the CLI's human-readable output.
#ifndef RA_CLIENT_FORMAT_TABLE_H_
#define RA_CLIENT_FORMAT_TABLE_H_

#include <ostream>
#include <string>
#include <vector>

namespace ra::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void AddRow(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  bool empty() const { return rows_.empty(); }
  // Columns padded to their widest cell; the last column is not padded.
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// One RFC 4180 CSV record (fields quoted when needed), with a newline.
std::string CsvRecord(const std::vector<std::string>& fields);

}  // namespace ra::cli

#endif  // RA_CLIENT_FORMAT_TABLE_H_
