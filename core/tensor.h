// core/tensor.h — a non-owning view of a 2-D weight matrix in any GGML type.
// Rows are contiguous; `cols` (GGUF ne[0]) is the reduction dimension of a matmul.
#pragma once

#include <cstdint>

#include "core/ggml_type.h"
#include "core/gguf.h"

namespace trove {

struct TensorView {
  GgmlType type = GgmlType::kF32;
  int64_t rows = 0;  // output features (GGUF ne[1] * ne[2] * ne[3])
  int64_t cols = 0;  // input features (GGUF ne[0])
  const void* data = nullptr;
  size_t row_bytes = 0;

  const void* row(int64_t r) const {
    return static_cast<const uint8_t*>(data) + static_cast<size_t>(r) * row_bytes;
  }
  static TensorView of(const GgufTensorInfo& t) {
    return TensorView{t.type, t.n_rows(), t.ne[0], t.data, row_size(t.type, t.ne[0])};
  }
};

}  // namespace trove
