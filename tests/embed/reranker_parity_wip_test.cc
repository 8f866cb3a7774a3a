// Reranker scores within 1e-3 of llama.cpp (issue 16) on the fixtures that do not meet
// it yet: labelled wip. What is left is rounding noise, not a missing step: layer by
// layer the Q8_0 pass is bit-identical to llama.cpp's through the first attention,
// and the F16 pass differs only in the order of float sums (attention, the F16 GEMM),
// which flips fp16 / Q8_0 roundings of later activations; on these random-weight
// fixtures each flip moves a score by up to ~2e-3. llama.cpp itself moves F16 scores
// by up to 7.7e-4 when the same pair is scored alone instead of in one batch.
#include <gtest/gtest.h>

#include "reranker_test_util.h"

namespace trove {
namespace {

using test::expect_llama_scores;

TEST(Reranker, BertQ8_0ScoresMatchLlamaCpp) {
  expect_llama_scores("bert-rerank", "q8_0", /*passage_type_1=*/false);
}
TEST(Reranker, BertF16ScoresMatchLlamaCpp) {
  expect_llama_scores("bert-rerank", "f16", /*passage_type_1=*/false);
}
TEST(Reranker, XlmrF16ScoresMatchLlamaCpp) {
  expect_llama_scores("xlmr-rerank", "f16", /*passage_type_1=*/true);
}

}  // namespace
}  // namespace trove
