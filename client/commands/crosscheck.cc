// redaction-audit crosscheck --case C : cross-document consistency of a
// whole case (CrossCheckCase rpc); prints findings by rule.
#include <iostream>

#include "cli.h"
#include "format/json.h"
#include "format/table.h"
#include "grpcpp/grpcpp.h"

namespace ra::cli {

OptionSpec CrossCheckOptions() { return OptionSpec{{"case", "format"}, {}}; }

int RunCrossCheck(const Args& args) {
  if (!args.Has("case")) return Fail("crosscheck needs --case");
  const std::string format = args.Get("format", "table");
  if (format != "table" && format != "json") {
    return Fail("--format must be table or json");
  }
  auto conn = Connection::Open(ServerAddress(args));
  if (!conn.ok()) return Fail(std::string(conn.status().message()));
  v1::CrossCheckCaseRequest request;
  request.set_name("cases/" + args.Get("case"));
  v1::CrossCheckCaseResponse response;
  grpc::ClientContext context;
  grpc::Status status = conn->stub->CrossCheckCase(&context, request, &response);
  if (!status.ok()) return Fail(status.error_message());
  if (format == "json") {
    JsonObject by_rule;
    for (const v1::CountByKey& c : response.by_rule()) {
      by_rule.Field(c.key(), c.count());
    }
    std::cout << JsonObject()
                     .Field("case", args.Get("case"))
                     .Field("documents", static_cast<int64_t>(response.documents()))
                     .Field("findings", static_cast<int64_t>(response.findings()))
                     .Field("new_findings",
                            static_cast<int64_t>(response.new_findings()))
                     .Field("closed_findings",
                            static_cast<int64_t>(response.closed_findings()))
                     .Raw("by_rule", by_rule.str())
                     .str()
              << "\n";
  } else {
    std::cout << "Case " << args.Get("case") << ": " << response.documents()
              << " documents cross-checked, " << response.findings()
              << " cross-document findings (" << response.new_findings()
              << " new), " << response.closed_findings()
              << " stored ones no longer found closed\n\n";
    Table t({"RULE", "COUNT"});
    for (const v1::CountByKey& c : response.by_rule()) {
      t.AddRow({c.key(), std::to_string(c.count())});
    }
    t.Print(std::cout);
  }
  return response.findings() > 0 ? kExitFindings : kExitClean;
}

}  // namespace ra::cli
