// generate/bpe_tokenizer.h — byte-level BPE (tokenizer.ggml.model = "gpt2").
//
// Text is split into words by the pre-tokenizer named in tokenizer.ggml.pre, each
// byte is mapped to its printable stand-in character (GPT-2's bytes_to_unicode), and
// adjacent symbols are merged lowest merge rank first (tokenizer.ggml.merges).
#pragma once

#include <array>
#include <unordered_map>

#include "generate/pretokenize.h"
#include "generate/tokenizer.h"

namespace trove {

class BpeTokenizer final : public Tokenizer {
 public:
  static Result<std::unique_ptr<Tokenizer>> create(const GgufFile& file, Vocab vocab);

  // The stand-in character GPT-2 uses for a byte, and back (-1 for other code points).
  static uint32_t byte_to_cp(uint8_t b);
  static int cp_to_byte(uint32_t cp);

 protected:
  void encode_fragment(std::string_view text, bool after_special,
                       std::vector<int32_t>& out) const override;
  std::string normal_token_text(int32_t id) const override;

 private:
  struct Merge {
    int32_t rank;
    int32_t result;
  };
  BpeTokenizer(Vocab vocab, PreTokenizer pre);
  Status load_merges(const GgufFile& file);
  const Merge* find_merge(int32_t left, int32_t right) const;
  void encode_word(std::string_view word, std::vector<int32_t>& out) const;

  PreTokenizer pre_;
  std::array<int32_t, 256> byte_tokens_{};
  std::unordered_map<uint64_t, Merge> merges_;  // (left id << 32 | right id) -> merge
};

}  // namespace trove
