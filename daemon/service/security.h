// Transport security and authorization at the gRPC edge: TLS credentials
// from PEM files and the per-call role check against the --auth-tokens table.
#ifndef RA_SERVICE_SECURITY_H_
#define RA_SERVICE_SECURITY_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_context.h"
#include "service/auth_table.h"

namespace ra {

struct TlsFiles {
  std::string cert;       // server certificate chain (PEM)
  std::string key;        // its private key (PEM)
  std::string client_ca;  // when set, clients must present a certificate it signed
};

// Insecure credentials when `tls.cert` is empty; INVALID_ARGUMENT when only
// one of cert/key is given or client_ca is given without them; NOT_FOUND
// naming an unreadable file.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const TlsFiles& tls);

// Decides who is calling and whether they may. Without a table every caller
// is the local administrator (the daemon then listens only on a unix socket
// or loopback address).
class Guard {
 public:
  explicit Guard(std::optional<AuthTable> table) : table_(std::move(table)) {}

  bool enabled() const { return table_.has_value(); }

  // The caller: a token sent as "authorization: Bearer <token>" metadata,
  // else a mapped client-certificate common name. UNAUTHENTICATED when
  // neither identifies anyone, PERMISSION_DENIED when the role is below
  // `needed`. `method` names the rpc in messages.
  grpc::Status Authorize(const grpc::ServerContext& context, Role needed,
                         const char* method, Principal* who) const;

 private:
  std::optional<AuthTable> table_;
};

}  // namespace ra

#endif  // RA_SERVICE_SECURITY_H_
