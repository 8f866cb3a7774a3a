// generate/tokenizer.h — text <-> token ids for decoder models (SentencePiece and
// byte-level BPE vocabularies read from GGUF).
//
// Usage:
//   auto tok = Tokenizer::from_gguf(file);          // Result<std::unique_ptr<Tokenizer>>
//   auto ids = (*tok)->encode(text, (*tok)->add_bos_default(), /*parse_special=*/false);
//   ChatPrompt p = ChatFormat::from_gguf(file).render(messages, true);  // chat_format.h
//   auto chat = (*tok)->encode_with_special_spans(p.text, (*tok)->add_bos_default(),
//                                                 p.template_spans);
//   std::string back = (*tok)->decode(ids);
//
// parse_special=true turns control/unknown token text ("<|im_start|>") into those
// tokens anywhere in the text; chat prompts should rather use encode_with_special_spans,
// which allows them only in the template's own text. Document and user text
// must be encoded with parse_special=false so it can never inject a control token
// (user-defined tokens are still matched, as the reference tokenizers do; they are
// ordinary vocabulary, not control).
// A Tokenizer is immutable after from_gguf(): encode/decode are safe from many threads.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/gguf.h"
#include "core/result.h"
#include "generate/pretokenize.h"
#include "generate/vocab.h"

namespace trove {

// One piece of text after special-token partitioning: either a token or a byte range.
struct Fragment {
  int32_t token = -1;  // >= 0: a special token
  size_t begin = 0, end = 0;
};

class Tokenizer {
 public:
  // Chooses the implementation from tokenizer.ggml.model: "llama" (SentencePiece) or
  // "gpt2" (byte-level BPE). "bert" vocabularies belong to embed/wordpiece.h.
  static Result<std::unique_ptr<Tokenizer>> from_gguf(const GgufFile& file);

  virtual ~Tokenizer() = default;
  Tokenizer(const Tokenizer&) = delete;
  Tokenizer& operator=(const Tokenizer&) = delete;

  // add_bos: prepend BOS (and append EOS where the vocabulary asks for it).
  virtual std::vector<int32_t> encode(std::string_view text, bool add_bos,
                                      bool parse_special) const;
  // As encode(parse_special=true), but special tokens are recognised only where they
  // lie wholly inside one of `special_spans` (the template parts of a ChatPrompt).
  std::vector<int32_t> encode_with_special_spans(std::string_view text, bool add_bos,
                                                 std::span<const ByteSpan> special_spans) const;

  // The bytes a token stands for in output text: "▁" becomes a space (SPM), byte
  // tokens and byte-level BPE characters become their bytes. Control and unknown
  // tokens yield "" unless `special`, then their text.
  std::string token_text(int32_t id, bool special = false) const;
  // Concatenated token_text; with `strip_leading_space` (default: the vocabulary adds a
  // space prefix) the first token loses one leading space, as llama.cpp's detokenizer.
  std::string decode(std::span<const int32_t> ids, bool special = false) const;
  std::string decode(std::span<const int32_t> ids, bool special, bool strip_leading_space) const;

  int32_t bos() const { return vocab_.bos; }
  int32_t eos() const { return vocab_.eos; }
  bool is_eog(int32_t id) const { return vocab_.is_eog(id); }
  bool is_control(int32_t id) const { return vocab_.valid(id) && vocab_.is_control(id); }
  int32_t token_id(std::string_view text) const { return vocab_.find(text); }
  size_t n_vocab() const { return vocab_.size(); }
  bool add_bos_default() const { return vocab_.add_bos; }
  bool add_space_prefix() const { return vocab_.add_space_prefix; }
  const Vocab& vocab() const { return vocab_; }

 protected:
  explicit Tokenizer(Vocab vocab) : vocab_(std::move(vocab)) {}

  // Tokenizes text that contains no special tokens; `after_special` is true for the
  // first fragment and for fragments that follow a special token.
  virtual void encode_fragment(std::string_view text, bool after_special,
                               std::vector<int32_t>& out) const = 0;
  // Output bytes of a normal (not special, not byte) token.
  virtual std::string normal_token_text(int32_t id) const = 0;

  Vocab vocab_;

 private:
  std::vector<int32_t> encode_fragments(std::string_view text, bool add_bos,
                                        const std::vector<Fragment>& frags) const;
};

// "<0xAB>" -> 0xAB; -1 for any other text.
int parse_byte_token(std::string_view text);

// llama.cpp's tokenizer_st_partition: for each special token, longest first, split
// every remaining text fragment at its occurrences. Without parse_special only
// user-defined tokens are split out.
// With `allowed` non-null, control tokens match only inside those byte ranges.
std::vector<Fragment> partition_specials(const Vocab& vocab, std::string_view text,
                                         bool parse_special, std::span<const ByteSpan> allowed = {},
                                         bool restrict_to_allowed = false);

}  // namespace trove
