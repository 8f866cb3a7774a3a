// answer/stemmer.h — the Snowball English stemmer (libstemmer) behind an RAII handle.
//
// A Stemmer is not thread-safe (libstemmer keeps its work buffer in the handle): make
// one per thread or per call. Input is lower-cased ASCII or UTF-8; the result is
// valid until the next call.
#pragma once

#include <memory>
#include <string>
#include <string_view>

struct sb_stemmer;

namespace trove::answer {

class Stemmer {
 public:
  Stemmer();
  std::string stem(std::string_view lower_word);

 private:
  struct Free {
    void operator()(sb_stemmer* s) const;
  };
  std::unique_ptr<sb_stemmer, Free> handle_;
};

}  // namespace trove::answer
