// embed/cls_head.cc — see cls_head.h.
#include "embed/cls_head.h"

#include <cmath>
#include <string>

#include "embed/reference_matmul.h"

namespace trove {
namespace {

Result<TensorView> head_matrix(const GgufFile& file, const char* name, int64_t cols, int64_t rows) {
  const GgufTensorInfo* t = file.find_tensor(name);
  if (t == nullptr) return make_error(file.path() + ": missing tensor " + std::string(name));
  const TypeTraits* traits = type_traits(t->type);
  // A [n_embd, 1] matrix is often stored with one dimension: its rows are implied.
  if (traits == nullptr || !traits->supported || t->ne[0] != cols || t->n_rows() != rows ||
      t->n_dims > 2) {
    return make_error(
        file.path() + ": tensor " + std::string(name) + " has shape [" + std::to_string(t->ne[0]) +
        ", " + std::to_string(t->n_rows()) + "], expected [" + std::to_string(cols) + ", " +
        std::to_string(rows) + "] of a supported type" +
        (std::string(name) == "cls.output.weight" ? " (trove reads one relevance score per pair)"
                                                  : ""));
  }
  return TensorView::of(*t);
}

Result<const float*> head_bias(const GgufFile& file, const char* name, int64_t n) {
  const GgufTensorInfo* t = file.find_tensor(name);
  if (t == nullptr) return make_error(file.path() + ": missing tensor " + std::string(name));
  if (t->type != GgmlType::kF32 || t->n_elements() != n) {
    return make_error(file.path() + ": tensor " + std::string(name) + " has " +
                      std::to_string(t->n_elements()) + " elements, expected f32 with " +
                      std::to_string(n));
  }
  return static_cast<const float*>(t->data);
}

}  // namespace

Result<ClsHead> ClsHead::load(const GgufFile& file, int64_t n_embd) {
  if (file.find_tensor("cls.weight") == nullptr) {
    return make_error(file.path() +
                      ": no classification head (tensor cls.weight); not a reranker (a "
                      "cross-encoder converted with its classifier)");
  }
  ClsHead h;
  auto dense = head_matrix(file, "cls.weight", n_embd, n_embd);
  if (!dense.ok()) return dense.error();
  h.dense_ = *dense;
  auto dense_b = head_bias(file, "cls.bias", n_embd);
  if (!dense_b.ok()) return dense_b.error();
  h.dense_b_ = *dense_b;
  if (file.find_tensor("cls.output.weight") != nullptr) {
    auto out = head_matrix(file, "cls.output.weight", n_embd, 1);
    if (!out.ok()) return out.error();
    h.out_ = *out;
    auto out_b = head_bias(file, "cls.output.bias", 1);
    if (!out_b.ok()) return out_b.error();
    h.out_b_ = *out_b;
  }
  return h;
}

std::vector<float> ClsHead::score(const float* x, int64_t n, ThreadPool* pool) const {
  const int64_t E = dense_.rows;
  std::vector<float> hidden(static_cast<size_t>(n * E));
  reference_matmul(dense_, x, n, hidden.data(), pool);
  for (int64_t r = 0; r < n; ++r) {
    float* row = hidden.data() + r * E;
    for (int64_t c = 0; c < E; ++c) row[c] = std::tanh(row[c] + dense_b_[c]);
  }
  std::vector<float> scores(static_cast<size_t>(n));
  if (out_.rows == 0) {
    for (int64_t r = 0; r < n; ++r)
      scores[static_cast<size_t>(r)] = hidden[static_cast<size_t>(r * E)];
    return scores;
  }
  reference_matmul(out_, hidden.data(), n, scores.data(), pool);
  for (float& s : scores) s += out_b_[0];
  return scores;
}

}  // namespace trove
