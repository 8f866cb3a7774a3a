// embed/sequence_tokenizer.h — the tokenizer of an encoder model, whichever kind its
// GGUF carries: WordPiece (tokenizer.ggml.model "bert") or SentencePiece Unigram
// ("t5", the XLM-RoBERTa family), with the model's sequence framing.
//
//   single:  [CLS] a [SEP]            <s> a </s>  (as add_bos/add_eos_token say)
//   pair:    [CLS] a [SEP] b [SEP]    <s> a </s></s> b </s>   (RoBERTa's pair form)
//            types 0 … 0  1 … 1       types all 0 (XLM-R has one token type)
//
// The pair forms are those of the Hugging Face tokenizers the models were trained
// with; a pair longer than the limit loses tokens from its longer half first
// ("longest_first"), so a short query survives a long passage whole.
// Immutable after from_gguf(); const methods are safe from several threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "core/gguf.h"
#include "core/result.h"

namespace trove {

struct TokenizedPair {
  std::vector<int32_t> ids;
  std::vector<int32_t> types;  // token type (segment) of each id
};

class SequenceTokenizer {
 public:
  // Errors name the file and what is missing; a vocabulary of another kind (llama,
  // gpt2) says which kinds encoders use.
  static Result<std::unique_ptr<SequenceTokenizer>> from_gguf(const GgufFile& file);

  virtual ~SequenceTokenizer() = default;

  // Ids of text, framed when add_special; max_tokens > 0 truncates, keeping the
  // closing token.
  std::vector<int32_t> encode(std::string_view text, bool add_special, size_t max_tokens = 0) const;
  // The cross-encoder input for (a, b) in at most max_tokens (0: no limit).
  TokenizedPair encode_pair(std::string_view a, std::string_view b, size_t max_tokens) const;
  // Ids encode(text, false) returns.
  virtual size_t count_tokens(std::string_view text) const = 0;
  virtual size_t vocab_size() const = 0;
  // "wordpiece" or "unigram".
  virtual const char* kind() const = 0;

 protected:
  SequenceTokenizer() = default;
  // Ids of text without framing.
  virtual std::vector<int32_t> encode_plain(std::string_view text) const = 0;

  int32_t open_id_ = -1;   // [CLS] / <s>; -1: none
  int32_t close_id_ = -1;  // [SEP] / </s>; -1: none
  bool roberta_pairs_ = false;
};

}  // namespace trove
