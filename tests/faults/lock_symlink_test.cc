// tests/faults/lock_symlink_test.cc — issue 15, fault 6: the writer lock was opened
// following symlinks and truncated, so a symlink planted at HOME/trove.lock emptied
// whatever it pointed at (or, dangling, created a file there). Every writing command
// must refuse such a lock path with an error naming it, leave the link's target as it
// was, and create nothing through a dangling link.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace trove::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPrecious = "the user's own notes, not a lock file\n";

struct PlantedHome {
  TempDir dir;
  std::string home = dir.path() + "/home";
  std::string src = dir.path() + "/src";
  std::string lock = home + "/trove.lock";
  std::string target = dir.path() + "/precious.txt";
  PlantedHome() {
    fs::create_directories(home);
    fs::create_directories(src);
    std::ofstream(src + "/a.txt") << "the wireguard tunnel\n";
  }
};

// The writing commands that take the lock (forget after a first index created the
// library without the planted link).
const std::vector<std::vector<std::string>> kWriters = {
    {"index", "SRC"},
    {"index", "--json", "SRC"},
    {"forget", "SRC"},
};

std::vector<std::string> args_for(const PlantedHome& s, const std::vector<std::string>& cmd) {
  std::vector<std::string> args = {"--home", s.home};
  for (const auto& a : cmd) args.push_back(a == "SRC" ? s.src : a);
  return args;
}

void expect_refused_naming_the_lock(const PlantedHome& s, const ProcResult& r) {
  EXPECT_EQ(r.rc, 5) << r.err << r.out;  // "library problem" (cli/exit_codes.h)
  const std::string said = r.err + r.out;  // --json says it on stdout
  EXPECT_NE(said.find(s.lock), std::string::npos) << said;
  EXPECT_NE(said.find("symbolic link"), std::string::npos) << said;
}

TEST(LockSymlink, ALinkToAUserFileIsRefusedAndTheFileKept) {
  for (const auto& cmd : kWriters) {
    SCOPED_TRACE("trove " + cmd[0] + " " + cmd[1]);
    PlantedHome s;
    if (cmd[0] == "forget") {  // a library to forget from, made before the link is planted
      ASSERT_EQ(run_trove(args_for(s, {"index", "SRC"}), s.dir.path()).rc, 0);
      fs::remove(s.lock);
    }
    std::ofstream(s.target) << kPrecious;
    ASSERT_EQ(::symlink(s.target.c_str(), s.lock.c_str()), 0);
    ProcResult r = run_trove(args_for(s, cmd), s.dir.path());
    expect_refused_naming_the_lock(s, r);
    EXPECT_EQ(slurp(s.target), kPrecious);
    EXPECT_TRUE(fs::is_symlink(s.lock)) << "the planted link is the user's to inspect";
  }
}

TEST(LockSymlink, ADanglingLinkCreatesNothingAtItsTarget) {
  PlantedHome s;
  const std::string nowhere = s.dir.path() + "/outside/planted";
  fs::create_directories(s.dir.path() + "/outside");
  ASSERT_EQ(::symlink(nowhere.c_str(), s.lock.c_str()), 0);
  ProcResult r = run_trove(args_for(s, {"index", "SRC"}), s.dir.path());
  expect_refused_naming_the_lock(s, r);
  EXPECT_FALSE(fs::exists(nowhere)) << "a file was created through the link";
}

}  // namespace
}  // namespace trove::testing
