// generate/spm_tokenizer.h — SentencePiece BPE (tokenizer.ggml.model = "llama").
//
// Spaces become "▁" (U+2581) and a fragment that starts the text or follows a special
// token gets a space prefix; adjacent pieces are merged highest score first; pieces
// that are not tokens fall back to <0xXX> byte tokens. Mirrors llama.cpp's
// llm_tokenizer_spm, which the reference ids come from.
#pragma once

#include <array>

#include "generate/tokenizer.h"

namespace trove {

class SpmTokenizer final : public Tokenizer {
 public:
  static Result<std::unique_ptr<Tokenizer>> create(Vocab vocab);

 protected:
  void encode_fragment(std::string_view text, bool after_special,
                       std::vector<int32_t>& out) const override;
  std::string normal_token_text(int32_t id) const override;

 private:
  explicit SpmTokenizer(Vocab vocab);
  std::array<int32_t, 256> byte_tokens_{};
  bool split_at_words_ = false;  // see encode_fragment
};

}  // namespace trove
