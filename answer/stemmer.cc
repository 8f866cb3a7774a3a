// answer/stemmer.cc — see stemmer.h.
#include "answer/stemmer.h"

#include <libstemmer.h>

namespace trove::answer {

void Stemmer::Free::operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }

Stemmer::Stemmer() : handle_(sb_stemmer_new("english", "UTF_8")) {}

std::string Stemmer::stem(std::string_view lower_word) {
  // Without a handle (allocation failed) the word itself is the best key we have.
  if (!handle_ || lower_word.empty()) return std::string(lower_word);
  const sb_symbol* out =
      sb_stemmer_stem(handle_.get(), reinterpret_cast<const sb_symbol*>(lower_word.data()),
                      static_cast<int>(lower_word.size()));
  if (!out) return std::string(lower_word);
  return std::string(reinterpret_cast<const char*>(out),
                     static_cast<size_t>(sb_stemmer_length(handle_.get())));
}

}  // namespace trove::answer
