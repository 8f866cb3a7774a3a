// core/sha256.h — SHA-256 of byte streams and files (OpenSSL EVP behind an RAII type).
// Used to pin downloaded models and to tell registered model files apart.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"

namespace trove {

class Sha256 {
 public:
  Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  ~Sha256();

  void update(std::span<const uint8_t> bytes);
  void update(std::string_view bytes);
  // Lower-case hex of the digest; the object is finished afterwards.
  std::string hex_digest();

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

std::string sha256_hex(std::string_view bytes);
// Streams the file (never maps or loads it whole). Errors name the file.
Result<std::string> sha256_file(const std::string& path);

}  // namespace trove
