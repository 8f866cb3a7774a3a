// tests/index/db_locks_test.cc — opening the library again in the same process must not
// drop the locks an open connection holds. SQLite's locks are POSIX record locks, which
// belong to the process: close() of any descriptor of the file releases all of them. A
// check that opened and closed the file itself let another process write into a
// transaction in progress, and made an index run's commits invisible to readers.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "index/sqlite.h"
#include "temp_library.h"

namespace trove::index {
namespace {

// In a child process: can it take the write lock? (0 yes, 1 busy, 2 error.)
int other_process_can_write(const std::string& path) {
  pid_t pid = ::fork();
  if (pid == 0) {
    auto db = Db::open(path, OpenMode::kReadWrite, /*busy_timeout_ms=*/0);
    if (!db.ok()) ::_exit(2);
    ::_exit(db->exec("BEGIN IMMEDIATE").ok() ? 0 : 1);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 3;
}

TEST(DbLocks, ASecondOpenInTheProcessKeepsTheFirstConnectionsWriteLock) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/trove.db";
  auto writer = Db::open(path);
  ASSERT_TRUE(writer.ok()) << writer.error().message;
  ASSERT_TRUE(writer->exec("CREATE TABLE t(x); INSERT INTO t VALUES (1)").ok());
  ASSERT_EQ(other_process_can_write(path), 0) << "no transaction yet: the child may write";

  ASSERT_TRUE(writer->exec("BEGIN IMMEDIATE").ok());
  EXPECT_EQ(other_process_can_write(path), 1) << "the write lock holds";
  {
    auto reader = Db::open(path, OpenMode::kReadOnly);
    ASSERT_TRUE(reader.ok()) << reader.error().message;
  }
  EXPECT_EQ(other_process_can_write(path), 1)
      << "opening and closing a second connection dropped the first one's lock";
  ASSERT_TRUE(writer->exec("COMMIT").ok());
}

TEST(DbLocks, AFileThatIsNotADatabaseIsNamedAsDamaged) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/trove.db";
  {
    FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fputs("this is a shopping list, not a library\n", f);
    std::fclose(f);
  }
  for (OpenMode mode : {OpenMode::kReadWrite, OpenMode::kReadOnly}) {
    auto db = Db::open(path, mode);
    ASSERT_FALSE(db.ok());
    EXPECT_NE(db.error().message.find(path), std::string::npos) << db.error().message;
    EXPECT_NE(db.error().message.find("not an SQLite database"), std::string::npos)
        << db.error().message;
  }
}

}  // namespace
}  // namespace trove::index
