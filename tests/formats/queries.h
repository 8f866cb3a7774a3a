// tests/formats/queries.h — the DOCX/ODT/EPUB lines of ../shared/corpus/formats/queries.tsv
// ("words<TAB>space-separated words<TAB>relative file").
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace trove::testing {

// Canonical, as trove stores paths: ../shared may be reached through a symlink.
inline std::string formats_dir() {
  std::error_code ec;
  std::filesystem::path p =
      std::filesystem::canonical(std::string(TROVE_SOURCE_DIR) + "/../shared/corpus/formats", ec);
  return ec ? std::string(TROVE_SOURCE_DIR) + "/../shared/corpus/formats" : p.string();
}

struct FormatsQuery {
  std::vector<std::string> words;
  std::string file;  // relative to formats_dir()
};

inline std::vector<FormatsQuery> office_queries() {
  std::ifstream in(formats_dir() + "/queries.tsv");
  std::vector<FormatsQuery> out;
  std::string line;
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string mode, words, file;
    std::getline(ss, mode, '\t');
    std::getline(ss, words, '\t');
    std::getline(ss, file, '\t');
    if (file.rfind("docx/", 0) != 0 && file.rfind("odt/", 0) != 0 && file.rfind("epub/", 0) != 0)
      continue;
    FormatsQuery q{{}, file};
    std::stringstream ws(words);
    for (std::string w; ws >> w;) q.words.push_back(w);
    out.push_back(q);
  }
  return out;
}

}  // namespace trove::testing
