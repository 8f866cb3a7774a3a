// index/fts_query.h — turning what a user typed into a safe FTS5 MATCH expression.
//
// User text must never produce an FTS5 syntax error, and never be interpreted as FTS5
// syntax the user did not mean (column filters, NEAR, ^, +). Rules:
// - "a phrase" in double quotes stays a phrase; an unbalanced quote is ignored and the
//   rest is read as plain words;
// - every other whitespace-separated word is quoted as an FTS5 string (internal quotes
//   doubled), so punctuation inside it splits it into a phrase (e.g. "foo-bar");
// - a word ending in '*' stays a prefix query ("conf"*);
// - leading/trailing punctuation is dropped; bare operators AND, OR, NOT, NEAR (FTS5's
//   upper-case spelling) are dropped; words with no letter or digit are dropped;
// - terms are joined with OR: BM25 ranks passages matching more terms higher;
// - stop words (index/stopwords.h) are dropped when any other term remains: ORing
//   "the" matches nearly every chunk, which costs a full BM25 sort for no ranking gain.
// An empty result means "nothing searchable in the query".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace trove::index {

struct FtsQuery {
  std::string match;               // the MATCH expression; empty when nothing to search
  std::vector<std::string> terms;  // the words/phrases kept, unquoted (for messages)
};

FtsQuery translate_query(std::string_view user_text);

}  // namespace trove::index
