// Who may call the daemon: the --auth-tokens file parsed into principals
// with roles. No gRPC here (unit-tested and fuzzed on its own).
//
// File format, one entry per line; blank lines and lines starting with '#'
// are ignored; fields are separated by spaces or tabs:
//   <sha256 hex of the token> <role> <name>
//   x509:<client certificate common name> <role> <name>
// role is submitter, reviewer or admin. Names are what review histories
// record.
#ifndef RA_SERVICE_AUTH_TABLE_H_
#define RA_SERVICE_AUTH_TABLE_H_

#include <map>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ra {

// Each role may do everything the roles before it may.
enum class Role { kSubmitter = 1, kReviewer = 2, kAdmin = 3 };

const char* RoleName(Role role);

struct Principal {
  std::string name;
  Role role = Role::kSubmitter;
};

class AuthTable {
 public:
  // INVALID_ARGUMENT naming `source` and the line for a malformed entry or
  // a duplicate token / certificate name.
  static absl::StatusOr<AuthTable> Parse(absl::string_view text,
                                         absl::string_view source);
  // Reads and parses a file; NOT_FOUND / PERMISSION_DENIED when unreadable.
  static absl::StatusOr<AuthTable> Load(const std::string& path);

  // The principal holding `token` (the secret itself; it is hashed here).
  std::optional<Principal> ForToken(absl::string_view token) const;
  // The principal mapped to a client certificate's common name.
  std::optional<Principal> ForCertificate(absl::string_view common_name) const;

  size_t size() const { return by_sha256_.size() + by_cert_.size(); }

 private:
  std::map<std::string, Principal> by_sha256_;
  std::map<std::string, Principal, std::less<>> by_cert_;
};

}  // namespace ra

#endif  // RA_SERVICE_AUTH_TABLE_H_
