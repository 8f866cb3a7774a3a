// index/content_hash.h — the content hash that decides "same file" across runs.
//
// SHA-256 of the file's bytes, as 64 lowercase hex digits. Uses OpenSSL's EVP
// interface (core/sha256.h did not exist when this was written).
#pragma once

#include <string>
#include <string_view>

namespace trove::index {

std::string sha256_hex(std::string_view bytes);

}  // namespace trove::index
