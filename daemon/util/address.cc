#include "util/address.h"

#include <unistd.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace ra {

std::string DefaultServerAddress() {
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  if (runtime != nullptr && runtime[0] == '/') {
    return absl::StrCat("unix:", runtime, "/redaction-audit.sock");
  }
  return absl::StrCat("unix:/tmp/redaction-audit-", getuid(), ".sock");
}

}  // namespace ra
