// tests/support/fixtures.h — where tests find the shared data: ../shared beside the
// checkout (CI), or $TROVE_SHARED_DIR when set. Tests read fixtures in place.
#pragma once

#include <cstdlib>
#include <string>

namespace trove::testing {

inline std::string source_dir() {
  return TROVE_SOURCE_DIR;
}

inline std::string shared_dir() {
  const char* env = std::getenv("TROVE_SHARED_DIR");
  return env && *env ? std::string(env) : source_dir() + "/../shared";
}

// A model in ../shared/fixtures/models/, e.g. fixture_model("bert-mean-f16.gguf").
inline std::string fixture_model(const std::string& file) {
  return shared_dir() + "/fixtures/models/" + file;
}

inline std::string corpus_dir(const std::string& sub) {
  return shared_dir() + "/corpus/" + sub;
}

}  // namespace trove::testing
