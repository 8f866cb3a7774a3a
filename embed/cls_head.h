// embed/cls_head.h — the sequence-classification head of a cross-encoder, as
// llama.cpp's rank pooling applies it to the final hidden state of each sequence's
// first token ([CLS] / <s>):
//
//   score = cls.output · tanh(cls · x + cls.bias) + cls.output.bias
//
// (RoBERTa's classifier.dense/out_proj; BERT's pooler + classifier.) Without
// cls.output (jina-reranker-v1) the score is tanh(cls · x + cls.bias)[0], as there.
// Holds views into the GgufFile it was loaded from.
#pragma once

#include <cstdint>
#include <vector>

#include "core/gguf.h"
#include "core/result.h"
#include "core/tensor.h"
#include "core/thread_pool.h"

namespace trove {

class ClsHead {
 public:
  // Errors name the file and tensor: no cls.weight means the file is no reranker.
  static Result<ClsHead> load(const GgufFile& file, int64_t n_embd);

  // One score per row of x [n][n_embd].
  std::vector<float> score(const float* x, int64_t n, ThreadPool* pool) const;

 private:
  TensorView dense_;
  const float* dense_b_ = nullptr;
  TensorView out_;  // rows == 0 when absent
  const float* out_b_ = nullptr;
};

}  // namespace trove
