// redaction-audit findings [filters] : list stored findings, paging through
// ListFindings until done or --limit.
#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cli.h"
#include "format/findings.h"
#include "grpcpp/grpcpp.h"

namespace ra::cli {

OptionSpec FindingsOptions() {
  return OptionSpec{{"case", "release", "document", "rule", "severity", "status",
                     "limit", "format", "fail-on"},
                    {}};
}

absl::StatusOr<v1::FindingStatus> ParseStatusName(const std::string& name) {
  if (name == "open") return v1::OPEN;
  if (name == "confirmed") return v1::CONFIRMED;
  if (name == "fixed") return v1::FIXED;
  if (name == "waived") return v1::WAIVED;
  if (name == "false-positive") return v1::FALSE_POSITIVE;
  return absl::InvalidArgumentError(absl::StrCat(
      "status \"", name,
      "\" is not one of open, confirmed, fixed, waived, false-positive"));
}

int RunFindings(const Args& args) {
  const std::string format = args.Get("format", "table");
  if (format != "table" && format != "json" && format != "csv") {
    return Fail("--format must be table, json or csv");
  }
  v1::ListFindingsRequest request;
  if (args.Has("case")) request.set_parent("cases/" + args.Get("case"));
  request.set_release(args.Get("release"));
  request.set_document(args.Get("document"));
  request.set_rule(args.Get("rule"));
  if (args.Has("severity")) {
    auto s = ParseSeverityName(args.Get("severity"));
    if (!s.ok()) return Fail(std::string(s.status().message()));
    request.set_min_severity(*s);
  }
  if (args.Has("status")) {
    auto s = ParseStatusName(args.Get("status"));
    if (!s.ok()) return Fail(std::string(s.status().message()));
    request.set_status(*s);
  }
  int64_t limit = -1;
  if (args.Has("limit") && (!absl::SimpleAtoi(args.Get("limit"), &limit) || limit < 0)) {
    return Fail("--limit must be a non-negative number");
  }
  auto fail_on = ParseSeverityName(args.Get("fail-on", "error"));
  if (!fail_on.ok()) return Fail(std::string(fail_on.status().message()));

  auto conn = Connection::Open(ServerAddress(args));
  if (!conn.ok()) return Fail(std::string(conn.status().message()));
  std::vector<v1::Finding> all;
  bool failing = false;
  int64_t fetched = 0;
  while (limit < 0 || fetched < limit) {
    request.set_page_size(
        limit < 0 ? 1000 : static_cast<int>(std::min<int64_t>(1000, limit - fetched)));
    v1::ListFindingsResponse response;
    grpc::ClientContext context;
    grpc::Status status = conn->stub->ListFindings(&context, request, &response);
    if (!status.ok()) return Fail(status.error_message());
    for (const v1::Finding& f : response.findings()) {
      if (f.severity() >= *fail_on && f.status() != v1::WAIVED &&
          f.status() != v1::FALSE_POSITIVE && f.status() != v1::FIXED) {
        failing = true;
      }
      all.push_back(f);
      ++fetched;
    }
    // Table output is aligned over all rows; json and csv stream per page.
    if (format != "table") {
      WriteFindings(all, format, std::cout, request.page_token().empty());
      all.clear();
    }
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  if (format == "table") WriteFindings(all, format, std::cout);
  return failing ? kExitFindings : kExitClean;
}

}  // namespace ra::cli
