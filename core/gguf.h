// core/gguf.h — read-only, memory-mapped GGUF (v2, v3) files.
//
// open() validates everything before returning: every count, string length, array
// size, tensor dimension, type, alignment and offset+size is checked against the file
// size, so a returned GgufFile never points outside its mapping. Errors name the file,
// the key or tensor, and what was expected versus found.
// Tensors are views into the mapping: no copies. A GgufFile is move-only and
// immutable after open(), so it is safe to share between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/ggml_type.h"
#include "core/result.h"

namespace trove {

enum class GgufValueType : uint32_t {
  kUint8 = 0,
  kInt8 = 1,
  kUint16 = 2,
  kInt16 = 3,
  kUint32 = 4,
  kInt32 = 5,
  kFloat32 = 6,
  kBool = 7,
  kString = 8,
  kArray = 9,
  kUint64 = 10,
  kInt64 = 11,
  kFloat64 = 12,
};
std::string_view gguf_type_name(GgufValueType t);
// Encoded bytes of one scalar or array element of type t; 0 for string and array.
uint64_t gguf_fixed_size(GgufValueType t);

// One metadata value. Scalars are widened into one of the three number fields;
// arrays keep their element type and a pointer into the mapping (numbers, little
// endian, packed) or a list of string views (strings).
struct GgufValue {
  GgufValueType type = GgufValueType::kUint8;
  uint64_t u = 0;        // unsigned integers and bool
  int64_t i = 0;         // signed integers (also set for unsigned ones that fit)
  double f = 0;          // floats (also set for integers)
  std::string_view str;  // kString
  GgufValueType elem_type = GgufValueType::kUint8;  // kArray
  uint64_t count = 0;                               // kArray
  const uint8_t* array_data = nullptr;              // kArray of numbers/bools
  std::vector<std::string_view> strings;            // kArray of strings
};

struct GgufTensorInfo {
  std::string name;
  GgmlType type = GgmlType::kF32;
  int n_dims = 0;
  int64_t ne[4] = {1, 1, 1, 1};  // ne[0] is the contiguous (row) dimension
  uint64_t offset = 0;           // from the start of the data section
  uint64_t nbytes = 0;
  const void* data = nullptr;  // into the mapping

  int64_t n_elements() const { return ne[0] * ne[1] * ne[2] * ne[3]; }
  int64_t n_rows() const { return ne[1] * ne[2] * ne[3]; }
};

class GgufFile {
 public:
  static Result<GgufFile> open(const std::string& path);

  GgufFile(GgufFile&&) noexcept;
  GgufFile& operator=(GgufFile&&) noexcept;
  GgufFile(const GgufFile&) = delete;
  GgufFile& operator=(const GgufFile&) = delete;
  ~GgufFile();

  const std::string& path() const;
  uint32_t version() const;
  uint64_t file_size() const;
  uint64_t alignment() const;

  // Metadata, in file order.
  const std::vector<std::pair<std::string, GgufValue>>& metadata() const;
  const GgufValue* find(std::string_view key) const;
  bool has(std::string_view key) const { return find(key) != nullptr; }

  // Typed getters: an error names the file and key when it is missing or has a type
  // that cannot represent the request (any integer type is accepted for integers if
  // the value fits; any number type for floats).
  Result<uint64_t> get_uint(std::string_view key) const;
  Result<int64_t> get_int(std::string_view key) const;
  Result<double> get_float(std::string_view key) const;
  Result<bool> get_bool(std::string_view key) const;
  Result<std::string_view> get_string(std::string_view key) const;
  Result<std::span<const std::string_view>> get_string_array(std::string_view key) const;
  Result<std::vector<float>> get_float_array(std::string_view key) const;
  Result<std::vector<int64_t>> get_int_array(std::string_view key) const;

  // Defaults for optional keys (a present key of the wrong type also yields the default).
  uint64_t uint_or(std::string_view key, uint64_t dflt) const;
  double float_or(std::string_view key, double dflt) const;
  bool bool_or(std::string_view key, bool dflt) const;
  std::string_view string_or(std::string_view key, std::string_view dflt) const;

  // Tensors, in file order.
  const std::vector<GgufTensorInfo>& tensors() const;
  const GgufTensorInfo* find_tensor(std::string_view name) const;

 private:
  struct Impl;
  explicit GgufFile(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace trove
