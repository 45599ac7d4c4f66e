// Exemption use by release and document: one summary that the HTML chart,
// the Markdown tables and the JSON are all drawn from.
#include <set>

#include "absl/strings/str_cat.h"
#include "format/json.h"
#include "format/report.h"

namespace ra::cli {
namespace v1 = ::redaction_audit::v1;

namespace {

std::string CountsJson(const std::map<std::string, int>& counts) {
  JsonObject o;
  for (const auto& [key, n] : counts) o.Field(key, n);
  return o.str();
}

}  // namespace

ExemptionUse SummarizeExemptions(const ReportData& data) {
  ExemptionUse out;
  std::set<std::string> codes;
  std::map<std::string, ExemptionUse::Release> releases;
  for (const ReportDocument& d : data.documents) {
    if (!d.parsed) continue;
    out.documents.push_back(&d);
    const std::string name = d.release.empty() ? "(no release)" : d.release;
    ExemptionUse::Release& r = releases[name];
    r.name = name;
    ++r.documents;
    for (const std::string& c : std::set<std::string>(d.stamp_codes.begin(),
                                                     d.stamp_codes.end())) {
      ++r.citing[c];
      codes.insert(c);
    }
    for (const auto& [c, n] : d.marks_by_code) {
      r.marks[c] += n;
      codes.insert(c);
    }
  }
  out.codes.assign(codes.begin(), codes.end());
  for (auto& [name, r] : releases) out.releases.push_back(std::move(r));
  return out;
}

std::string ExemptionUseJson(const ExemptionUse& use) {
  std::string releases = "[", documents = "[";
  for (const ExemptionUse::Release& r : use.releases) {
    if (releases.size() > 1) releases += ",";
    releases += JsonObject()
                    .Field("release", r.name)
                    .Field("documents", r.documents)
                    .Raw("citing", CountsJson(r.citing))
                    .Raw("marks", CountsJson(r.marks))
                    .str();
  }
  for (const ReportDocument* d : use.documents) {
    if (documents.size() > 1) documents += ",";
    documents += JsonObject()
                     .Field("document", d->doc_number)
                     .Field("case", d->case_number)
                     .Field("release", d->release)
                     .Field("disposition", d->disposition)
                     .Field("stamp_codes", d->stamp_codes)
                     .Raw("marks", CountsJson(d->marks_by_code))
                     .str();
  }
  return JsonObject()
      .Field("codes", use.codes)
      .Raw("by_release", releases + "]")
      .Raw("by_document", documents + "]")
      .str();
}

ReportDocument FromDocumentExemptions(const v1::DocumentExemptions& d) {
  ReportDocument out;
  out.doc_number = DocNumberOf(d.document(), &out.case_number);
  out.file = d.file_name();
  out.release = d.release();
  out.disposition = DispositionName(d.disposition());
  out.parsed = d.known();
  out.stamp_codes.assign(d.stamp_codes().begin(), d.stamp_codes().end());
  for (const v1::CountByKey& m : d.marks_by_code()) {
    out.marks_by_code[m.key()] = static_cast<int>(m.count());
  }
  return out;
}

}  // namespace ra::cli
