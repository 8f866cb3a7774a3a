// embed/reranker.h — cross-encoder reranking: one relevance score per (query, passage).
//
//   auto rr = trove::Reranker::open("bge-reranker-v2-m3-q8_0.gguf", {});
//   if (!rr.ok()) { /* names the file and what is wrong */ }
//   std::vector<float> s = (*rr)->score("how do I renew my passport?", passages);
//
// A reranker is an encoder GGUF (bert, XLM-R as bert) with a classification head
// (embed/cls_head.h; pooling_type 4 "rank" in files converted for it). Query and
// passage are read together, framed as the model was trained (sequence_tokenizer.h:
// [CLS] q [SEP] p [SEP] with token types 0/1, or <s> q </s></s> p </s>), truncated
// to the context from the longer half first. Pairs are sorted by length and packed
// into forward passes of at most max_batch_tokens, so 30 passages cost a few
// matmuls over all their tokens rather than 30 small ones.
//
// Token types: the passage half gets type 1 when the file has two types, as the
// Hugging Face tokenizer and the trained model have it. llama.cpp (c392e5094) adds
// type 0 everywhere, which measurably reorders results of BERT cross-encoders such as
// ms-marco-MiniLM; passage_type_1 = false reproduces it for comparisons.
//
// Scores are raw logits (higher is more relevant), comparable within one model.
// Thread safety: score calls on one Reranker take turns (they share its pool).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/gguf.h"
#include "core/result.h"
#include "core/thread_pool.h"
#include "embed/cls_head.h"
#include "embed/encoder.h"
#include "embed/sequence_tokenizer.h"

namespace trove {

struct RerankerParams {
  int n_threads = 0;                // 0: default_thread_count()
  int64_t max_batch_tokens = 4096;  // tokens per forward pass (bounds scratch memory)
  size_t max_pair_tokens = 0;       // 0: the model's context
  bool passage_type_1 = true;       // see the header comment
};

class Reranker {
 public:
  static Result<std::unique_ptr<Reranker>> open(const std::string& gguf_path,
                                                RerankerParams params = {});
  Reranker(const Reranker&) = delete;
  Reranker& operator=(const Reranker&) = delete;
  ~Reranker();

  // One score per passage, in input order.
  std::vector<float> score(std::string_view query, const std::vector<std::string>& passages);
  // Scores of already-framed pairs (ids and types), in input order.
  std::vector<float> score_pairs(const std::vector<TokenizedPair>& pairs);
  // The framed, truncated input score() builds for one pair.
  TokenizedPair tokenize(std::string_view query, std::string_view passage) const;

  const std::string& path() const { return path_; }
  const std::string& model_name() const { return model_name_; }
  const SequenceTokenizer& tokenizer() const { return *tokenizer_; }
  const Encoder& encoder() const { return *encoder_; }
  Encoder& encoder() { return *encoder_; }

 private:
  Reranker(GgufFile file, RerankerParams params);

  GgufFile file_;  // the encoder's and head's weights point into its mapping
  RerankerParams params_;
  std::unique_ptr<SequenceTokenizer> tokenizer_;
  std::unique_ptr<Encoder> encoder_;
  ClsHead head_;
  std::unique_ptr<ThreadPool> pool_;
  std::mutex pool_mutex_;
  std::string path_, model_name_;
};

}  // namespace trove
