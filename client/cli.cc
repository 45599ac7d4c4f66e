#include "cli.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/support/client_interceptor.h"
#include "util/address.h"

namespace ra::cli {
namespace {

struct Security {
  std::string ca, cert, key;  // PEM contents
  std::string token;
  bool tls = false;
};

Security& ConnectionSecurity() {
  static Security* security = new Security;
  return *security;
}

absl::StatusOr<std::string> ReadWhole(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", what, " ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Sends "authorization: Bearer <token>" with every call.
class TokenInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit TokenInterceptor(const std::string* token) : token_(token) {}
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      methods->GetSendInitialMetadata()->insert(
          {"authorization", "Bearer " + *token_});
    }
    methods->Proceed();
  }

 private:
  const std::string* token_;
};

class TokenInterceptorFactory
    : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit TokenInterceptorFactory(const std::string* token) : token_(token) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo*) override {
    return new TokenInterceptor(token_);
  }

 private:
  const std::string* token_;
};

std::string Setting(const Args& args, const char* option, const char* env) {
  if (args.Has(option)) return args.Get(option);
  const char* value = std::getenv(env);
  return value == nullptr ? std::string() : std::string(value);
}

}  // namespace

absl::Status ConfigureConnection(const Args& args) {
  Security& s = ConnectionSecurity();
  const std::string ca = Setting(args, "tls-ca", "REDACTION_AUDIT_TLS_CA");
  const std::string cert = Setting(args, "tls-cert", "REDACTION_AUDIT_TLS_CERT");
  const std::string key = Setting(args, "tls-key", "REDACTION_AUDIT_TLS_KEY");
  if (cert.empty() != key.empty()) {
    return absl::InvalidArgumentError("--tls-cert and --tls-key go together");
  }
  s.tls = !ca.empty() || !cert.empty();
  if (!ca.empty()) {
    absl::StatusOr<std::string> pem = ReadWhole(ca, "--tls-ca file");
    if (!pem.ok()) return pem.status();
    s.ca = *pem;
  }
  if (!cert.empty()) {
    absl::StatusOr<std::string> pem = ReadWhole(cert, "--tls-cert file");
    if (!pem.ok()) return pem.status();
    s.cert = *pem;
    pem = ReadWhole(key, "--tls-key file");
    if (!pem.ok()) return pem.status();
    s.key = *pem;
  }
  const std::string token_file =
      Setting(args, "token-file", "REDACTION_AUDIT_TOKEN_FILE");
  if (!token_file.empty()) {
    absl::StatusOr<std::string> token = ReadWhole(token_file, "--token-file");
    if (!token.ok()) return token.status();
    s.token = std::string(absl::StripAsciiWhitespace(*token));
  } else if (const char* env = std::getenv("REDACTION_AUDIT_TOKEN")) {
    s.token = std::string(absl::StripAsciiWhitespace(env));
  }
  return absl::OkStatus();
}

absl::StatusOr<Connection> Connection::Open(const std::string& address) {
  Connection c;
  c.address = address;
  grpc::ChannelArguments channel_args;
  channel_args.SetMaxReceiveMessageSize(256 << 20);
  channel_args.SetMaxSendMessageSize(256 << 20);
  // A daemon that is still starting (migrating, loading rules) answers
  // UNAVAILABLE; retry such calls for a moment instead of failing.
  channel_args.SetServiceConfigJSON(
      R"({"methodConfig":[{"name":[{"service":"redaction_audit.v1.AuditService"}],)"
      R"("retryPolicy":{"maxAttempts":5,"initialBackoff":"0.2s","maxBackoff":"2s",)"
      R"("backoffMultiplier":2,"retryableStatusCodes":["UNAVAILABLE"]}}]})");
  const Security& security = ConnectionSecurity();
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      grpc::InsecureChannelCredentials();
  if (security.tls) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = security.ca;  // empty: the system's roots
    ssl.pem_private_key = security.key;
    ssl.pem_cert_chain = security.cert;
    credentials = grpc::SslCredentials(ssl);
  }
  if (security.token.empty()) {
    c.channel = grpc::CreateCustomChannel(address, credentials, channel_args);
  } else {
    std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>>
        interceptors;
    interceptors.push_back(std::make_unique<TokenInterceptorFactory>(&security.token));
    c.channel = grpc::experimental::CreateCustomChannelWithInterceptors(
        address, credentials, channel_args, std::move(interceptors));
  }
  if (!c.channel->WaitForConnected(std::chrono::system_clock::now() +
                                   std::chrono::seconds(5))) {
    return absl::UnavailableError(absl::StrCat(
        "cannot connect to ", address,
        ": is redaction-auditd running there? (set --server or "
        "REDACTION_AUDIT_SERVER)",
        security.tls ? "; or the TLS handshake failed (check --tls-ca, "
                       "--tls-cert, --tls-key)"
                     : ""));
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

OptionSpec CommonOptions() {
  return OptionSpec{{"server", "tls-ca", "tls-cert", "tls-key", "token-file"},
                    {"help"}};
}

absl::StatusOr<v1::Severity> ParseSeverityName(const std::string& name) {
  if (name == "info") return v1::INFO;
  if (name == "warning") return v1::WARNING;
  if (name == "error") return v1::ERROR;
  return absl::InvalidArgumentError(
      absl::StrCat("severity \"", name, "\" is not one of info, warning, error"));
}




}  // namespace ra::cli
