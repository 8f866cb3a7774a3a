// index/stopwords.h — English function words that say nothing about what a passage
// is about. Lexical search drops them from an OR query when other words remain
// (matching "the" in every chunk costs a full BM25 sort and adds only noise), and
// `trove ask`'s relevance floor ignores matches on them.
#pragma once

#include <string_view>

namespace trove::index {

// ASCII case-insensitive.
bool is_stop_word(std::string_view word);

}  // namespace trove::index
