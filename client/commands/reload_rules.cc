// redaction-audit reload-rules: asks the daemon to reload its rule pack
// folder (the ReloadRules rpc; same as SIGHUP). Prints the pack now in force,
// or the loading error (file:line:column) with exit code 2.
#include <iostream>

#include "cli.h"
#include "grpcpp/grpcpp.h"

namespace ra::cli {

OptionSpec ReloadRulesOptions() { return OptionSpec{{}, {}}; }

int RunReloadRules(const Args& args) {
  auto conn = Connection::Open(ServerAddress(args));
  if (!conn.ok()) return Fail(std::string(conn.status().message()));
  v1::ReloadRulesResponse response;
  grpc::ClientContext context;
  grpc::Status status =
      conn->stub->ReloadRules(&context, v1::ReloadRulesRequest(), &response);
  if (!status.ok()) return Fail(status.error_message());
  std::cout << "Rule pack " << response.pack() << " in force ("
            << response.files_size() << " files)\n";
  return kExitClean;
}

}  // namespace ra::cli
