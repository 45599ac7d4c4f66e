// redaction-auditd: the Redaction Audit daemon. Parses flags and runs the
// server; everything else lives in the modules.
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "service/server.h"
#include "util/address.h"
#include "util/log.h"

ABSL_FLAG(std::string, listen, "",
          "gRPC address to listen on: unix:/path/to.sock or 127.0.0.1:PORT "
          "(default: the per-user unix socket the CLI also defaults to)");
ABSL_FLAG(std::string, db, "redaction-audit.sqlite",
          "SQLite database file (created when missing)");
ABSL_FLAG(std::string, rules, "rules/state", "Rule pack folder");
ABSL_FLAG(bool, insecure, false,
          "Allow listening on a non-loopback TCP address without TLS");
ABSL_FLAG(int64_t, max_document_bytes, int64_t{100} << 20,
          "Largest document accepted, in bytes");
ABSL_FLAG(int, stream_workers, 2,
          "Documents of one batch stream audited at the same time");
ABSL_FLAG(int, shutdown_grace_seconds, 30,
          "Seconds in-flight calls may take to finish after SIGTERM");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "redaction-auditd [--listen ADDRESS] [--db FILE] [--rules DIR]\n"
      "Audits released documents' redaction exemption codes; see README.md.");
  absl::ParseCommandLine(argc, argv);
  // Before any thread starts, so every thread inherits the mask and the
  // server can sigwait() for SIGTERM/SIGINT/SIGHUP.
  ra::BlockServerSignals();

  ra::ServerOptions options;
  options.listen = absl::GetFlag(FLAGS_listen);
  if (options.listen.empty()) options.listen = ra::DefaultServerAddress();
  options.db_path = absl::GetFlag(FLAGS_db);
  options.rules_dir = absl::GetFlag(FLAGS_rules);
  options.insecure = absl::GetFlag(FLAGS_insecure);
  options.ingest.max_bytes = absl::GetFlag(FLAGS_max_document_bytes);
  options.stream_workers = absl::GetFlag(FLAGS_stream_workers);
  options.shutdown_grace = absl::Seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds));
  // gRPC messages carry a whole document plus framing.
  options.max_message_bytes = static_cast<int>(
      std::min<int64_t>(options.ingest.max_bytes + (1 << 20), (int64_t{1} << 31) - 1));

  ra::LogInfo("event=start version=0.1.0 listen=", options.listen,
              " db=", options.db_path, " rules=", options.rules_dir);
  absl::Status status = ra::RunServer(options);
  if (!status.ok()) {
    ra::LogError("event=fatal reason=\"", status.message(), "\"");
    return 1;
  }
  return 0;
}
