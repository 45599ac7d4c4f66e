#include "service/security.h"

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/security/auth_context.h"
#include "grpcpp/security/credentials.h"

namespace ra {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path, const char* flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read ", flag, " file ", path));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (buffer.str().find("-----BEGIN ") == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " file ", path, " is not PEM"));
  }
  return buffer.str();
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const TlsFiles& tls) {
  if (tls.cert.empty() != tls.key.empty()) {
    return absl::InvalidArgumentError("--tls_cert and --tls_key go together");
  }
  if (tls.cert.empty()) {
    if (!tls.client_ca.empty()) {
      return absl::InvalidArgumentError(
          "--tls_client_ca needs --tls_cert and --tls_key");
    }
    return grpc::InsecureServerCredentials();
  }
  grpc::SslServerCredentialsOptions options;
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  absl::StatusOr<std::string> cert = ReadPem(tls.cert, "--tls_cert");
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadPem(tls.key, "--tls_key");
  if (!key.ok()) return key.status();
  pair.cert_chain = *cert;
  pair.private_key = *key;
  options.pem_key_cert_pairs.push_back(pair);
  if (!tls.client_ca.empty()) {
    absl::StatusOr<std::string> ca = ReadPem(tls.client_ca, "--tls_client_ca");
    if (!ca.ok()) return ca.status();
    options.pem_root_certs = *ca;
    options.client_certificate_request =
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(options);
}

grpc::Status Guard::Authorize(const grpc::ServerContext& context, Role needed,
                              const char* method, Principal* who) const {
  if (!table_) {
    *who = Principal{"", Role::kAdmin};
    return grpc::Status::OK;
  }
  std::optional<Principal> found;
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it != metadata.end()) {
    absl::string_view value(it->second.data(), it->second.size());
    if (!absl::ConsumePrefix(&value, "Bearer ")) {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                          "authorization metadata must be \"Bearer <token>\"");
    }
    found = table_->ForToken(value);
    if (!found) {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                          "the token is not in the daemon's --auth_tokens file");
    }
  } else if (std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
             auth != nullptr && auth->IsPeerAuthenticated()) {
    for (const grpc::string_ref& cn : auth->FindPropertyValues("x509_common_name")) {
      found = table_->ForCertificate(absl::string_view(cn.data(), cn.size()));
      if (found) break;
    }
  }
  if (!found) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "this daemon requires a token (redaction-audit "
                        "--token-file or REDACTION_AUDIT_TOKEN) or a client "
                        "certificate mapped in its --auth_tokens file");
  }
  if (static_cast<int>(found->role) < static_cast<int>(needed)) {
    return grpc::Status(
        grpc::StatusCode::PERMISSION_DENIED,
        absl::StrCat(found->name, " (role ", RoleName(found->role),
                     ") may not call ", method, ": it needs role ",
                     RoleName(needed)));
  }
  *who = std::move(*found);
  return grpc::Status::OK;
}

}  // namespace ra
