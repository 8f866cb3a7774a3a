// generate/pretokenize.h — byte-level BPE pre-tokenizers: split text into the words
// that BPE merges never cross.
//
// Each rule is a hand-written, linear-time scanner equivalent to the regular
// expression in the model's tokenizer.json (as llama.cpp implements them), with
// Unicode classes from generate/unicode_props.h. No regex engine is involved.
// Words are byte ranges of the input, so invalid UTF-8 is kept byte for byte (it is
// classified as U+FFFD, like llama.cpp, but not rewritten).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace trove {

enum class PreTokenizer {
  kGpt2,            // 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
  kLlama3,          // (?i:'s|...)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|
                    // ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|...
  kQwen2,           // as kLlama3 but \p{N} one digit at a time
  kDigitsThenGpt2,  // \p{N} split out first, then kGpt2 (smollm, starcoder, command-r, ...)
  kDefault,         // llama.cpp's fallback chain: punctuation runs, kGpt2, \p{N}+, [0-9]{3}
};

// Maps tokenizer.ggml.pre to a rule; nullopt for names we do not implement.
std::optional<PreTokenizer> pretokenizer_from_name(std::string_view pre);

struct ByteSpan {
  size_t begin = 0;
  size_t end = 0;
};

// Appends the words of `text` to `out` in order; together they cover `text` exactly.
void pretokenize(PreTokenizer rule, std::string_view text, std::vector<ByteSpan>& out);

}  // namespace trove
