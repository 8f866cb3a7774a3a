// index/content_hash.cc — SHA-256 through OpenSSL EVP (see content_hash.h).
#include "index/content_hash.h"

#include <openssl/evp.h>

#include <cassert>
#include <memory>

namespace trove::index {

std::string sha256_hex(std::string_view bytes) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  [[maybe_unused]] bool ok = ctx && EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) == 1 &&
                             EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) == 1 &&
                             EVP_DigestFinal_ex(ctx.get(), digest, &len) == 1;
  assert(ok && len == 32);  // only fails when out of memory
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size_t{2} * len);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

}  // namespace trove::index
