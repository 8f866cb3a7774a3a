// tests/ingest/corpus.h — where the shared test corpus lives, for fixture tests.
#pragma once

#include <string>

namespace trove::ingest::testing {

inline std::string corpus_dir() {
  return std::string(TROVE_SOURCE_DIR) + "/../shared/corpus";
}
inline std::string dev(const std::string& rel) {
  return corpus_dir() + "/dev/" + rel;
}
inline std::string bad(const std::string& rel) {
  return corpus_dir() + "/bad/" + rel;
}

}  // namespace trove::ingest::testing
