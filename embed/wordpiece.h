// embed/wordpiece.h — the BERT WordPiece tokenizer, read from a GGUF vocabulary.
//
// Owns: the vocabulary (token text <-> id), the special ids, and the BERT rules for
// turning text into ids: clean text (drop control characters, whitespace -> space),
// CJK ideographs as single-character words, punctuation split, lower-casing and accent
// stripping (NFD, drop Mn) for uncased vocabularies, then greedy longest-match-first
// WordPiece with continuation pieces and a 100-character word limit. This is what the
// Hugging Face BertTokenizer does; the fixtures check it id for id.
//
// Two vocabulary spellings exist in the wild and both are accepted: Hugging Face's
// ("word", "##piece") and llama.cpp's converted one ("\u2581word", "piece").
//
// Special tokens written in the text ("[SEP]", "[CLS]" ...: the vocabulary's control
// tokens) are recognised as themselves, as both reference implementations do.
//
// Immutable after from_gguf(); all const methods are safe to call from several threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/gguf.h"
#include "core/result.h"

namespace trove {

class WordPieceTokenizer {
 public:
  // Reads tokenizer.ggml.{tokens,token_type,*_token_id}; errors name the file and key.
  static Result<WordPieceTokenizer> from_gguf(const GgufFile& file);

  // Ids of `text`. add_special wraps them in [CLS] ... [SEP]. max_tokens > 0 truncates
  // the result to at most that many ids, keeping the final [SEP] when add_special.
  std::vector<int32_t> encode(std::string_view text, bool add_special, size_t max_tokens = 0) const;

  // Text of `ids`: pieces joined with spaces between words, continuations glued, special
  // tokens ([CLS], [SEP], [PAD]) left out. Lossy: case and accents are not restored.
  std::string decode(std::span<const int32_t> ids) const;

  // Number of ids encode(text, /*add_special=*/false) returns, without building them.
  size_t count_tokens(std::string_view text) const;

  size_t vocab_size() const { return tokens_.size(); }
  // Vocabulary text of one id as stored in the file ("" when out of range).
  std::string_view token_text(int32_t id) const;
  // True when the vocabulary is uncased (text is lower-cased and accents stripped).
  bool lowercase() const { return lowercase_; }

  int32_t cls_id = -1;
  int32_t sep_id = -1;
  int32_t unk_id = -1;
  int32_t pad_id = -1;

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using PieceMap = std::unordered_map<std::string, int32_t, StringHash, std::equal_to<>>;

  // Calls emit(id) for every id of text (no [CLS]/[SEP]).
  template <class Emit>
  void tokenize(std::string_view text, Emit&& emit) const;
  template <class Emit>
  void tokenize_plain(std::string_view text, Emit& emit) const;
  template <class Emit>
  void wordpiece(std::string_view word, size_t n_chars, Emit& emit) const;

  std::vector<std::string> tokens_;
  std::vector<int32_t> token_types_;
  PieceMap word_start_;               // pieces that begin a word
  PieceMap continuation_;             // pieces that continue one ("##" / no "\u2581" removed)
  std::vector<int32_t> special_ids_;  // control tokens matched verbatim in text
  size_t max_piece_bytes_ = 0;
  bool lowercase_ = true;
  bool llama_spelling_ = false;  // "\u2581word" / "piece" rather than "word" / "##piece"
};

}  // namespace trove
