// tests/index/db_garbage_test.cc — a file at the library's path that is not an SQLite
// database is named as damaged, whichever way it is opened. The check goes through
// SQLite: a descriptor of our own, opened and closed on the file, would drop the POSIX
// locks this process's other connections hold (that made an index run's commits
// invisible to readers until the run ended; CliVectors.KillDuringEmbeddingRecovers
// is the test that caught it).
#include <gtest/gtest.h>

#include <cstdio>

#include "core/c_file.h"
#include "index/sqlite.h"
#include "temp_library.h"

namespace trove::index {
namespace {

TEST(DbFile, AFileThatIsNotADatabaseIsNamedAsDamaged) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/trove.db";
  {
    UniqueFile f(std::fopen(path.c_str(), "wb"));
    ASSERT_NE(f.get(), nullptr);
    std::fputs("this is a shopping list, not a library\n", f.get());
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
