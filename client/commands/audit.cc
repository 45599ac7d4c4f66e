// redaction-audit audit PATH... : streams documents to AuditDocuments.
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <thread>

#include "absl/strings/str_cat.h"
#include "cli.h"
#include "format/report.h"
#include "commands/submit.h"
#include "format/json.h"
#include "format/table.h"
#include "grpcpp/grpcpp.h"

namespace ra::cli {

OptionSpec AuditOptions() {
  return OptionSpec{{"case", "manifest", "release", "fail-on", "format", "request-date"},
                    {"quiet", "resume"}};
}

int RunAudit(const Args& args) {
  if (args.positional.empty()) {
    return Fail("audit needs at least one file or folder");
  }
  auto fail_on = ParseSeverityName(args.Get("fail-on", "error"));
  if (!fail_on.ok()) return Fail(std::string(fail_on.status().message()));
  const std::string format = args.Get("format", "table");
  if (format != "table" && format != "json") {
    return Fail("--format must be table or json");
  }
  const bool tty = isatty(STDERR_FILENO) && !args.Flag("quiet") && format == "table";
  std::vector<SubmitJob> jobs;
  size_t rejected = 0;  // by the daemon or while streaming
  size_t rejected_by_manifest = 0;
  ManifestListing listing;
  // The jobs are made on a second thread while the connection opens and
  // the batch streams. Not with --resume (it reads every job first) or a
  // progress bar (it needs the count first).
  JobFeed feed;
  std::string error;
  std::thread preparer;
  const bool stream_early = !args.Flag("resume") && !tty;
  if (stream_early) {
    preparer = std::thread(
        [&] { error = PrepareJobs(args, &jobs, &rejected_by_manifest, &listing, &feed); });
  } else {
    error = PrepareJobs(args, &jobs, &rejected_by_manifest, &listing);
  }
  auto conn = Connection::Open(ServerAddress(args));
  // No stream starts before the first job: a feed closed without one had
  // an error, or every file was rejected.
  if (stream_early && !feed.Wait(0)) preparer.join();
  if (!preparer.joinable() && !error.empty()) return Fail(error);
  if (!conn.ok()) {
    if (preparer.joinable()) preparer.join();
    return Fail(std::string(conn.status().message()));
  }

  // --resume: leave out what the daemon already stores with the same
  // content (same case, document and SHA-256).
  size_t skipped = 0;
  if (args.Flag("resume")) {
    auto kept = SkipStored(*conn, std::move(jobs), &skipped);
    if (!kept.ok()) return Fail(std::string(kept.status().message()));
    jobs = std::move(*kept);
  }

  Progress progress(stream_early ? 0 : jobs.size(), tty);  // no bar when early
  size_t done = 0, already = 0, audited = 0;
  std::map<std::string, int64_t> by_rule;
  std::map<int, int64_t> by_severity;
  int64_t at_or_above = 0;
  auto on_response = [&](const v1::AuditDocumentsResponse& response) {
    ++done;
    if (response.has_error()) {
      ++rejected;
      std::cerr << "redaction-audit: " << response.error().message() << "\n";
      if (format == "json") {
        std::cout << JsonObject()
                         .Field("file", response.file_name())
                         .Field("status", "rejected")
                         .Field("error", response.error().message())
                         .str()
                  << "\n";
      }
      return;
    }
    const v1::AuditDocumentResponse& r = response.audited();
    ++audited;
    if (r.already_stored()) ++already;
    int64_t doc_at_or_above = 0;
    for (const v1::Finding& f : r.findings()) {
      ++by_rule[f.rule()];
      ++by_severity[f.severity()];
      if (f.severity() >= *fail_on && f.status() != v1::WAIVED &&
          f.status() != v1::FALSE_POSITIVE) {
        ++doc_at_or_above;
      }
    }
    at_or_above += doc_at_or_above;
    if (format == "json") {
      std::cout << JsonObject()
                       .Field("file", response.file_name())
                       .Field("status", "audited")
                       .Field("document", r.document())
                       .Field("sha256", r.version_sha256())
                       .Field("already_stored", r.already_stored())
                       .Field("disposition", DispositionName(r.parsed().disposition()))
                       .Field("findings", static_cast<int64_t>(r.findings_size()))
                       .Field("failing", doc_at_or_above)
                       .str()
                << "\n";
    }
  };
  auto on_unreadable = [&](size_t, const std::string& message) {
    ++rejected;
    std::cerr << "redaction-audit: " << message << "\n";
  };
  // Only counts and the disposition are read from each result.
  grpc::Status status = SubmitBatch(*conn, jobs, progress, on_response, on_unreadable,
                                    /*brief_results=*/true, stream_early ? &feed : nullptr);
  if (preparer.joinable()) preparer.join();
  rejected += rejected_by_manifest;
  if (!error.empty()) return Fail(error);
  if (!status.ok()) {
    return Fail(absl::StrCat("batch stopped after ", done, " of ", jobs.size(),
                             " documents: ", status.error_message()));
  }
  // With a manifest: the release-level check (documents listed but never
  // submitted, submitted but not listed), once the batch is stored.
  auto releases = CheckReleases(*conn, listing);
  if (!releases.ok()) return Fail(std::string(releases.status().message()));
  for (const v1::CheckReleaseResponse& r : *releases) {
    for (const v1::Finding& f : r.findings()) {
      ++by_rule[f.rule()];
      ++by_severity[f.severity()];
      if (f.severity() >= *fail_on && f.status() != v1::WAIVED &&
          f.status() != v1::FALSE_POSITIVE) {
        ++at_or_above;
      }
      if (format == "table" && !args.Flag("quiet")) {
        std::cerr << "redaction-audit: " << f.rule() << ": " << f.message() << "\n";
      }
    }
    if (format == "json") {
      std::cout << JsonObject()
                       .Field("case", r.name())
                       .Field("status", "release-checked")
                       .Field("listed", r.listed())
                       .Field("findings", r.findings_total())
                       .Field("new", r.new_findings())
                       .Field("fixed", r.fixed())
                       .str()
                << "\n";
    }
  }
  if (format == "table") {
    if (args.Flag("resume")) {
      std::cout << "skipped " << skipped << " documents already stored with the "
                << "same content (--resume)\n";
    }
    std::cout << "audited " << audited << " documents ("
              << already << " already stored), " << rejected << " rejected\n";
    for (const v1::CheckReleaseResponse& r : *releases) {
      std::cout << "release check of " << r.name() << ": " << r.listed()
                << " listed, " << r.findings_total()
                << " release-level findings (" << r.new_findings() << " new, "
                << r.fixed() << " fixed)\n";
    }
    std::cout << "findings: " << by_severity[v1::ERROR] << " error, "
              << by_severity[v1::WARNING] << " warning, " << by_severity[v1::INFO]
              << " info\n";
    if (!by_rule.empty()) {
      Table table({"rule", "findings"});
      std::vector<std::pair<std::string, int64_t>> rows(by_rule.begin(), by_rule.end());
      std::stable_sort(rows.begin(), rows.end(),
                       [](const auto& a, const auto& b) { return a.second > b.second; });
      for (const auto& [rule, n] : rows) table.AddRow({rule, std::to_string(n)});
      table.Print(std::cout);
    }
  }
  return (at_or_above > 0 || rejected > 0) ? kExitFindings : kExitClean;
}

}  // namespace ra::cli
