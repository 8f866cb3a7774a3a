// core/sha256.cc — SHA-256 through OpenSSL's EVP interface.
#include "core/sha256.h"

#include <openssl/evp.h>

#include <cassert>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "core/c_file.h"

namespace trove {

struct Sha256::Ctx {
  struct Free {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  };
  std::unique_ptr<EVP_MD_CTX, Free> md{EVP_MD_CTX_new()};
};

Sha256::Sha256() : ctx_(std::make_unique<Ctx>()) {
  // Allocation failure inside OpenSSL is not an expected condition: treat as a bug.
  [[maybe_unused]] const int ok = EVP_DigestInit_ex(ctx_->md.get(), EVP_sha256(), nullptr);
  assert(ctx_->md && ok == 1);
}
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;
Sha256::~Sha256() = default;

void Sha256::update(std::span<const uint8_t> bytes) {
  EVP_DigestUpdate(ctx_->md.get(), bytes.data(), bytes.size());
}

void Sha256::update(std::string_view bytes) {
  EVP_DigestUpdate(ctx_->md.get(), bytes.data(), bytes.size());
}

std::string Sha256::hex_digest() {
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx_->md.get(), d, &n);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(size_t{2} * n);
  for (unsigned int i = 0; i < n; ++i) {
    out.push_back(kHex[d[i] >> 4]);
    out.push_back(kHex[d[i] & 15]);
  }
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 h;
  h.update(bytes);
  return h.hex_digest();
}

Result<std::string> sha256_file(const std::string& path) {
  UniqueFile f(std::fopen(path.c_str(), "rb"));
  if (!f) return make_error(path + ": cannot open: " + std::strerror(errno));
  Sha256 h;
  std::vector<uint8_t> buf(1 << 20);
  size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), f.get())) > 0) {
    h.update(std::span<const uint8_t>(buf.data(), n));
  }
  if (std::ferror(f.get())) return make_error(path + ": read error: " + std::strerror(errno));
  return h.hex_digest();
}

}  // namespace trove
