// The daemon's default listen address, shared by daemon and CLI so that
// both agree without configuration.
#ifndef RA_UTIL_ADDRESS_H_
#define RA_UTIL_ADDRESS_H_

#include <string>

namespace ra {

// "unix:$XDG_RUNTIME_DIR/redaction-audit.sock" when XDG_RUNTIME_DIR is set,
// else "unix:/tmp/redaction-audit-<uid>.sock".
std::string DefaultServerAddress();

}  // namespace ra

#endif  // RA_UTIL_ADDRESS_H_
