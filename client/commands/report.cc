// redaction-audit report --case C : case summary; redaction-audit rules.
#include <iostream>
#include <sstream>

#include "cli.h"
#include "format/report.h"
#include "commands/report_data.h"
#include "format/json.h"
#include "format/table.h"
#include "grpcpp/grpcpp.h"

namespace ra::cli {
namespace {

std::string CountsJson(
    const google::protobuf::RepeatedPtrField<v1::CountByKey>& counts) {
  JsonObject o;
  for (const v1::CountByKey& c : counts) o.Field(c.key(), c.count());
  return o.str();
}

void PrintCounts(std::ostream& out, const char* title,
                 const google::protobuf::RepeatedPtrField<v1::CountByKey>& counts) {
  Table t({title, "COUNT"});
  for (const v1::CountByKey& c : counts) t.AddRow({c.key(), std::to_string(c.count())});
  t.Print(out);
  out << "\n";
}

}  // namespace

OptionSpec ReportOptions() {
  return OptionSpec{{"case", "format", "fail-on", "release", "output", "baseline"}, {}};
}

// The finding-level formats: every finding of the case (or release) with
// the rules in force and review notes. Exit 1 when a finding fails.
int RunFindingReport(const Args& args, const std::string& format, v1::Severity fail_on) {
  ReportData data;
  data.fail_on = fail_on;
  data.title = "case " + args.Get("case");
  if (!args.Get("release").empty()) data.title += ", release " + args.Get("release");
  data.generated = NowRfc3339();
  if (args.Has("baseline")) {
    absl::Status s = ReadBaseline(args.Get("baseline"), &data);
    if (!s.ok()) return Fail(std::string(s.message()));
  }
  auto conn = Connection::Open(ServerAddress(args));
  if (!conn.ok()) return Fail(std::string(conn.status().message()));
  absl::Status s = FetchRules(*conn, &data);
  if (s.ok()) s = FetchDocuments(*conn, args.Get("case"), args.Get("release"), &data);
  if (s.ok()) s = FetchFindings(*conn, args.Get("case"), args.Get("release"), &data);
  if (s.ok()) s = FetchNotes(*conn, &data);
  if (s.ok()) s = WriteReport(data, format, args.Get("output"));
  if (!s.ok()) return Fail(std::string(s.message()));
  for (const v1::Finding& f : data.findings) {
    if (IsFailing(data, f)) return kExitFindings;
  }
  return kExitClean;
}

// Whether the case (or --release) still has an open or confirmed finding
// at or above data.fail_on that data.baseline does not accept.
absl::StatusOr<bool> AnyFailing(Connection& conn, const std::string& case_number,
                                const std::string& release, const ReportData& data) {
  v1::ListFindingsRequest list;
  list.set_parent("cases/" + case_number);
  list.set_release(release);
  list.set_min_severity(data.fail_on);
  list.set_page_size(1000);
  for (v1::FindingStatus status : {v1::OPEN, v1::CONFIRMED}) {
    list.set_status(status);
    list.clear_page_token();
    while (true) {
      v1::ListFindingsResponse response;
      grpc::ClientContext context;
      grpc::Status s = conn.stub->ListFindings(&context, list, &response);
      if (!s.ok()) return absl::UnavailableError(s.error_message());
      for (const v1::Finding& f : response.findings()) {
        if (IsFailing(data, f)) return true;
      }
      if (response.next_page_token().empty()) break;
      list.set_page_token(response.next_page_token());
    }
  }
  return false;
}

int RunReport(const Args& args) {
  if (!args.Has("case")) return Fail("report needs --case");
  const std::string format = args.Get("format", "table");
  auto fail_on = ParseSeverityName(args.Get("fail-on", "error"));
  if (!fail_on.ok()) return Fail(std::string(fail_on.status().message()));
  if (format == "csv" || format == "sarif" || format == "junit" || format == "markdown" ||
      format == "html") {
    return RunFindingReport(args, format, *fail_on);
  }
  if (format != "table" && format != "json") {
    return Fail("--format must be table, json, csv, sarif, junit, markdown or html");
  }
  ReportData data;
  data.fail_on = *fail_on;
  if (args.Has("baseline")) {
    absl::Status s = ReadBaseline(args.Get("baseline"), &data);
    if (!s.ok()) return Fail(std::string(s.message()));
  }
  auto conn = Connection::Open(ServerAddress(args));
  if (!conn.ok()) return Fail(std::string(conn.status().message()));
  // The case summary, and exemption use by release and document (of
  // --release, when given).
  v1::CaseReport report;
  absl::Status fetched =
      FetchDocuments(*conn, args.Get("case"), args.Get("release"), &data, &report);
  if (!fetched.ok()) return Fail(std::string(fetched.message()));
  const ExemptionUse use = SummarizeExemptions(data);

  std::ostringstream out;
  if (format == "json") {
    out << JsonObject()
               .Field("case", args.Get("case"))
               .Field("documents", static_cast<int64_t>(report.documents()))
               .Field("versions", static_cast<int64_t>(report.versions()))
               .Field("findings", static_cast<int64_t>(report.findings()))
               .Raw("by_rule", CountsJson(report.by_rule()))
               .Raw("by_severity", CountsJson(report.by_severity()))
               .Raw("by_status", CountsJson(report.by_status()))
               .Raw("by_disposition", CountsJson(report.by_disposition()))
               .Raw("exemption_use", ExemptionUseJson(use))
               .str()
        << "\n";
  } else {
    out << "Case " << args.Get("case") << ": " << report.documents() << " documents, "
        << report.versions() << " versions, " << report.findings() << " findings\n\n";
    PrintCounts(out, "DISPOSITION", report.by_disposition());
    PrintCounts(out, "SEVERITY", report.by_severity());
    PrintCounts(out, "STATUS", report.by_status());
    PrintCounts(out, "RULE", report.by_rule());
    Table t({"RELEASE", "EXEMPTION", "DOCUMENTS CITING", "MARKS"});
    for (const ExemptionUse::Release& r : use.releases) {
      for (const std::string& code : use.codes) {
        auto citing = r.citing.find(code);
        auto marks = r.marks.find(code);
        if (citing == r.citing.end() && marks == r.marks.end()) continue;
        t.AddRow({r.name, code,
                  std::to_string(citing == r.citing.end() ? 0 : citing->second),
                  std::to_string(marks == r.marks.end() ? 0 : marks->second)});
      }
    }
    if (!t.empty()) t.Print(out);
  }
  if (absl::Status s = WriteText(out.str(), args.Get("output")); !s.ok()) {
    return Fail(std::string(s.message()));
  }
  absl::StatusOr<bool> failing = AnyFailing(*conn, args.Get("case"), args.Get("release"), data);
  if (!failing.ok()) return Fail(std::string(failing.status().message()));
  return *failing ? kExitFindings : kExitClean;
}

OptionSpec RulesOptions() { return OptionSpec{{"format"}, {}}; }

int RunRules(const Args& args) {
  auto conn = Connection::Open(ServerAddress(args));
  if (!conn.ok()) return Fail(std::string(conn.status().message()));
  v1::ListRulesResponse response;
  grpc::ClientContext context;
  grpc::Status status = conn->stub->ListRules(&context, v1::ListRulesRequest(), &response);
  if (!status.ok()) return Fail(status.error_message());
  if (args.Get("format", "table") == "json") {
    for (const v1::Rule& r : response.rules()) {
      std::cout << JsonObject()
                       .Field("id", r.id())
                       .Field("severity", SeverityName(r.severity()))
                       .Field("enabled", r.enabled())
                       .Field("description", r.description())
                       .str()
                << "\n";
    }
    return kExitClean;
  }
  std::cout << "Rule pack " << response.pack() << "\n";
  Table t({"RULE", "SEVERITY", "ENABLED", "DESCRIPTION"});
  for (const v1::Rule& r : response.rules()) {
    t.AddRow({r.id(), SeverityName(r.severity()), r.enabled() ? "yes" : "no",
              r.description()});
  }
  t.Print(std::cout);
  return kExitClean;
}

}  // namespace ra::cli
