// SHA-256 of a byte string, as lowercase hex (64 characters).
#ifndef RA_UTIL_SHA256_H_
#define RA_UTIL_SHA256_H_

#include <string>
#include <string_view>

namespace ra {

std::string Sha256Hex(std::string_view bytes);

}  // namespace ra

#endif  // RA_UTIL_SHA256_H_
