// tests/index/temp_library.h — a throw-away home + source folder for index tests, and
// the consistency checks every test runs after changing the library.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "index/indexer.h"
#include "index/library.h"
#include "index/lock_file.h"
#include "index/sqlite.h"

namespace trove::index::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "trove-test-XXXXXX").string();
    char* p = ::mkdtemp(tmpl.data());
    EXPECT_NE(p, nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline void write_file(const std::string& path, const std::string& content) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

// Sets the mtime explicitly so "changed" never depends on the clock's resolution.
inline void set_mtime(const std::string& path, long seconds) {
  struct timespec ts[2] = {{seconds, 0}, {seconds, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), ts, 0), 0);
}

// A library in a temp home plus a source folder next to it.
class TempLibrary {
 public:
  TempLibrary() : home_(dir_.path() + "/home"), source_(dir_.path() + "/src") {
    std::filesystem::create_directories(source_);
    auto p = resolve_library_paths(home_);
    EXPECT_TRUE(p.ok());
    paths_ = *p;
  }
  const std::string& source() const { return source_; }
  const LibraryPaths& paths() const { return paths_; }

  Db open() {
    auto db = open_library(paths_);
    EXPECT_TRUE(db.ok()) << (db.ok() ? "" : db.error().message);
    return std::move(*db);
  }

  IndexSummary index(IndexOptions opt = {}) {
    if (opt.paths.empty()) opt.paths = {source_};
    Db db = open();
    auto s = index_sources(db, opt);
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    return s.ok() ? *s : IndexSummary{};
  }

 private:
  TempDir dir_;
  std::string home_, source_;
  LibraryPaths paths_;
};

inline int64_t count(Db& db, const std::string& sql) {
  auto v = query_int(db, sql);
  EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().message) << " in " << sql;
  return v.ok() ? *v : -1;
}

// The invariants a library must satisfy after any run, finished or killed.
inline void expect_consistent(Db& db) {
  auto st = db.prepare("PRAGMA integrity_check");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(*st->step());
  EXPECT_EQ(st->column_text(0), "ok");
  EXPECT_TRUE(db.exec("INSERT INTO chunks_fts(chunks_fts) VALUES('integrity-check')").ok());
  EXPECT_EQ(count(db,
                  "SELECT count(*) FROM chunks WHERE document_id NOT IN "
                  "(SELECT id FROM documents)"),
            0);
  EXPECT_EQ(count(db,
                  "SELECT count(*) FROM (SELECT path FROM documents GROUP BY path "
                  "HAVING count(*) > 1)"),
            0);
  EXPECT_EQ(count(db, "SELECT count(*) FROM chunks_fts"), count(db, "SELECT count(*) FROM chunks"));
  EXPECT_EQ(count(db,
                  "SELECT count(*) FROM chunks c JOIN documents d ON d.id = c.document_id "
                  "WHERE d.status = 'failed'"),
            0);
}

}  // namespace trove::index::testing
