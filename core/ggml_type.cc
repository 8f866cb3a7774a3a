// core/ggml_type.cc — the block geometry table for every GGML type trove knows.
// Sizes follow the block structs of the GGUF format (ggml's type_traits): a block of
// block_size elements occupies type_size bytes.
#include "core/ggml_type.h"

#include <array>
#include <cassert>

namespace trove {
namespace {

struct Entry {
  uint32_t id;
  TypeTraits traits;
};

// Q8_1 and Q8_K are activation formats: files may name them, but no model ships
// weights in them, so trove does not multiply them.
constexpr std::array<Entry, 15> kTable = {{
    {0, {"f32", 1, 4, true}},
    {1, {"f16", 1, 2, true}},
    {2, {"q4_0", 32, 18, true}},      // f16 d + 16 nibble bytes
    {3, {"q4_1", 32, 20, true}},      // f16 d, m + 16
    {6, {"q5_0", 32, 22, true}},      // f16 d + 4 high bits + 16
    {7, {"q5_1", 32, 24, true}},      // f16 d, m + 4 + 16
    {8, {"q8_0", 32, 34, true}},      // f16 d + 32 int8
    {9, {"q8_1", 32, 36, false}},     // f16 d, s + 32 int8
    {10, {"q2_K", 256, 84, true}},    // 16 scales + 64 qs + f16 d, dmin
    {11, {"q3_K", 256, 110, true}},   // 32 hmask + 64 qs + 12 scales + f16 d
    {12, {"q4_K", 256, 144, true}},   // f16 d, dmin + 12 scales + 128 qs
    {13, {"q5_K", 256, 176, true}},   // f16 d, dmin + 12 scales + 32 qh + 128 qs
    {14, {"q6_K", 256, 210, true}},   // 128 ql + 64 qh + 16 scales + f16 d
    {15, {"q8_K", 256, 292, false}},  // f32 d + 256 int8 + 16 int16 sums
    {30, {"bf16", 1, 2, true}},
}};

}  // namespace

const TypeTraits* type_traits(uint32_t raw_type) {
  for (const Entry& e : kTable) {
    if (e.id == raw_type) return &e.traits;
  }
  return nullptr;
}

size_t row_size(GgmlType t, int64_t n) {
  const TypeTraits* tt = type_traits(t);
  assert(tt != nullptr);
  assert(n >= 0 && n % tt->block_size == 0);
  return static_cast<size_t>(n / tt->block_size) * tt->type_size;
}

}  // namespace trove
