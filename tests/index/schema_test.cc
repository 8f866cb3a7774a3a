// tests/index/schema_test.cc — migrations, newer-version refusal, file permissions.
#include <gtest/gtest.h>
#include <sys/stat.h>

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

}  // namespace
}  // namespace trove::index
