// index/library.cc — locating, creating and opening the library (see library.h).
#include "index/library.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "index/schema.h"

namespace trove::index {
namespace {

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

Status make_private_dirs(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return make_error("cannot create library folder " + dir + ": " + ec.message());
  if (::chmod(dir.c_str(), 0700) != 0) {
    return make_error("cannot set permissions of " + dir + ": " + std::strerror(errno));
  }
  return {};
}

void make_private_file_if_present(const std::string& path) {
  struct stat st {};
  // lstat: a symlink planted in the home must not get its target chmod-ed.
  if (::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0077) != 0) {
    ::chmod(path.c_str(), 0600);
  }
}

}  // namespace

Result<LibraryPaths> resolve_library_paths(const std::string& home_flag) {
  std::string home = home_flag;
  if (home.empty()) home = env_or_empty("TROVE_HOME");
  if (home.empty()) {
    std::string xdg = env_or_empty("XDG_DATA_HOME");
    if (!xdg.empty()) home = xdg + "/trove";
  }
  if (home.empty()) {
    std::string user_home = env_or_empty("HOME");
    if (user_home.empty()) {
      return make_error(
          "cannot find the library: none of --home, $TROVE_HOME, "
          "$XDG_DATA_HOME or $HOME is set");
    }
    home = user_home + "/.local/share/trove";
  }
  std::error_code ec;
  auto abs = std::filesystem::absolute(home, ec);
  if (ec) return make_error("bad library folder " + home + ": " + ec.message());
  LibraryPaths p;
  p.home = abs.lexically_normal().string();
  while (p.home.size() > 1 && p.home.back() == '/') p.home.pop_back();
  p.db = p.home + "/trove.db";
  p.lock = p.home + "/trove.lock";
  p.vectors = p.home + "/vectors.faiss";
  return p;
}

namespace {

// A database with schema version 0 and no tables: what `trove index` has created an
// instant before it commits the schema (migrate() commits it all at once).
bool holds_no_schema_yet(const std::string& db_path) {
  auto db = Db::open(db_path, OpenMode::kReadOnly);
  if (!db.ok()) return false;  // damaged or unreadable: opening it again reports why
  auto snapshot = ReadTransaction::begin(*db);  // version and tables from one snapshot
  if (!snapshot.ok()) return false;
  auto version = schema_version(*db);
  auto tables = query_int(*db, "SELECT count(*) FROM sqlite_master");
  return version.ok() && tables.ok() && *version == 0 && *tables == 0;
}

}  // namespace

bool library_exists(const LibraryPaths& paths) {
  // Anything at the path counts: a folder or a garbage file there is a damaged library,
  // which opening reports, not an empty one.
  struct stat st {};
  if (::lstat(paths.db.c_str(), &st) != 0 && errno == ENOENT) return false;
  // But a database another process is creating right now holds nothing yet: readers
  // starting alongside the first `trove index` see an empty library, not
  // "no such table".
  return !holds_no_schema_yet(paths.db);
}

Result<Db> open_library(const LibraryPaths& paths) {
  // Documents are private: everything the library writes (db, WAL, shm, lock,
  // vectors) must be unreadable to other users from the first byte on.
  ::umask(077);
  TROVE_TRY(make_private_dirs(paths.home));
  for (const char* suffix : {"", "-wal", "-shm"}) {
    make_private_file_if_present(paths.db + suffix);
  }
  make_private_file_if_present(paths.lock);
  make_private_file_if_present(paths.vectors);
  auto db = Db::open(paths.db);
  if (!db.ok()) return db.error();
  TROVE_TRY(migrate(*db));
  return db;
}

Result<Db> open_library_read_only(const LibraryPaths& paths) {
  auto db = Db::open(paths.db, OpenMode::kReadOnly);
  if (!db.ok()) return db.error();
  auto v = schema_version(*db);
  if (!v.ok()) return v.error();
  if (*v == 0 || *v >= latest_schema_version()) return db;
  // Upgraded by a write connection, once (it takes the write lock for the migration
  // only; a concurrent `trove index` makes it wait, as any writer does).
  auto rw = open_library(paths);
  if (!rw.ok()) return rw.error();
  return Db::open(paths.db, OpenMode::kReadOnly);
}

}  // namespace trove::index
