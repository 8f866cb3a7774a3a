// embed/embedder.h — the embedding API used by index/ and cli/.
//
//   auto emb = trove::Embedder::open("bge-small-en-v1.5-q8_0.gguf", {});
//   if (!emb.ok()) { /* emb.error().message names the file and what is wrong */ }
//   std::vector<float> q = (*emb)->embed_query("how do I renew my passport?");
//   auto docs = (*emb)->embed_documents({"chunk one", "chunk two"});
//
// Owns the mapped GGUF file, its tokenizer (WordPiece, or SentencePiece Unigram for
// the XLM-R family), the encoder and a thread pool.
// Vectors are pooled and L2-normalised (inner product = cosine), dim() floats each.
//
// Prefixes: retrieval models are trained with instructions in front of queries and/or
// passages. The model family is recognised from general.name, general.basename or the
// file name (bge, e5, nomic, arctic-embed, MiniLM); embed_query / embed_documents add
// the family's prefixes, embed_texts adds none. The index stores family() and the
// prefixes with the model so that vectors stay comparable.
//
// Texts longer than the model's context are truncated (keeping [SEP]).
// Thread safety: every method may be called from any thread; embed_* calls on one
// Embedder take turns (they share its thread pool), so a searcher may share one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/gguf.h"
#include "core/result.h"
#include "core/thread_pool.h"
#include "embed/encoder.h"
#include "embed/model_family.h"
#include "embed/sequence_tokenizer.h"

namespace trove {

struct EmbedderParams {
  int n_threads = 0;                // 0: default_thread_count()
  int64_t max_batch_tokens = 4096;  // tokens per forward pass (bounds scratch memory)
};

class Embedder {
 public:
  static Result<std::unique_ptr<Embedder>> open(const std::string& gguf_path,
                                                EmbedderParams params = {});

  Embedder(const Embedder&) = delete;
  Embedder& operator=(const Embedder&) = delete;
  ~Embedder();

  int dim() const { return static_cast<int>(encoder_->hparams().n_embd); }
  std::string arch() const { return encoder_->hparams().arch; }
  std::string model_name() const { return model_name_; }
  const EmbeddingPrefixes& prefixes() const { return prefixes_; }
  const std::string& family() const { return prefixes_.family; }
  const std::string& query_prefix() const { return prefixes_.query; }
  const std::string& document_prefix() const { return prefixes_.document; }

  // The query with the family's query prefix.
  std::vector<float> embed_query(std::string_view text);
  // Each text with the family's document prefix; results in input order.
  std::vector<std::vector<float>> embed_documents(const std::vector<std::string>& texts);
  // Texts as given, no prefix; results in input order.
  std::vector<std::vector<float>> embed_texts(const std::vector<std::string>& texts);

  // Tokens `text` costs (no prefix, no [CLS]/[SEP]).
  size_t count_tokens(std::string_view text) const { return tokenizer_->count_tokens(text); }
  // Longest text, in count_tokens() units, that embed_documents embeds whole: the
  // context minus [CLS], [SEP] and the document prefix.
  int max_tokens() const;

  const SequenceTokenizer& tokenizer() const { return *tokenizer_; }
  const Encoder& encoder() const { return *encoder_; }
  Encoder& encoder() { return *encoder_; }

 private:
  Embedder(GgufFile file, std::unique_ptr<SequenceTokenizer> tokenizer, EmbedderParams params);
  std::vector<std::vector<float>> embed_with_prefix(const std::vector<std::string>& texts,
                                                    std::string_view prefix);

  GgufFile file_;  // the encoder's weights point into its mapping
  std::unique_ptr<SequenceTokenizer> tokenizer_;
  std::unique_ptr<Encoder> encoder_;
  std::unique_ptr<ThreadPool> pool_;
  std::mutex pool_mutex_;  // the pool runs one parallel_for at a time
  EmbedderParams params_;
  EmbeddingPrefixes prefixes_;
  std::string model_name_;
};

}  // namespace trove
