// index/sqlite.h — RAII wrappers for sqlite3 connections and statements.
//
// Db owns one sqlite3* connection; Stmt owns one prepared sqlite3_stmt*. Both are
// move-only. Errors come back as Status/Result with SQLite's message and the SQL that
// failed, never as exceptions. Transaction is a scope guard: it rolls back unless
// commit() succeeded, so an early return can never leave a transaction open.
//
// Thread-safety: a Db and its Stmts belong to one thread at a time (SQLite's
// multi-thread mode); readers on other threads open their own Db.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace trove::index {

class Stmt;

enum class OpenMode { kReadWrite, kReadOnly };

class Db {
 public:
  // Opens (creating if kReadWrite) `path` with WAL, foreign keys and a busy timeout.
  static Result<Db> open(const std::string& path, OpenMode mode = OpenMode::kReadWrite,
                         int busy_timeout_ms = 5000);

  Db() = default;
  Db(Db&&) noexcept = default;
  Db& operator=(Db&&) noexcept = default;

  // Runs one or more statements that return no rows.
  Status exec(std::string_view sql);
  Result<Stmt> prepare(std::string_view sql);

  int64_t last_insert_rowid() const;
  int changes() const;
  sqlite3* handle() const { return db_.get(); }
  const std::string& path() const { return path_; }

 private:
  struct Closer {
    void operator()(sqlite3* db) const;
  };
  std::unique_ptr<sqlite3, Closer> db_;
  std::string path_;
  friend class Stmt;
};

// A prepared statement. Bind indexes are 1-based, column indexes 0-based, as in SQLite.
class Stmt {
 public:
  Stmt() = default;
  Stmt(Stmt&&) noexcept = default;
  Stmt& operator=(Stmt&&) noexcept = default;

  Stmt& bind(int i, int64_t v);
  Stmt& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
  Stmt& bind(int i, double v);
  Stmt& bind(int i, std::string_view v);  // copied by SQLite (SQLITE_TRANSIENT)
  Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Stmt& bind_null(int i);
  Stmt& bind_blob(int i, const void* data, size_t bytes);  // copied by SQLite
  // Binds NULL when the optional is empty.
  Stmt& bind(int i, const std::optional<std::string>& v);
  Stmt& bind(int i, const std::optional<int64_t>& v);

  // Advances: true = a row is ready, false = done. Errors carry the SQL text.
  Result<bool> step();
  // Steps a statement that must not return rows (INSERT/UPDATE/DELETE), then resets it.
  Status run();
  // Resets and clears bindings so the statement can be reused.
  void reset();

  int64_t column_int(int i) const;
  double column_double(int i) const;
  std::string column_text(int i) const;  // "" for NULL
  bool column_is_null(int i) const;
  // A BLOB column's bytes; valid until the next step/reset.
  std::pair<const void*, size_t> column_blob(int i) const;

  sqlite3_stmt* handle() const { return stmt_.get(); }

 private:
  friend class Db;
  struct Finalizer {
    void operator()(sqlite3_stmt* s) const;
  };
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
  sqlite3* db_ = nullptr;  // not owned: the connection that prepared it
};

// BEGIN IMMEDIATE … COMMIT guard; destruction without commit() rolls back.
class Transaction {
 public:
  static Result<Transaction> begin(Db& db);
  Transaction(Transaction&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();
  Status commit();

 private:
  explicit Transaction(Db* db) : db_(db) {}
  Db* db_ = nullptr;  // not owned; null once committed or rolled back
};

// BEGIN (deferred) … COMMIT: several reads see one snapshot, even while another
// process commits (WAL). Ends on destruction.
class ReadTransaction {
 public:
  static Result<ReadTransaction> begin(Db& db);
  ReadTransaction(ReadTransaction&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }
  ReadTransaction& operator=(ReadTransaction&&) = delete;
  ReadTransaction(const ReadTransaction&) = delete;
  ~ReadTransaction();

 private:
  explicit ReadTransaction(Db* db) : db_(db) {}
  Db* db_ = nullptr;  // not owned
};

// Runs a query returning one integer (e.g. "SELECT count(*) FROM chunks").
Result<int64_t> query_int(Db& db, std::string_view sql);

}  // namespace trove::index
