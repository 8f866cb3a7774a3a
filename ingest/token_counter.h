// ingest/token_counter.h — how the chunker measures text against a token budget.
//
// The budget belongs to the embedding model, so the model's tokenizer should implement
// TokenCounter; WordTokenCounter is the model-free approximation used until one is
// loaded, and in tests.
#pragma once

#include <string_view>

namespace trove::ingest {

class TokenCounter {
 public:
  virtual ~TokenCounter() = default;
  // Number of tokens `text` costs. Must be additive enough that
  // count(a + " " + b) <= count(a) + count(b) + 1 holds approximately.
  virtual int count(std::string_view text) const = 0;
};

// Approximation of a WordPiece/BPE tokenizer without a vocabulary:
// each run of letters/digits (a "word") costs 1 token plus 1 per further 4 bytes past
// the first 6 (long words split into several pieces); each punctuation or symbol
// character costs 1; each non-ASCII codepoint in a CJK-like script (no spaces between
// words) costs 1. On English prose this lands near 1.3 tokens per word.
class WordTokenCounter final : public TokenCounter {
 public:
  int count(std::string_view text) const override;
};

}  // namespace trove::ingest
