// redaction-auditd: the Redaction Audit daemon. Parses flags and runs the
// server; everything else lives in the modules.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "service/server.h"
#include "util/address.h"
#include "util/log.h"
#include "util/runtime.h"

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

ABSL_FLAG(std::string, tls_cert, "", "Server certificate chain (PEM): enables TLS");
ABSL_FLAG(std::string, tls_key, "", "Private key of --tls_cert (PEM)");
ABSL_FLAG(std::string, tls_client_ca, "",
          "CA certificate (PEM) clients must present a certificate from "
          "(mutual TLS)");
ABSL_FLAG(std::string, auth_tokens, "",
          "Token file: '<sha256-hex> <role> <name>' or 'x509:<CN> <role> <name>' "
          "per line, role submitter|reviewer|admin. Without it every caller is "
          "admin and only a unix socket or loopback address is allowed");
ABSL_FLAG(int64_t, max_pages, 5000, "Most pages (form feeds + 1) per document");
ABSL_FLAG(int64_t, max_lines, 1000000, "Most lines per document");
ABSL_FLAG(int64_t, max_line_bytes, 1 << 20, "Longest line of a document, in bytes");
ABSL_FLAG(int, max_streams, 64, "Batch streams open at the same time");
ABSL_FLAG(int, max_stream_seconds, 3600, "Longest a batch stream may stay open");
ABSL_FLAG(std::string, metrics_listen, "",
          "Serve Prometheus metrics over HTTP (GET /metrics) at HOST:PORT, "
          "e.g. 127.0.0.1:9464; off when empty. Loopback only unless "
          "--insecure");

ABSL_FLAG(double, max_pdf_render_seconds, 5,
          "Time budget for rendering one PDF's pages (the check for text "
          "under boxes); pages not rendered by then are audited without it "
          "and reported as pdf.boxes-not-checked. 0 renders in the daemon "
          "process, without a budget");
ABSL_FLAG(std::string, pdf_render_helper, "",
          "The page renderer executable; default: redaction-audit-render "
          "in the daemon's own directory");

namespace {

// redaction-audit-render beside this executable.
std::string DefaultRenderHelper() {
  char buf[4096];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "redaction-audit-render";
  std::string self(buf, static_cast<size_t>(n));
  return self.substr(0, self.rfind('/') + 1) + "redaction-audit-render";
}

}  // namespace

int main(int argc, char** argv) {
  ra::UseReleaseMutexSettings();
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
  options.tls_cert = absl::GetFlag(FLAGS_tls_cert);
  options.tls_key = absl::GetFlag(FLAGS_tls_key);
  options.tls_client_ca = absl::GetFlag(FLAGS_tls_client_ca);
  options.auth_tokens_file = absl::GetFlag(FLAGS_auth_tokens);
  options.limits.max_pages = absl::GetFlag(FLAGS_max_pages);
  options.limits.max_lines = absl::GetFlag(FLAGS_max_lines);
  options.limits.max_line_bytes = absl::GetFlag(FLAGS_max_line_bytes);
  options.limits.max_streams = absl::GetFlag(FLAGS_max_streams);
  options.limits.max_stream_time = absl::Seconds(absl::GetFlag(FLAGS_max_stream_seconds));
  options.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  const double render_seconds = absl::GetFlag(FLAGS_max_pdf_render_seconds);
  if (render_seconds > 0) {
    std::string helper = absl::GetFlag(FLAGS_pdf_render_helper);
    if (helper.empty()) helper = DefaultRenderHelper();
    if (access(helper.c_str(), X_OK) != 0) {
      ra::LogError("event=fatal reason=\"PDF page renderer ", helper,
                   " is missing or not executable (--pdf_render_helper)\"");
      return 1;
    }
    options.ingest.pdf.render_helper = helper;
    options.ingest.pdf.render_budget =
        std::chrono::milliseconds(std::llround(render_seconds * 1000));
  }
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
