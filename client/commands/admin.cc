// redaction-audit admin backup FILE | reload-rules | suppress FINGERPRINT
// --reason TEXT | unsuppress FINGERPRINT | suppressions: administration rpcs
// (role admin when the daemon checks tokens).
#include <filesystem>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "cli.h"
#include "grpcpp/grpcpp.h"

namespace ra::cli {

OptionSpec AdminOptions() { return OptionSpec{{"reason"}, {}}; }

namespace {

constexpr char kAdminUsage[] =
    "backup FILE | reload-rules | suppress FINGERPRINT --reason TEXT | "
    "unsuppress FINGERPRINT | suppressions";

void PrintSuppression(const v1::AdminSuppression& s) {
  std::cout << s.fingerprint() << "  " << s.added_at() << "  " << s.added_by()
            << "  " << s.reason() << "\n";
}

// suppress / unsuppress / suppressions.
int RunSuppressions(const Args& args) {
  const std::string& sub = args.positional[0];
  const bool listing = sub == "suppressions";
  if (args.positional.size() != (listing ? 1u : 2u)) {
    return Fail(listing ? "usage: admin suppressions"
                        : absl::StrCat("usage: admin ", sub, " FINGERPRINT",
                                       sub == "suppress" ? " --reason TEXT" : ""));
  }
  if (sub == "suppress" && args.Get("reason").empty()) {
    return Fail("admin suppress needs --reason TEXT (why the finding is not "
                "reported)");
  }
  auto conn = Connection::Open(ServerAddress(args));
  if (!conn.ok()) return Fail(std::string(conn.status().message()));
  grpc::ClientContext ctx;
  if (listing) {
    v1::ListSuppressionsResponse response;
    grpc::Status s = conn->stub->ListSuppressions(&ctx, v1::ListSuppressionsRequest(),
                                                  &response);
    if (!s.ok()) return Fail(absl::StrCat("listing suppressions failed: ", s.error_message()));
    if (response.suppressions().empty()) std::cout << "no admin suppressions\n";
    for (const v1::AdminSuppression& x : response.suppressions()) PrintSuppression(x);
    return kExitClean;
  }
  v1::AdminSuppression response;
  grpc::Status s;
  if (sub == "suppress") {
    v1::AddSuppressionRequest request;
    request.set_fingerprint(args.positional[1]);
    request.set_reason(args.Get("reason"));
    s = conn->stub->AddSuppression(&ctx, request, &response);
  } else {
    v1::RemoveSuppressionRequest request;
    request.set_fingerprint(args.positional[1]);
    s = conn->stub->RemoveSuppression(&ctx, request, &response);
  }
  if (!s.ok()) return Fail(absl::StrCat(sub, " failed: ", s.error_message()));
  std::cout << (sub == "suppress" ? "suppressed " : "no longer suppressed ");
  PrintSuppression(response);
  return kExitClean;
}

}  // namespace

int RunAdmin(const Args& args) {
  if (args.positional.empty()) {
    return Fail(absl::StrCat("admin needs a subcommand: ", kAdminUsage));
  }
  const std::string& sub = args.positional[0];
  if (sub == "suppress" || sub == "unsuppress" || sub == "suppressions") {
    return RunSuppressions(args);
  }
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
  return Fail(absl::StrCat("unknown admin subcommand \"", sub, "\" (",
                           kAdminUsage, ")"));
}

}  // namespace ra::cli
