// core/gguf_writer.h — writes GGUF v3 files (for tests, benchmarks and tools; trove
// itself never modifies models).
//
// Usage:
//   GgufWriter w;
//   w.set_string("general.architecture", "llama");
//   w.set_u32("llama.block_count", 2);
//   w.copy_metadata(vocab_file, "tokenizer.");
//   TROVE_TRY(w.add_tensor("output_norm.weight", {256}, GgmlType::kF32, ones));
//   TROVE_TRY(w.add_random_tensor("token_embd.weight", {256, 32000}, GgmlType::kQ4_K, 0.02f, 1));
//   TROVE_TRY(w.write("model.gguf"));
//
// Metadata keeps insertion order; setting a key again replaces its value in place.
// Tensors are written in the order added. Random tensors are generated row by row
// while writing, so a multi-gigabyte model never sits in memory. write() goes to a
// temporary file in the same folder and renames it, so readers never see half a file.
// Not thread-safe; move-only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/ggml_type.h"
#include "core/gguf.h"
#include "core/result.h"

namespace trove {

class GgufWriter {
 public:
  // alignment must be a power of two; values other than 32 are recorded as
  // general.alignment.
  explicit GgufWriter(uint32_t alignment = 32);
  GgufWriter(GgufWriter&&) noexcept;
  GgufWriter& operator=(GgufWriter&&) noexcept;
  GgufWriter(const GgufWriter&) = delete;
  GgufWriter& operator=(const GgufWriter&) = delete;
  ~GgufWriter();

  void set_u8(std::string_view key, uint8_t v);
  void set_u32(std::string_view key, uint32_t v);
  void set_i32(std::string_view key, int32_t v);
  void set_u64(std::string_view key, uint64_t v);
  void set_i64(std::string_view key, int64_t v);
  void set_f32(std::string_view key, float v);
  void set_f64(std::string_view key, double v);
  void set_bool(std::string_view key, bool v);
  void set_string(std::string_view key, std::string_view v);
  void set_string_array(std::string_view key, std::span<const std::string_view> v);
  void set_string_array(std::string_view key, std::span<const std::string> v);
  void set_f32_array(std::string_view key, std::span<const float> v);
  void set_i32_array(std::string_view key, std::span<const int32_t> v);
  // Copies a value read from another file with its exact type.
  void set_value(std::string_view key, const GgufValue& v);
  // Copies every key of src that starts with prefix (e.g. "tokenizer."), in src order.
  void copy_metadata(const GgufFile& src, std::string_view prefix);
  void remove(std::string_view key);
  bool has(std::string_view key) const;

  // Adds a tensor from float data (n_elements floats, row-major, ne[0] contiguous),
  // quantized to type with the reference quantizers. Errors on a bad shape, a size
  // mismatch, a duplicate name or a type that cannot be produced.
  Status add_tensor(std::string_view name, std::vector<int64_t> ne, GgmlType type,
                    std::span<const float> data);
  // Adds already-encoded bytes (row_size(type, ne[0]) * rows of them).
  Status add_tensor_bytes(std::string_view name, std::vector<int64_t> ne, GgmlType type,
                          std::vector<uint8_t> bytes);
  // Adds a tensor of random floats, uniform in [-scale, scale], deterministic in seed,
  // quantized to type one row at a time during write().
  Status add_random_tensor(std::string_view name, std::vector<int64_t> ne, GgmlType type,
                           float scale, uint64_t seed);
  // Adds a tensor whose every element is value (norm weights, zero biases).
  Status add_constant_tensor(std::string_view name, std::vector<int64_t> ne, GgmlType type,
                             float value);

  size_t tensor_count() const;
  uint64_t data_bytes() const;  // sum of tensor sizes, without padding

  Status write(const std::string& path) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace trove
