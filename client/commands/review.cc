// redaction-audit review ID --status S --note TEXT : record a decision.
#include <cstdlib>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cli.h"
#include "format/findings.h"
#include "grpcpp/grpcpp.h"

namespace ra::cli {

OptionSpec ReviewOptions() {
  return OptionSpec{{"status", "note", "reviewer", "etag", "format"}, {}};
}

absl::StatusOr<v1::FindingStatus> ParseStatusName(const std::string& name);

int RunReview(const Args& args) {
  if (args.positional.size() != 1) {
    return Fail("review needs exactly one finding: its name "
                "(cases/C/documents/D/findings/N) or its id");
  }
  if (!args.Has("status")) return Fail("review needs --status");
  auto status = ParseStatusName(args.Get("status"));
  if (!status.ok()) return Fail(std::string(status.status().message()));
  v1::ReviewFindingRequest request;
  std::string name = args.positional[0];
  int64_t id = 0;
  if (absl::SimpleAtoi(name, &id)) {
    name = absl::StrCat("cases/-/documents/-/findings/", id);
  }
  request.set_name(name);
  request.set_status(*status);
  request.set_note(args.Get("note"));
  std::string reviewer = args.Get("reviewer");
  if (reviewer.empty()) {
    const char* user = std::getenv("USER");
    reviewer = user != nullptr ? user : "";
  }
  request.set_reviewer(reviewer);
  if (args.Has("etag") && !absl::SimpleAtoi(args.Get("etag"), &id)) {
    return Fail("--etag must be a number");
  }
  if (args.Has("etag")) request.set_etag(id);

  auto conn = Connection::Open(ServerAddress(args));
  if (!conn.ok()) return Fail(std::string(conn.status().message()));
  v1::Finding finding;
  grpc::ClientContext context;
  grpc::Status rpc = conn->stub->ReviewFinding(&context, request, &finding);
  if (!rpc.ok()) return Fail(rpc.error_message());
  WriteFindings({finding}, args.Get("format", "table"), std::cout);
  return kExitClean;
}

}  // namespace ra::cli
