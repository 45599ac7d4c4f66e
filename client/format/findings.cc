#include "format/findings.h"

#include "format/json.h"
#include "format/report.h"
#include "format/table.h"

namespace ra::cli {
namespace v1 = ::redaction_audit::v1;

namespace {




// Splits "cases/C/documents/D/findings/N" into C, D, N (empty if absent).
struct NameParts {
  std::string case_number, document, id;
};
NameParts Split(const std::string& name) {
  NameParts p;
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t slash = name.find('/', start);
    parts.push_back(name.substr(start, slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (parts.size() == 6) {
    p.case_number = parts[1];
    p.document = parts[3];
    p.id = parts[5];
  }
  return p;
}

}  // namespace

void WriteFindings(const std::vector<v1::Finding>& findings,
                   const std::string& format, std::ostream& out,
                   bool csv_header) {
  const std::vector<std::string> columns = {
      "id",   "rule",    "severity", "status",   "case",        "document",
      "page", "line",    "message",  "evidence", "fingerprint", "release"};
  if (format == "json") {
    for (const v1::Finding& f : findings) {
      const NameParts p = Split(f.name());
      out << JsonObject()
                 .Field("id", p.id)
                 .Field("name", f.name())
                 .Field("rule", f.rule())
                 .Field("severity", SeverityName(f.severity()))
                 .Field("status", StatusName(f.status()))
                 .Field("case", p.case_number)
                 .Field("document", p.document)
                 .Field("release", f.release())
                 .Field("page", f.location().page())
                 .Field("line", f.location().line())
                 .Field("message", f.message())
                 .Field("evidence", f.evidence())
                 .Field("fingerprint", f.fingerprint())
                 .Field("etag", static_cast<int64_t>(f.etag()))
                 .str()
          << "\n";
    }
    return;
  }
  if (format == "csv") {
    if (csv_header) out << CsvRecord(columns);
    for (const v1::Finding& f : findings) {
      const NameParts p = Split(f.name());
      out << CsvRecord({p.id, f.rule(), SeverityName(f.severity()), StatusName(f.status()),
                        p.case_number, p.document,
                        std::to_string(f.location().page()),
                        std::to_string(f.location().line()), f.message(),
                        f.evidence(), f.fingerprint(), f.release()});
    }
    return;
  }
  Table table({"ID", "SEVERITY", "STATUS", "DOCUMENT", "PAGE:LINE", "RULE", "MESSAGE"});
  for (const v1::Finding& f : findings) {
    const NameParts p = Split(f.name());
    table.AddRow({p.id, SeverityName(f.severity()), StatusName(f.status()), p.document,
                  std::to_string(f.location().page()) + ":" +
                      std::to_string(f.location().line()),
                  f.rule(), f.message()});
  }
  table.Print(out);
}

std::string InspectJson(const std::string& file,
                        const v1::InspectDocumentResponse& r) {
  const v1::ParsedDocument& p = r.parsed();
  std::vector<std::string> stamp(p.stamp_codes().begin(), p.stamp_codes().end());
  std::string marks = "[";
  for (int i = 0; i < p.marks_size(); ++i) {
    if (i > 0) marks.push_back(',');
    marks += JsonObject()
                 .Field("page", p.marks(i).page())
                 .Field("line", p.marks(i).line())
                 .Field("code", p.marks(i).code())
                 .Field("printed", p.marks(i).printed())
                 .str();
  }
  marks.push_back(']');
  std::string classification = "null";
  if (p.has_classification()) {
    const v1::Classification& c = p.classification();
    classification =
        JsonObject()
            .Field("level", c.level())
            .Field("reasons", std::vector<std::string>(c.reasons().begin(),
                                                       c.reasons().end()))
            .Field("declassify_on", c.declassify_on())
            .Field("classified_by", c.classified_by())
            .str();
  }
  std::string findings = "[";
  for (int i = 0; i < r.findings_size(); ++i) {
    const v1::Finding& f = r.findings(i);
    if (i > 0) findings.push_back(',');
    findings += JsonObject()
                    .Field("rule", f.rule())
                    .Field("severity", SeverityName(f.severity()))
                    .Field("page", f.location().page())
                    .Field("line", f.location().line())
                    .Field("message", f.message())
                    .str();
  }
  findings.push_back(']');
  return JsonObject()
      .Field("file", file)
      .Field("disposition", DispositionName(p.disposition()))
      .Field("stamp_codes", stamp)
      .Raw("marks", marks)
      .Field("case_numbers", std::vector<std::string>(p.case_numbers().begin(),
                                                      p.case_numbers().end()))
      .Field("doc_numbers", std::vector<std::string>(p.doc_numbers().begin(),
                                                     p.doc_numbers().end()))
      .Field("release_dates", std::vector<std::string>(p.release_dates().begin(),
                                                       p.release_dates().end()))
      .Raw("classification", classification)
      .Field("page_count", p.page_count())
      .Raw("findings", findings)
      .str();
}

}  // namespace ra::cli
