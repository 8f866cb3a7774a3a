// embed/bert_pretokenizer.h — BERT's "basic tokenizer": text -> normalised words.
//
// Owns the Unicode rules that come before WordPiece, as Hugging Face's BertNormalizer +
// BertPreTokenizer apply them: drop NUL, U+FFFD and other-category (C*) characters
// except \t \n \r; any White_Space is a separator; CJK ideographs become one-character
// words; with `uncased`, NFD + drop non-spacing marks (Mn) + lower-case; every ASCII
// punctuation/symbol character and every Unicode punctuation (P*) character is a word
// of its own. ASCII text takes a table-driven path; other code points ask ICU.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace trove {

struct BertWord {
  size_t offset = 0;   // into BertWords::text
  size_t bytes = 0;    // UTF-8 length
  size_t n_chars = 0;  // code points (WordPiece's 100-character limit counts these)
};

// Words of one text; the buffers are reused between calls to avoid allocations.
struct BertWords {
  std::string text;  // normalised words, back to back
  std::vector<BertWord> words;

  std::string_view word(size_t i) const { return {text.data() + words[i].offset, words[i].bytes}; }
};

// Appends the words of `text` to `out` (does not clear it).
void bert_pretokenize(std::string_view text, bool uncased, BertWords& out);

// Decodes one code point at s[*pos], advancing *pos; malformed bytes yield U+FFFD.
char32_t next_code_point(std::string_view s, size_t* pos);
// Appends the UTF-8 encoding of cp.
void append_utf8(char32_t cp, std::string& out);

}  // namespace trove
