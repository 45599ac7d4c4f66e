#include "service/auth_table.h"

#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "util/sha256.h"

namespace ra {
namespace {

std::optional<Role> ParseRole(absl::string_view s) {
  if (s == "submitter") return Role::kSubmitter;
  if (s == "reviewer") return Role::kReviewer;
  if (s == "admin") return Role::kAdmin;
  return std::nullopt;
}

bool IsLowerHex64(absl::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

const char* RoleName(Role role) {
  switch (role) {
    case Role::kSubmitter:
      return "submitter";
    case Role::kReviewer:
      return "reviewer";
    case Role::kAdmin:
      return "admin";
  }
  return "unknown";
}

absl::StatusOr<AuthTable> AuthTable::Parse(absl::string_view text,
                                           absl::string_view source) {
  AuthTable table;
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    auto bad = [&](absl::string_view why) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, ":", line_no, ": ", why));
    };
    if (fields.size() < 3) {
      return bad("expected \"<sha256-hex> <role> <name>\" or "
                 "\"x509:<common-name> <role> <name>\"");
    }
    std::optional<Role> role = ParseRole(fields[1]);
    if (!role) {
      return bad(absl::StrCat("role \"", fields[1],
                              "\" is not submitter, reviewer or admin"));
    }
    // The name is the rest of the line (it may contain spaces).
    const size_t name_at = fields[2].data() - line.data();
    Principal p{std::string(line.substr(name_at)), *role};
    if (absl::StartsWith(fields[0], "x509:")) {
      std::string cn(fields[0].substr(5));
      if (cn.empty()) return bad("x509: needs a certificate common name");
      if (!table.by_cert_.emplace(cn, p).second) {
        return bad(absl::StrCat("certificate name \"", cn, "\" listed twice"));
      }
      continue;
    }
    std::string hex = absl::AsciiStrToLower(fields[0]);
    if (!IsLowerHex64(hex)) {
      return bad("the first field must be the SHA-256 of the token as 64 hex "
                 "digits (sha256sum), never the token itself");
    }
    if (!table.by_sha256_.emplace(hex, p).second) {
      return bad("token listed twice");
    }
  }
  return table;
}

absl::StatusOr<AuthTable> AuthTable::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read auth tokens file ", path));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return Parse(buffer.str(), path);
}

std::optional<Principal> AuthTable::ForToken(absl::string_view token) const {
  auto it = by_sha256_.find(Sha256Hex(std::string_view(token.data(), token.size())));
  if (it == by_sha256_.end()) return std::nullopt;
  return it->second;
}

std::optional<Principal> AuthTable::ForCertificate(
    absl::string_view common_name) const {
  auto it = by_cert_.find(common_name);
  if (it == by_cert_.end()) return std::nullopt;
  return it->second;
}

}  // namespace ra
