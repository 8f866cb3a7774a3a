// embed/unigram.h — the SentencePiece Unigram tokenizer (tokenizer.ggml.model = "t5",
// llama.cpp's UGM), read from a GGUF vocabulary: XLM-RoBERTa, bge-m3,
// multilingual-e5, bge-reranker-v2-m3, T5.
//
// Does what sentencepiece's SentencePieceProcessor::Encode does, which is the truth
// (tests/data/unigram holds its ids):
//  1. normalise: user-defined pieces are kept verbatim; otherwise the longest prefix
//     found in the precompiled character map (tokenizer.ggml.precompiled_charsmap, a
//     Darts double-array trie + replacement strings; absent = identity) replaces the
//     text, one UTF-8 character at a time when none matches (a malformed byte becomes
//     U+FFFD); with remove_extra_whitespaces, leading, trailing and repeated spaces
//     go; with add_space_prefix, "▁" goes first; every space becomes "▁" (U+2581).
//  2. Viterbi over the normalised bytes: every normal, user-defined (score
//     length·max − 0.1, so it always wins) and unused (skipped) piece that starts at a
//     character boundary competes; a character no piece covers is <unk> with the
//     lowest normal score − 10. Ties keep the earlier candidate, as sentencepiece's
//     strict ">" does.
//  3. byte fallback when the vocabulary has <0xXX> byte pieces: an <unk> piece becomes
//     one byte token per UTF-8 byte; otherwise consecutive <unk> merge into one.
// llama.cpp differs from this in two places, and sentencepiece wins: it has no byte
// fallback for this model, and it keeps a "▁" for whitespace-only input.
//
// Immutable after from_gguf(); const methods are safe from several threads.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/gguf.h"
#include "core/result.h"

namespace trove {

class UnigramTokenizer {
 public:
  // Reads tokenizer.ggml.{tokens,scores,token_type,add_space_prefix,
  // remove_extra_whitespaces,precompiled_charsmap,*_token_id}; errors name the file
  // and the key.
  static Result<UnigramTokenizer> from_gguf(const GgufFile& file);

  // Ids of text: no BOS/EOS, control-token text stays plain text (sentencepiece's
  // EncodeAsIds).
  std::vector<int32_t> encode(std::string_view text) const;
  // Ids with control tokens written in the text (e.g. "</s>") recognised as
  // themselves and each stretch between them encoded alone, as llama.cpp's
  // parse_special does.
  std::vector<int32_t> encode_with_specials(std::string_view text) const;

  // The normalised text step 1 produces (exposed for tests).
  std::string normalize(std::string_view text) const;

  size_t vocab_size() const { return tokens_.size(); }
  std::string_view token_text(int32_t id) const;
  bool byte_fallback() const { return byte_fallback_; }

  int32_t unk_id = -1;
  int32_t bos_id = -1;  // <s>, -1 when the vocabulary has none
  int32_t eos_id = -1;  // </s>
  int32_t pad_id = -1;
  bool add_bos = false;  // tokenizer.ggml.add_bos_token (llama.cpp's UGM default: no)
  bool add_eos = true;   // tokenizer.ggml.add_eos_token (llama.cpp's UGM default: yes)

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using PieceMap = std::unordered_map<std::string, int32_t, StringHash, std::equal_to<>>;

  // The replacement for the longest charsmap prefix of s and its length in s (0: none).
  std::string_view charsmap_prefix(std::string_view s, size_t* consumed) const;
  // sentencepiece's NormalizePrefix: what the start of s becomes, and bytes consumed.
  std::string_view normalize_prefix(std::string_view s, size_t* consumed) const;
  void viterbi(std::string_view normalized, std::vector<int32_t>& out) const;

  std::vector<std::string> tokens_;
  std::vector<float> scores_;
  std::vector<int32_t> types_;
  PieceMap pieces_;        // normal, user-defined and unused pieces (the Viterbi trie)
  PieceMap user_defined_;  // matched verbatim by the normaliser
  size_t max_piece_bytes_ = 0;
  size_t max_user_defined_bytes_ = 0;
  float min_score_ = 0;
  float max_score_ = 0;
  std::array<int32_t, 256> byte_ids_{};
  bool byte_fallback_ = false;
  bool add_space_prefix_ = false;
  bool remove_extra_whitespaces_ = false;
  std::vector<uint32_t> trie_;     // the charsmap's double array
  std::string replacements_;       // NUL-separated normalised strings it points into
  std::vector<int32_t> specials_;  // control tokens, longest text first
};

}  // namespace trove
