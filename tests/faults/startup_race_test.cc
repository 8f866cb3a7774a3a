// tests/faults/startup_race_test.cc — issue 15, fault 5: trove processes starting
// together on a brand-new home. The schema version used to be read outside the write
// transaction, so several `trove index` runs each migrated and all but one failed with
// "table meta already exists"; and a reader (`status`, `search`, `show`) that opened the
// half-created database failed with "no such table". Every process must do its job or
// say why in the contract's words: index 0 or 4 (locked), status 0, search and show 0
// or 1 (nothing there yet); and the library ends at the latest schema, intact.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "index/library.h"
#include "index/schema.h"
#include "index/sqlite.h"
#include "tests/support/process.h"

namespace trove::testing {
namespace {

namespace fs = std::filesystem;

struct Starter {
  std::vector<std::string> args;  // after --home HOME
  std::vector<int> allowed;       // exit codes the contract allows here
};

// Forks a child that waits on `gate` (returns when the parent closes its end) and then
// runs trove: every child is past fork and ready to exec when the gate opens.
pid_t spawn_at_gate(const std::vector<std::string>& args, int gate_read, int gate_write,
                    const std::string& err_path) {
  pid_t pid = ::fork();
  if (pid != 0) return pid;
  ::close(gate_write);
  char c;
  (void)!::read(gate_read, &c, 1);
  int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  int null = ::open("/dev/null", O_RDWR);
  ::dup2(null, 0);
  ::dup2(null, 1);
  ::dup2(err, 2);
  std::vector<std::string> copy = args;
  std::string bin = TROVE_BIN;
  std::vector<char*> argv{bin.data()};
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  ::execv(bin.c_str(), argv.data());
  ::_exit(127);
}

std::string integrity(index::Db& db) {
  auto s = db.prepare("PRAGMA integrity_check");
  if (!s.ok()) return s.error().message;
  auto row = s->step();
  if (!row.ok()) return row.error().message;
  return *row ? s->column_text(0) : "no row";
}

TEST(StartupRace, CommandsStartingTogetherOnANewHomeAllSucceedOrSayLocked) {
  constexpr int kRounds = 10;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    TempDir dir;
    const std::string home = dir.path() + "/home";
    const std::string src = dir.path() + "/src";
    fs::create_directories(src);
    std::ofstream(src + "/a.txt") << "the wireguard tunnel keeps its keys\n";
    const std::vector<Starter> starters = {
        {{"index", src}, {0, 4}},        {{"status"}, {0}},
        {{"index", src}, {0, 4}},        {{"search", "tunnel"}, {0, 1}},
        {{"index", src}, {0, 4}},        {{"status", "--json"}, {0}},
        {{"show", "1"}, {0, 1}},         {{"index", src}, {0, 4}},
        {{"search", "--mode", "lexical", "keys"}, {0, 1}},
        {{"status"}, {0}},
    };
    int gate[2];
    ASSERT_EQ(::pipe(gate), 0);
    std::vector<pid_t> pids;
    for (size_t i = 0; i < starters.size(); ++i) {
      std::vector<std::string> args = {"--home", home};
      args.insert(args.end(), starters[i].args.begin(), starters[i].args.end());
      pids.push_back(spawn_at_gate(args, gate[0], gate[1],
                                   dir.path() + "/err" + std::to_string(i)));
      ASSERT_GT(pids.back(), 0);
    }
    ::close(gate[0]);
    ::close(gate[1]);  // all start at once
    int indexed = 0;
    for (size_t i = 0; i < starters.size(); ++i) {
      const int rc = wait_exit(pids[i]);
      const std::string err = slurp(dir.path() + "/err" + std::to_string(i));
      const std::string what = "trove " + starters[i].args[0] + " exited " + std::to_string(rc);
      const auto& ok = starters[i].allowed;
      EXPECT_NE(std::find(ok.begin(), ok.end(), rc), ok.end()) << what << ": " << err;
      if (rc == 4) {
        EXPECT_NE(err.find("another trove index is running"), std::string::npos) << err;
      }
      EXPECT_EQ(err.find("already exists"), std::string::npos) << what << ": " << err;
      EXPECT_EQ(err.find("no such table"), std::string::npos) << what << ": " << err;
      if (starters[i].args[0] == "index" && rc == 0) ++indexed;
    }
    EXPECT_GE(indexed, 1) << "no index run did the work";
    auto paths = index::resolve_library_paths(home);
    ASSERT_TRUE(paths.ok());
    auto db = index::Db::open(paths->db, index::OpenMode::kReadOnly);
    ASSERT_TRUE(db.ok()) << db.error().message;
    EXPECT_EQ(*index::schema_version(*db), index::latest_schema_version());
    EXPECT_EQ(integrity(*db), "ok");
    auto docs = index::query_int(*db, "SELECT count(*) FROM documents");
    ASSERT_TRUE(docs.ok()) << docs.error().message;
    EXPECT_EQ(*docs, 1);
  }
}

}  // namespace
}  // namespace trove::testing
