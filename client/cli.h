// Shared pieces of the redaction-audit CLI: exit codes, the connection to
// the daemon, and the command table.
#ifndef RA_CLIENT_CLI_H_
#define RA_CLIENT_CLI_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "args.h"
#include "redaction_audit/v1/audit_service.grpc.pb.h"

namespace ra::cli {

namespace v1 = ::redaction_audit::v1;

// Exit codes, documented in README.md.
enum ExitCode {
  kExitClean = 0,     // done; nothing at or above --fail-on
  kExitFindings = 1,  // findings at or above --fail-on, or documents rejected
  kExitUsage = 2,     // usage error, unreadable input or connection error
};

// A connected stub. Open() fails with UNAVAILABLE naming the address when
// no daemon answers within the timeout.
struct Connection {
  std::string address;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::AuditService::Stub> stub;

  static absl::StatusOr<Connection> Open(const std::string& address);
};

// Reads the connection security options every command takes (--tls-ca,
// --tls-cert, --tls-key, --token-file, else $REDACTION_AUDIT_TLS_CA,
// $REDACTION_AUDIT_TLS_CERT, $REDACTION_AUDIT_TLS_KEY, $REDACTION_AUDIT_TOKEN
// / $REDACTION_AUDIT_TOKEN_FILE) for later Connection::Open calls. Fails
// naming an unreadable file.
absl::Status ConfigureConnection(const Args& args);

// --server, else $REDACTION_AUDIT_SERVER, else the daemon's default.
std::string ServerAddress(const Args& args);

// Prints "redaction-audit: <message>" to stderr and returns kExitUsage.
int Fail(const std::string& message);

// Options every command takes.
OptionSpec CommonOptions();

struct Command {
  const char* name;
  const char* usage;  // one line: arguments and options
  const char* summary;
  OptionSpec (*options)();
  int (*run)(const Args& args);
};

int RunAudit(const Args& args);
int RunInspect(const Args& args);
int RunFindings(const Args& args);
int RunReview(const Args& args);
int RunReport(const Args& args);
int RunRules(const Args& args);
int RunHistory(const Args& args);
int RunCheck(const Args& args);
int RunAdmin(const Args& args);
int RunCrossCheck(const Args& args);

OptionSpec AuditOptions();
OptionSpec InspectOptions();
OptionSpec FindingsOptions();
OptionSpec ReviewOptions();
OptionSpec ReportOptions();
OptionSpec RulesOptions();
OptionSpec HistoryOptions();
OptionSpec CheckOptions();
OptionSpec AdminOptions();
OptionSpec CrossCheckOptions();

// "info", "warning", "error" -> API enum (names back: format/report.h).
absl::StatusOr<v1::Severity> ParseSeverityName(const std::string& name);

}  // namespace ra::cli

#endif  // RA_CLIENT_CLI_H_
