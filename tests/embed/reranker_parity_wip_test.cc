// Reranker scores within 1e-3 of llama.cpp (issue 16) on the one fixture that does not
// meet it yet, bert-rerank F16 (labelled wip): 7 of its 8 pairs are within 7.7e-4, pair
// 0 is 2.6e-3 off. What is left is rounding noise, not a missing step: Q, K and V are
// bit-identical to llama.cpp's (F16 products in its order, embed/f16_gemm.h); the attention's float
// sums are not (ggml's vec_dot order depends on where a sequence sits in its batch), and
// a last-bit difference there flips the fp16 rounding of the next activation, which this
// random-weight fixture amplifies. llama.cpp itself moves this fixture's scores by up to
// 7.7e-4 when a pair is scored alone instead of in one batch.
#include <gtest/gtest.h>

#include "reranker_test_util.h"

namespace trove {
namespace {

using test::expect_llama_scores;

TEST(Reranker, BertF16ScoresMatchLlamaCpp) {
  expect_llama_scores("bert-rerank", "f16", /*passage_type_1=*/false);
}

}  // namespace
}  // namespace trove
