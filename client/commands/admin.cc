// redaction-audit admin backup FILE | admin reload-rules: administration
// rpcs (role admin when the daemon checks tokens).
#include <filesystem>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "cli.h"
#include "grpcpp/grpcpp.h"

namespace ra::cli {

OptionSpec AdminOptions() { return OptionSpec{{}, {}}; }

int RunAdmin(const Args& args) {
  if (args.positional.empty()) {
    return Fail("admin needs a subcommand: backup FILE | reload-rules");
  }
  const std::string& sub = args.positional[0];
  if (sub == "backup") {
    if (args.positional.size() != 2) return Fail("usage: admin backup FILE");
    // The daemon writes the file on its own host; a relative path is taken
    // from this directory (same host).
    std::error_code ec;
    const std::string path =
        std::filesystem::absolute(args.positional[1], ec).lexically_normal().string();
    auto conn = Connection::Open(ServerAddress(args));
    if (!conn.ok()) return Fail(std::string(conn.status().message()));
    v1::BackupDatabaseRequest request;
    request.set_path(path);
    v1::BackupDatabaseResponse response;
    grpc::ClientContext ctx;
    grpc::Status s = conn->stub->BackupDatabase(&ctx, request, &response);
    if (!s.ok()) return Fail(absl::StrCat("backup failed: ", s.error_message()));
    std::cout << "backed up to " << response.path() << " (" << response.bytes()
              << " bytes)\n";
    return kExitClean;
  }
  if (sub == "reload-rules") {
    if (args.positional.size() != 1) return Fail("usage: admin reload-rules");
    auto conn = Connection::Open(ServerAddress(args));
    if (!conn.ok()) return Fail(std::string(conn.status().message()));
    v1::ReloadRulesResponse response;
    grpc::ClientContext ctx;
    grpc::Status s =
        conn->stub->ReloadRules(&ctx, v1::ReloadRulesRequest(), &response);
    if (!s.ok()) return Fail(absl::StrCat("reload failed: ", s.error_message()));
    std::cout << "rules in force: " << response.pack() << "\n";
    return kExitClean;
  }
  return Fail(absl::StrCat("unknown admin subcommand \"", sub,
                           "\" (backup FILE | reload-rules)"));
}

}  // namespace ra::cli
