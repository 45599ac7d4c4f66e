#include "cli.h"

#include <cstdlib>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "grpcpp/grpcpp.h"
#include "util/address.h"

namespace ra::cli {

absl::StatusOr<Connection> Connection::Open(const std::string& address) {
  Connection c;
  c.address = address;
  grpc::ChannelArguments channel_args;
  channel_args.SetMaxReceiveMessageSize(256 << 20);
  channel_args.SetMaxSendMessageSize(256 << 20);
  c.channel = grpc::CreateCustomChannel(
      address, grpc::InsecureChannelCredentials(), channel_args);
  if (!c.channel->WaitForConnected(std::chrono::system_clock::now() +
                                   std::chrono::seconds(5))) {
    return absl::UnavailableError(absl::StrCat(
        "cannot connect to ", address,
        ": is redaction-auditd running there? (set --server or "
        "REDACTION_AUDIT_SERVER)"));
  }
  c.stub = v1::AuditService::NewStub(c.channel);
  return c;
}

std::string ServerAddress(const Args& args) {
  if (args.Has("server")) return args.Get("server");
  const char* env = std::getenv("REDACTION_AUDIT_SERVER");
  if (env != nullptr && env[0] != '\0') return env;
  return DefaultServerAddress();
}

int Fail(const std::string& message) {
  std::cerr << "redaction-audit: " << message << "\n";
  return kExitUsage;
}

OptionSpec CommonOptions() { return OptionSpec{{"server"}, {"help"}}; }

absl::StatusOr<v1::Severity> ParseSeverityName(const std::string& name) {
  if (name == "info") return v1::INFO;
  if (name == "warning") return v1::WARNING;
  if (name == "error") return v1::ERROR;
  return absl::InvalidArgumentError(
      absl::StrCat("severity \"", name, "\" is not one of info, warning, error"));
}

const char* SeverityLabel(v1::Severity s) {
  switch (s) {
    case v1::INFO:
      return "info";
    case v1::WARNING:
      return "warning";
    case v1::ERROR:
      return "error";
    default:
      return "unspecified";
  }
}

const char* StatusLabel(v1::FindingStatus s) {
  switch (s) {
    case v1::OPEN:
      return "open";
    case v1::CONFIRMED:
      return "confirmed";
    case v1::FIXED:
      return "fixed";
    case v1::WAIVED:
      return "waived";
    case v1::FALSE_POSITIVE:
      return "false-positive";
    default:
      return "unspecified";
  }
}

const char* DispositionLabel(v1::Disposition d) {
  switch (d) {
    case v1::FULL:
      return "FULL";
    case v1::PART:
      return "PART";
    case v1::DENIED:
      return "DENIED";
    default:
      return "NONE";
  }
}

}  // namespace ra::cli
