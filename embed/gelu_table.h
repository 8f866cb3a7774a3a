// embed/gelu_table.h — GELU as the reference engine computes it for BERT on CPU.
//
// ggml rounds each input to fp16 and looks the result up in a 65,536-entry table of
// fp16(gelu_tanh(x)) (computed with the fma GCC puts in ggml's formula), with exact
// limits outside (-10, 10). Doing the same here matches
// the reference's numbers more closely than the float formula and is several times
// faster than evaluating tanh per element (GELU runs over rows x n_ff values per
// layer). The table is built once from core's gelu(), so the formula lives in one place.
#pragma once

#include <cstdint>
#include <vector>

namespace trove {

class GeluTable {
 public:
  // The process-wide table (built on first use; thread-safe).
  static const GeluTable& get();

  // x[i] = gelu(x[i]) through the table.
  void apply(float* x, int64_t n) const;

 private:
  GeluTable();
  std::vector<float> table_;  // indexed by the fp16 bit pattern of the input
};

}  // namespace trove
