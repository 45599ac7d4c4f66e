#include "util/sha256.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <memory>

namespace ra {
namespace {

// SHA256() looks the algorithm up and allocates a digest context on every
// call (OpenSSL 3); a digest of every document and of every finding's
// fingerprint makes that a visible cost. The algorithm is fetched once,
// and each thread reuses one context.
const EVP_MD* Sha256Algorithm() {
  static const EVP_MD* const kMd = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return kMd;
}

struct ContextFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

bool Digest(std::string_view bytes, unsigned char* digest) {
  const EVP_MD* md = Sha256Algorithm();
  if (md == nullptr) return false;
  thread_local std::unique_ptr<EVP_MD_CTX, ContextFree> ctx(EVP_MD_CTX_new());
  unsigned int size = 0;
  return ctx != nullptr && EVP_DigestInit_ex2(ctx.get(), md, nullptr) == 1 &&
         EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) == 1 &&
         EVP_DigestFinal_ex(ctx.get(), digest, &size) == 1 &&
         size == SHA256_DIGEST_LENGTH;
}

}  // namespace

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  if (!Digest(bytes, digest)) {
    SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(2 * SHA256_DIGEST_LENGTH, '0');
  for (int i = 0; i < SHA256_DIGEST_LENGTH; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0xf];
  }
  return out;
}

}  // namespace ra
