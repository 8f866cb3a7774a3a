// tests/support/temp_home.h — a throw-away trove home and documents folder, with a
// runner that passes --home: the setup every end-to-end test repeats.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace trove::testing {

inline void write_text_file(const std::string& path, const std::string& content) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

class TempHome {
 public:
  TempHome() : home_(dir_.path() + "/home"), docs_(dir_.path() + "/docs") {
    std::filesystem::create_directories(docs_);
  }
  const std::string& root() const { return dir_.path(); }
  const std::string& home() const { return home_; }
  const std::string& docs() const { return docs_; }
  std::string db() const { return home_ + "/trove.db"; }

  ProcResult trove(std::vector<std::string> args, SpawnOptions o = {}) const {
    args.insert(args.begin(), {"--home", home_});
    return run_trove(args, dir_.path(), std::move(o));
  }
  void write(const std::string& rel, const std::string& content) const {
    write_text_file(docs_ + "/" + rel, content);
  }

 private:
  TempDir dir_;
  std::string home_, docs_;
};

}  // namespace trove::testing
