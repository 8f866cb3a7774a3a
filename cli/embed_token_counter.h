// cli/embed_token_counter.h — the chunker's token budget measured with the embedding
// model's own tokenizer, so every chunk fits the model it will be embedded with.
#pragma once

#include <string_view>

#include "embed/embedder.h"
#include "ingest/token_counter.h"

namespace trove::cli {

class EmbedTokenCounter final : public ingest::TokenCounter {
 public:
  explicit EmbedTokenCounter(const Embedder& e) : embedder_(e) {}
  int count(std::string_view text) const override {
    return static_cast<int>(embedder_.count_tokens(text));
  }

 private:
  const Embedder& embedder_;
};

}  // namespace trove::cli
