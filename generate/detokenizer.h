// generate/detokenizer.h — streaming token ids -> UTF-8 text.
//
// Feed generated ids one at a time; each call returns only whole UTF-8 characters, so
// a character split across byte tokens (<0xE2><0x80><0x99>) or byte-level BPE tokens
// is printed once complete. flush() returns whatever is held back at the end (bytes
// that never formed a character are passed through as they are). The concatenation of
// all returns equals Tokenizer::decode of the same ids.
#pragma once

#include <cstdint>
#include <string>

#include "generate/tokenizer.h"

namespace trove {

struct DetokenizerOptions {
  bool special = false;              // print control tokens' text
  bool strip_leading_space = false;  // drop one leading space of the first token (SPM prompt start)
};

class Detokenizer {
 public:
  explicit Detokenizer(const Tokenizer& tok, DetokenizerOptions opts = {})
      : tok_(&tok), opts_(opts) {}

  std::string push(int32_t id);
  std::string flush();

 private:
  const Tokenizer* tok_;  // not owned; outlives the detokenizer
  DetokenizerOptions opts_;
  bool first_ = true;
  std::string pending_;  // bytes of an incomplete trailing character
};

// Length of the longest prefix of `s` that does not end inside a UTF-8 sequence that
// could still be completed by more bytes.
size_t utf8_complete_prefix(std::string_view s);

}  // namespace trove
