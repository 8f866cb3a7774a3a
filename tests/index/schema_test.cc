// tests/index/schema_test.cc — migrations, newer-version refusal, file permissions.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <vector>

#include "index/library.h"
#include "index/schema.h"
#include "temp_library.h"

namespace trove::index {
namespace {

using testing::count;
using testing::TempDir;

TEST(Schema, FreshLibraryIsAtLatestVersion) {
  TempDir dir;
  auto paths = resolve_library_paths(dir.path() + "/home");
  ASSERT_TRUE(paths.ok());
  auto db = open_library(*paths);
  ASSERT_TRUE(db.ok()) << db.error().message;
  auto v = schema_version(*db);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, latest_schema_version());
  EXPECT_GE(latest_schema_version(), 2);
}

TEST(Schema, UpgradesAVersion1DatabaseKeepingItsData) {
  TempDir dir;
  auto paths = resolve_library_paths(dir.path() + "/home");
  ASSERT_TRUE(paths.ok());
  std::filesystem::create_directories(paths->home);
  {
    auto db = Db::open(paths->db);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(migrate(*db, migrations().first(1)).ok());
    EXPECT_EQ(*schema_version(*db), 1);
    ASSERT_TRUE(db->exec("INSERT INTO sources(id, root, added_at) VALUES (1, '/notes', 0);"
                         "INSERT INTO documents(id, source_id, path, rel_path, size, mtime_ns,"
                         " title, status, indexed_at) VALUES (1, 1, '/notes/a.md', 'a.md', 3, 0,"
                         " 'A', 'ok', 0);"
                         "INSERT INTO chunks(id, document_id, ordinal, text) VALUES"
                         " (7, 1, 0, 'kept across the upgrade')")
                    .ok());
    // v1 has no vector-delete queue yet.
    EXPECT_FALSE(db->prepare("SELECT * FROM pending_vector_deletes").ok());
  }
  auto db = open_library(*paths);
  ASSERT_TRUE(db.ok()) << db.error().message;
  EXPECT_EQ(*schema_version(*db), latest_schema_version());
  EXPECT_EQ(count(*db, "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH 'upgrade'"), 1);
  // The v2 trigger queues deleted chunk ids for the vector store.
  ASSERT_TRUE(db->exec("DELETE FROM chunks WHERE id = 7").ok());
  EXPECT_EQ(count(*db, "SELECT count(*) FROM pending_vector_deletes WHERE chunk_id = 7"), 1);
  testing::expect_consistent(*db);
}

// Issue 15, fault 5: processes that open a brand-new library at the same moment used to
// read the schema version before taking the write lock, so several ran migration 1 and
// all but one failed with "table meta already exists". Every opener must succeed.
TEST(Schema, ProcessesOpeningANewLibraryAtOnceAllSucceed) {
  constexpr int kRounds = 10;
  constexpr int kProcesses = 6;
  for (int round = 0; round < kRounds; ++round) {
    TempDir dir;
    auto paths = resolve_library_paths(dir.path() + "/home");
    ASSERT_TRUE(paths.ok());
    int gate[2];
    ASSERT_EQ(::pipe(gate), 0);
    std::vector<pid_t> children;
    for (int i = 0; i < kProcesses; ++i) {
      pid_t pid = ::fork();
      ASSERT_GE(pid, 0);
      if (pid == 0) {
        ::close(gate[1]);
        char c;
        (void)!::read(gate[0], &c, 1);  // returns when the parent closes the gate
        auto db = open_library(*paths);
        if (!db.ok()) std::fprintf(stderr, "opener %d: %s\n", i, db.error().message.c_str());
        std::_Exit(db.ok() ? 0 : 1);
      }
      children.push_back(pid);
    }
    ::close(gate[0]);
    ::close(gate[1]);  // all children start at once
    int failed = 0;
    for (pid_t pid : children) {
      int status = 0;
      ASSERT_EQ(::waitpid(pid, &status, 0), pid);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failed;
    }
    EXPECT_EQ(failed, 0) << "round " << round;
    auto db = open_library(*paths);
    ASSERT_TRUE(db.ok()) << db.error().message;
    EXPECT_EQ(*schema_version(*db), latest_schema_version());
  }
}

TEST(Schema, RefusesADatabaseFromANewerTrove) {
  TempDir dir;
  auto paths = resolve_library_paths(dir.path() + "/home");
  ASSERT_TRUE(paths.ok());
  {
    auto db = open_library(*paths);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("PRAGMA user_version = 999").ok());
  }
  auto db = open_library(*paths);
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.error().message.find("newer trove"), std::string::npos) << db.error().message;
  EXPECT_NE(db.error().message.find("999"), std::string::npos) << db.error().message;
}

TEST(Schema, HomeIsPrivateAndExistingFilesAreFixed) {
  TempDir dir;
  auto paths = resolve_library_paths(dir.path() + "/home");
  ASSERT_TRUE(paths.ok());
  std::filesystem::create_directories(paths->home);
  ::chmod(paths->home.c_str(), 0755);
  testing::write_file(paths->lock, "");
  ::chmod(paths->lock.c_str(), 0644);
  ::umask(022);
  {
    auto db = open_library(*paths);
    ASSERT_TRUE(db.ok());
  }
  struct stat st {};
  ASSERT_EQ(::stat(paths->home.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat(paths->db.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(paths->lock.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(LibraryPaths, FlagThenEnvThenXdgThenHome) {
  ::setenv("TROVE_HOME", "/tmp/from-env", 1);
  ::setenv("XDG_DATA_HOME", "/tmp/xdg", 1);
  EXPECT_EQ(resolve_library_paths("/tmp/flag")->home, "/tmp/flag");
  EXPECT_EQ(resolve_library_paths("")->home, "/tmp/from-env");
  ::unsetenv("TROVE_HOME");
  EXPECT_EQ(resolve_library_paths("")->home, "/tmp/xdg/trove");
  ::unsetenv("XDG_DATA_HOME");
  ::setenv("HOME", "/tmp/user", 1);
  EXPECT_EQ(resolve_library_paths("")->home, "/tmp/user/.local/share/trove");
  EXPECT_EQ(resolve_library_paths("")->db, "/tmp/user/.local/share/trove/trove.db");
}

TEST(LockFile, SecondWriterFailsFastNamingThePid) {
  TempDir dir;
  std::string path = dir.path() + "/trove.lock";
  auto first = LockFile::acquire(path, LockWait::kFailFast);
  ASSERT_TRUE(first.ok()) << first.error().message;
  auto second = LockFile::acquire(path, LockWait::kFailFast);
  ASSERT_FALSE(second.ok());
  EXPECT_TRUE(is_lock_held_error(second.error()));
  EXPECT_NE(second.error().message.find("(pid " + std::to_string(::getpid()) + ")"),
            std::string::npos)
      << second.error().message;
}

// Issue 15, fault 6: the lock file was opened following symlinks and truncated, so a
// symlink planted at the lock path emptied its target.
TEST(LockFile, SymlinkAtTheLockPathIsRefusedAndItsTargetKept) {
  TempDir dir;
  std::string target = dir.path() + "/precious.txt";
  testing::write_file(target, "do not truncate me\n");
  std::string path = dir.path() + "/trove.lock";
  ASSERT_EQ(::symlink(target.c_str(), path.c_str()), 0);
  auto lock = LockFile::acquire(path, LockWait::kFailFast);
  ASSERT_FALSE(lock.ok());
  EXPECT_NE(lock.error().message.find(path), std::string::npos) << lock.error().message;
  EXPECT_NE(lock.error().message.find("symbolic link"), std::string::npos) << lock.error().message;
  std::ifstream in(target);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "do not truncate me\n");
}

TEST(LockFile, AFifoAtTheLockPathIsRefusedWithoutHanging) {
  TempDir dir;
  std::string path = dir.path() + "/trove.lock";
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  auto lock = LockFile::acquire(path, LockWait::kFailFast);
  ASSERT_FALSE(lock.ok());
  EXPECT_NE(lock.error().message.find("not a regular file"), std::string::npos)
      << lock.error().message;
}

TEST(LockFile, ALongerOldPidIsFullyOverwritten) {
  TempDir dir;
  std::string path = dir.path() + "/trove.lock";
  testing::write_file(path, "99999999999999\n");
  {
    auto first = LockFile::acquire(path, LockWait::kFailFast);
    ASSERT_TRUE(first.ok()) << first.error().message;
    auto second = LockFile::acquire(path, LockWait::kFailFast);
    ASSERT_FALSE(second.ok());
    EXPECT_NE(second.error().message.find("(pid " + std::to_string(::getpid()) + ")"),
              std::string::npos)
        << second.error().message;
  }
}

}  // namespace
}  // namespace trove::index
