// redaction-audit check PATH... : the CI gate. Submits the documents, waits
// for every result, prints a summary and writes the requested reports; fails
// (exit 1) on findings at or above --fail-on that no review decision or
// baseline entry accepts, or on rejected documents.
#include <unistd.h>

#include <iostream>
#include <map>

#include "absl/strings/str_cat.h"
#include "cli.h"
#include "format/report.h"
#include "commands/report_data.h"
#include "commands/submit.h"
#include "format/table.h"
#include "grpcpp/grpcpp.h"

namespace ra::cli {

namespace {

ReportDocument FromResponse(const SubmitJob& job, const v1::AuditDocumentsResponse& r) {
  ReportDocument d;
  d.case_number = job.metadata.case_number();
  d.doc_number = job.metadata.doc_number();
  d.file = job.path;
  d.release = job.metadata.release();
  if (r.has_error()) {
    d.error = r.error().message();
    if (d.doc_number.empty()) d.doc_number = job.path;
    return d;
  }
  const v1::AuditDocumentResponse& a = r.audited();
  // cases/{case}/documents/{doc}
  d.doc_number = a.document().substr(a.document().rfind('/') + 1);
  d.disposition = DispositionName(a.parsed().disposition());
  d.stamp_codes.assign(a.parsed().stamp_codes().begin(), a.parsed().stamp_codes().end());
  for (const v1::Mark& m : a.parsed().marks()) ++d.marks_by_code[m.code()];
  d.parsed = true;
  return d;
}

}  // namespace

OptionSpec CheckOptions() {
  return OptionSpec{{"case", "manifest", "release", "request-date", "fail-on", "baseline",
                     "write-baseline", "sarif", "junit", "markdown", "html"},
                    {"quiet"}};
}

int RunCheck(const Args& args) {
  if (args.positional.empty()) return Fail("check needs at least one file or folder");
  ReportData data;
  auto fail_on = ParseSeverityName(args.Get("fail-on", "error"));
  if (!fail_on.ok()) return Fail(std::string(fail_on.status().message()));
  data.fail_on = *fail_on;
  if (args.Has("baseline")) {
    absl::Status s = ReadBaseline(args.Get("baseline"), &data);
    if (!s.ok()) return Fail(std::string(s.message()));
  }
  std::vector<SubmitJob> jobs;
  size_t rejected = 0;
  ManifestListing listing;
  const std::string error = PrepareJobs(args, &jobs, &rejected, &listing);
  if (!error.empty()) return Fail(error);

  auto conn = Connection::Open(ServerAddress(args));
  if (!conn.ok()) return Fail(std::string(conn.status().message()));
  if (absl::Status s = FetchRules(*conn, &data); !s.ok()) return Fail(std::string(s.message()));

  Progress progress(jobs.size(), isatty(STDERR_FILENO) && !args.Flag("quiet"));
  std::vector<ReportDocument> docs(jobs.size());
  std::vector<std::vector<v1::Finding>> findings(jobs.size());
  size_t done = 0;
  auto on_response = [&](const v1::AuditDocumentsResponse& r) {
    ++done;
    const size_t i = static_cast<size_t>(r.index());
    if (i >= jobs.size()) return;
    docs[i] = FromResponse(jobs[i], r);
    if (r.has_error()) {
      std::cerr << "redaction-audit: " << r.error().message() << "\n";
      return;
    }
    findings[i].assign(r.audited().findings().begin(), r.audited().findings().end());
  };
  auto on_unreadable = [&](size_t i, const std::string& message) {
    std::cerr << "redaction-audit: " << message << "\n";
    docs[i].case_number = jobs[i].metadata.case_number();
    docs[i].doc_number = jobs[i].path;
    docs[i].file = jobs[i].path;
    docs[i].error = message;
  };
  grpc::Status status = SubmitBatch(*conn, jobs, progress, on_response, on_unreadable);
  if (!status.ok()) {
    return Fail(absl::StrCat("batch stopped after ", done, " of ", jobs.size(),
                             " documents: ", status.error_message()));
  }
  // Documents in submission order; findings in document order.
  for (size_t i = 0; i < jobs.size(); ++i) {
    if (docs[i].doc_number.empty()) continue;  // not answered (cannot happen on OK)
    data.documents.push_back(docs[i]);
    data.findings.insert(data.findings.end(), findings[i].begin(), findings[i].end());
  }
  // With a manifest, the release-level findings (listed but not submitted,
  // submitted but not listed) gate the release too.
  auto releases = CheckReleases(*conn, listing);
  if (!releases.ok()) return Fail(std::string(releases.status().message()));
  for (const v1::CheckReleaseResponse& r : *releases) {
    data.findings.insert(data.findings.end(), r.findings().begin(), r.findings().end());
  }
  if (absl::Status s = FetchNotes(*conn, &data); !s.ok()) return Fail(std::string(s.message()));
  data.generated = NowRfc3339();
  data.title = jobs.empty() ? "check" : absl::StrCat("case ", jobs[0].metadata.case_number());
  if (!args.Get("release").empty()) data.title += ", release " + args.Get("release");

  // Reports.
  const std::pair<const char*, const char*> kReports[] = {
      {"sarif", "sarif"}, {"junit", "junit"}, {"markdown", "markdown"}, {"html", "html"}};
  for (const auto& [option, format] : kReports) {
    if (!args.Has(option)) continue;
    absl::Status s = WriteReport(data, format, args.Get(option));
    if (!s.ok()) return Fail(std::string(s.message()));
  }
  if (args.Has("write-baseline")) {
    absl::Status s = WriteBaseline(args.Get("write-baseline"), data);
    if (!s.ok()) return Fail(std::string(s.message()));
  }

  // Summary.
  size_t failing = 0;
  std::map<std::string, int> suppressed;
  for (const ReportDocument& d : data.documents) rejected += d.error.empty() ? 0 : 1;
  Table table({"SEVERITY", "RULE", "DOCUMENT", "PAGE", "LINE", "MESSAGE"});
  for (const v1::Finding& f : data.findings) {
    const std::string why = SuppressionOf(data, f);
    if (!why.empty()) ++suppressed[why];
    if (!IsFailing(data, f)) continue;
    ++failing;
    table.AddRow({SeverityName(f.severity()), f.rule(), DocNumberOf(f.name()),
                  std::to_string(f.location().page()), std::to_string(f.location().line()),
                  f.message()});
  }
  if (!table.empty()) table.Print(std::cout);
  std::cout << "checked " << data.documents.size() << " documents: "
            << data.findings.size() << " findings, " << failing << " at or above "
            << SeverityName(data.fail_on) << " not accepted";
  for (const auto& [why, n] : suppressed) std::cout << ", " << n << " " << why;
  std::cout << ", " << rejected << " rejected\n"
            << (failing > 0 || rejected > 0 ? "FAIL" : "PASS") << "\n";
  return failing > 0 || rejected > 0 ? kExitFindings : kExitClean;
}

}  // namespace ra::cli
