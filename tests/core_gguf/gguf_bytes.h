// tests/core_gguf/gguf_bytes.h — a byte-level GGUF builder for hand-made (often broken)
// test files. It writes exactly the fields it is told to, with no validation, so a test
// can forge any count, length, type or offset.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "core/c_file.h"

namespace trove::test {

class GgufBytes {
 public:
  GgufBytes& u8(uint8_t v) { return raw(&v, 1); }
  GgufBytes& u16(uint16_t v) { return raw(&v, 2); }
  GgufBytes& u32(uint32_t v) { return raw(&v, 4); }
  GgufBytes& i32(int32_t v) { return raw(&v, 4); }
  GgufBytes& u64(uint64_t v) { return raw(&v, 8); }
  GgufBytes& i64(int64_t v) { return raw(&v, 8); }
  GgufBytes& f32(float v) { return raw(&v, 4); }
  GgufBytes& f64(double v) { return raw(&v, 8); }
  GgufBytes& str(std::string_view s) {
    u64(s.size());
    return raw(s.data(), s.size());
  }
  GgufBytes& raw(const void* p, size_t n) {
    buf_.append(static_cast<const char*>(p), n);
    return *this;
  }
  // Magic, version and the two counts.
  GgufBytes& header(uint64_t n_tensors, uint64_t n_kv, uint32_t version = 3) {
    buf_.append("GGUF", 4);
    u32(version);
    u64(n_tensors);
    return u64(n_kv);
  }
  // key + type tag; the caller appends the value.
  GgufBytes& key(std::string_view k, uint32_t type) {
    str(k);
    return u32(type);
  }
  GgufBytes& tensor(std::string_view name, std::initializer_list<int64_t> ne, uint32_t type,
                    uint64_t offset) {
    str(name);
    u32(static_cast<uint32_t>(ne.size()));
    for (int64_t n : ne) i64(n);
    u32(type);
    return u64(offset);
  }
  GgufBytes& pad_to(size_t alignment) {
    while (buf_.size() % alignment != 0) buf_.push_back('\0');
    return *this;
  }
  GgufBytes& zeros(size_t n) {
    buf_.append(n, '\0');
    return *this;
  }

  size_t size() const { return buf_.size(); }
  const std::string& bytes() const { return buf_; }

  bool write(const std::string& path) const {
    UniqueFile f(std::fopen(path.c_str(), "wb"));
    if (f == nullptr) return false;
    const bool ok = std::fwrite(buf_.data(), 1, buf_.size(), f.get()) == buf_.size();
    return close_file(f) && ok;
  }

 private:
  std::string buf_;
};

}  // namespace trove::test
