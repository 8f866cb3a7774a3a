// tests/faults/damaged_library_test.cc — issue 15, fault 7: a library that cannot be
// opened (a folder, a garbage file or a truncated header where trove.db should be) is
// an error naming the file and what is wrong, in every command (exit 5, "library
// problem") — never "the library
// is empty" with exit 0 or 1.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "../cli/run_process.h"

namespace trove::testing {
namespace {

namespace fs = std::filesystem;

struct Damage {
  const char* name;
  const char* expected;  // in the message, besides the path
  void (*make)(const std::string& db);
};

const Damage kDamages[] = {
    {"folder", "folder", [](const std::string& db) { fs::create_directories(db + "/x"); }},
    {"garbage", "not an SQLite database",
     [](const std::string& db) { std::ofstream(db, std::ios::binary) << std::string(8192, 'Z'); }},
    {"short", "not an SQLite database",
     [](const std::string& db) { std::ofstream(db, std::ios::binary) << "SQLite"; }},
};

const std::vector<std::vector<std::string>> kCommands = {
    {"status"},
    {"status", "--json"},
    {"search", "tunnel"},
    {"search", "--mode", "lexical", "tunnel"},
    {"forget", "/nowhere"},
    {"show", "1"},
    {"doctor"},
    {"index", "SRC"},
};

TEST(DamagedLibrary, EveryCommandNamesTheFileAndFails) {
  for (const Damage& d : kDamages) {
    for (const auto& cmd : kCommands) {
      TempDir dir;
      const std::string home = dir.path() + "/home";
      const std::string src = dir.path() + "/src";
      fs::create_directories(home);
      fs::create_directories(src);
      std::ofstream(src + "/a.txt") << "the wireguard tunnel\n";
      const std::string db = home + "/trove.db";
      d.make(db);
      std::vector<std::string> args = {"--home", home};
      for (const auto& a : cmd) args.push_back(a == "SRC" ? src : a);
      ProcResult r = run_trove(args, dir.path());
      std::string what =
          std::string(d.name) + ": trove " + cmd[0] + (cmd.size() > 1 ? " " + cmd[1] : "");
      SCOPED_TRACE(what);
      EXPECT_EQ(r.rc, 5) << r.err;  // "library problem" (cli/exit_codes.h)
      // doctor prints its findings on stdout; the others say why on stderr.
      const std::string said = r.err + r.out;
      EXPECT_NE(said.find(db), std::string::npos) << said;
      EXPECT_NE(said.find(d.expected), std::string::npos) << said;
      EXPECT_EQ(r.err.find("empty"), std::string::npos) << r.err;
      EXPECT_EQ(r.out.find("empty"), std::string::npos) << r.out;
      // Nothing replaced the damaged file: the user's data is left for them to inspect.
      EXPECT_TRUE(fs::exists(db));
      if (std::string(d.name) == "folder") {
        EXPECT_TRUE(fs::is_directory(db));
      }
    }
  }
}

}  // namespace
}  // namespace trove::testing
