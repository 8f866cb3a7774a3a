// generate/vocab.h — a decoder model's vocabulary as read from GGUF metadata.
//
// Owns the token strings, scores and types (tokenizer.ggml.*), the special token ids,
// the end-of-generation set and the flags that decide how text is tokenized
// (add_bos, add_space_prefix, ignore_merges), with llama.cpp's per-model defaults.
// Immutable after load, so one Vocab can be shared by threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/gguf.h"
#include "core/result.h"

namespace trove {

// tokenizer.ggml.token_type values.
enum class TokenType : int32_t {
  kUndefined = 0,
  kNormal = 1,
  kUnknown = 2,
  kControl = 3,
  kUserDefined = 4,
  kUnused = 5,
  kByte = 6,
};

enum class VocabKind { kSpm, kBpe, kWordPiece };

struct Vocab {
  // Move-only: token_to_id holds views into the strings of `tokens`, which a move keeps
  // in place and a copy would not.
  Vocab() = default;
  Vocab(Vocab&&) = default;
  Vocab& operator=(Vocab&&) = default;
  Vocab(const Vocab&) = delete;
  Vocab& operator=(const Vocab&) = delete;

  VocabKind kind = VocabKind::kSpm;
  std::string model;  // tokenizer.ggml.model
  std::string pre;    // tokenizer.ggml.pre ("" when absent)

  std::vector<std::string> tokens;
  std::vector<float> scores;  // empty scores read as 0
  std::vector<TokenType> types;
  // Views into `tokens`; the strings never move after load.
  std::unordered_map<std::string_view, int32_t> token_to_id;

  int32_t bos = -1, eos = -1, eot = -1, eom = -1, unk = -1, sep = -1, pad = -1;
  bool add_bos = false;
  bool add_eos = false;
  bool add_space_prefix = false;  // SPM: prefix a space to text that starts a fragment
  bool ignore_merges = false;     // BPE: a pre-token that is a whole token skips merging
  std::vector<int32_t> eog;       // sorted ids that end generation

  // Control, unknown and user-defined tokens, longest text first: the order in which
  // special-token partitioning looks for them.
  std::vector<int32_t> specials_by_length;

  static Result<Vocab> from_gguf(const GgufFile& file);

  size_t size() const { return tokens.size(); }
  bool valid(int32_t id) const { return id >= 0 && static_cast<size_t>(id) < tokens.size(); }
  int32_t find(std::string_view text) const {
    auto it = token_to_id.find(text);
    return it == token_to_id.end() ? -1 : it->second;
  }
  TokenType type(int32_t id) const { return types[static_cast<size_t>(id)]; }
  bool is_control(int32_t id) const {
    return type(id) == TokenType::kControl || type(id) == TokenType::kUnknown;
  }
  bool is_eog(int32_t id) const;
};

}  // namespace trove
