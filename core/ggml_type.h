// core/ggml_type.h — tensor element types as numbered in GGUF files, and their
// block geometry. The numbering is the file format's; never renumber.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace trove {

enum class GgmlType : uint32_t {
  kF32 = 0,
  kF16 = 1,
  kQ4_0 = 2,
  kQ4_1 = 3,
  kQ5_0 = 6,
  kQ5_1 = 7,
  kQ8_0 = 8,
  kQ8_1 = 9,
  kQ2_K = 10,
  kQ3_K = 11,
  kQ4_K = 12,
  kQ5_K = 13,
  kQ6_K = 14,
  kQ8_K = 15,
  kBF16 = 30,
};

struct TypeTraits {
  std::string_view name;  // "q4_K", as llama.cpp prints it
  int64_t block_size;     // elements per block (1 for float types)
  size_t type_size;       // bytes per block
  bool supported;         // trove can dequantize and multiply it
};

// Traits for a raw type id read from a file; nullptr when the id is unknown.
const TypeTraits* type_traits(uint32_t raw_type);
inline const TypeTraits* type_traits(GgmlType t) { return type_traits(static_cast<uint32_t>(t)); }

// Bytes of one row of n elements; n must be a multiple of the block size.
size_t row_size(GgmlType t, int64_t n);

}  // namespace trove
