// index/cjk_tokenizer.h — the FTS5 tokenizer "trove_cjk": Chinese, Japanese and Korean
// runs as overlapping character bigrams, everything else through the wrapped tokenizer.
//
//   tokenize = 'trove_cjk porter unicode61 remove_diacritics 2'
//
// FTS5's unicode61 treats a run of Han/Kana/Hangul as one token, so a word inside a
// sentence ("首都" in "東京は日本の首都です") can never match. trove_cjk splits the
// text into CJK runs and the rest: the rest goes, byte offsets intact, to the wrapped
// tokenizer (its arguments follow the name: Latin text is tokenized exactly as before);
// a CJK run of n characters gives n-1 overlapping bigrams (one character alone gives
// itself). Queries go through the same code, so a quoted word becomes the phrase of its
// bigrams, which matches wherever the word occurs. A single-character query word
// matches only a single-character run (use "字*" to match it inside words).
//
// CJK here: Han (CJK Unified Ideographs and extensions A-F, compatibility ideographs),
// Hiragana, Katakana (and the half-width forms), Hangul syllables and jamo.
//
// register_cjk_tokenizer must run on every connection before chunks_fts is used; Db::open
// does it. (The sqlite3 shell cannot read chunks_fts for that reason.)
#pragma once

#include <sqlite3.h>

#include <string>
#include <string_view>
#include <vector>

namespace trove::index {

// Returns an SQLite result code (SQLITE_OK on success).
int register_cjk_tokenizer(sqlite3* db);

bool is_cjk_codepoint(char32_t cp);

// The tokens trove_cjk emits for `text` given only its CJK handling (non-CJK spans
// come back whole, as one element each): for tests and for the query translator.
std::vector<std::string> cjk_segments(std::string_view text);

}  // namespace trove::index
