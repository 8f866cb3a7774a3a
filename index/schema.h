// index/schema.h — the library database's schema and its migrations.
//
// The schema version lives in PRAGMA user_version. kMigrations is an ordered list:
// migration i (0-based) takes a database from version i to i + 1. migrate() reads the
// version and runs every pending migration and the user_version bump in one write
// transaction, so a crash mid-upgrade leaves the previous version intact, concurrent
// openers of a new library migrate it once, and readers never see a half-built schema. A database whose version is newer than this build knows is
// refused with a message saying so (never "upgraded" backwards or half-understood).
//
// Vectors (next issue) hook in through: stable INTEGER PRIMARY KEY chunk ids, the
// `pending_vector_deletes` table that a trigger fills with every deleted chunk id, and
// the `meta` key/value table (vector generation, embedding model identity).
#pragma once

#include <span>
#include <string_view>

#include "core/result.h"
#include "index/sqlite.h"

namespace trove::index {

struct Migration {
  std::string_view description;
  std::string_view sql;
  // Optional work after `sql` in the same transaction (a rebuild that reports progress).
  Status (*after)(Db&) = nullptr;
};

// All migrations, oldest first. Never edit a released entry: append a new one.
std::span<const Migration> migrations();
int latest_schema_version();

Result<int> schema_version(Db& db);

// Applies `migrations` [current, target) in order, all in one transaction.
// `list` defaults to migrations(); tests pass a prefix to build old databases.
Status migrate(Db& db, std::span<const Migration> list);
inline Status migrate(Db& db) {
  return migrate(db, migrations());
}

}  // namespace trove::index
