// index/library.h — where the library lives on disk and how it is opened.
//
// Home: the --home flag, else $TROVE_HOME, else $XDG_DATA_HOME/trove, else
// ~/.local/share/trove. The home folder is created 0700; every file in it is made
// 0600 (umask 077 is set when the library is opened, and files left by an older
// trove or another umask are chmod-ed). open_library() migrates the schema to the
// latest version, or refuses a database written by a newer trove.
#pragma once

#include <string>

#include "core/result.h"
#include "index/sqlite.h"

namespace trove::index {

struct LibraryPaths {
  std::string home;     // absolute folder
  std::string db;       // home/trove.db
  std::string lock;     // home/trove.lock
  std::string vectors;  // home/vectors.faiss (owned by the vector store)
};

// Resolves the home folder (flag → env → XDG → ~). Does not touch the disk.
Result<LibraryPaths> resolve_library_paths(const std::string& home_flag);

// True when anything is at the database path (commands that only read use this to say
// "the library is empty" instead of creating one). A folder or a damaged file counts
// as present: Db::open then fails with an error naming the file and what is wrong.
// A database with no schema at all yet (another process is creating the library and
// has not committed its schema) counts as absent.
bool library_exists(const LibraryPaths& paths);

// Creates the home folder (0700) if needed, fixes permissions, opens trove.db and
// brings its schema up to date.
Result<Db> open_library(const LibraryPaths& paths);

// Opens trove.db read-only, for commands that only read (status, search, show, the
// servers). A library an older trove wrote is upgraded first, as open_library() does:
// readers' queries name tables added since (`trove status` on a v5 library said "no
// such table: exclusions"). A database with no schema yet (being created) is opened
// as it is.
Result<Db> open_library_read_only(const LibraryPaths& paths);

}  // namespace trove::index
