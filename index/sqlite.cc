// index/sqlite.cc — RAII wrappers for sqlite3 (see sqlite.h).
#include "index/sqlite.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "index/cjk_tokenizer.h"

namespace trove::index {
namespace {

// An error about the file itself (I/O, disk full, damaged, read-only) names the file:
// "disk I/O error (in: COMMIT)" alone does not tell a cron log which library failed.
std::string file_prefix(sqlite3* db, int rc, std::string_view msg) {
  switch (rc & 0xff) {
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      break;
    default:
      return "";
  }
  const char* name = db ? sqlite3_db_filename(db, "main") : nullptr;
  if (name == nullptr || *name == '\0' || msg.find(name) != std::string_view::npos) return "";
  return std::string(name) + ": ";
}

Error sql_error(sqlite3* db, std::string_view what, std::string_view sql) {
  std::string msg = db ? file_prefix(db, sqlite3_extended_errcode(db), what) : "";
  msg += what;
  msg += ": ";
  msg += db ? sqlite3_errmsg(db) : "out of memory";
  if (!sql.empty()) {
    msg += " (in: ";
    msg += sql.substr(0, 120);
    msg += ")";
  }
  return make_error(std::move(msg));
}

// Switching a brand-new database to WAL needs an exclusive lock, and SQLite reports
// SQLITE_BUSY for it at once instead of calling the busy handler, so two processes
// opening a new library together would see "database is locked". Retry for as long as
// the busy timeout allows.
int exec_waiting_if_busy(sqlite3* db, const std::string& sql, int timeout_ms, std::string& err) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    char* msg = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &msg);
    err = msg ? msg : sqlite3_errstr(rc);
    sqlite3_free(msg);
    if ((rc & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline) return rc;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// A database file that exists must be a regular file. Without this check a folder at
// the path surfaces later as a vague SQL error, or as a library that looks empty. Only
// stat: opening and closing a descriptor of our own on the file would drop the POSIX
// locks every other connection of this process holds on it (SQLite's locks are
// per process), letting a reader see a half-written transaction. Its header is
// checked through SQLite once it is open (not_a_database).
Status check_database_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    if (err != ENOENT) {
      return make_error(path + ": cannot read the library database: " + std::strerror(err));
    }
    if (::lstat(path.c_str(), &st) != 0) return {};  // SQLite creates it (read-write) or reports it
    if (S_ISLNK(st.st_mode)) {
      return make_error(path + ": the library database is a symbolic link to nothing");
    }
    // Not a link: another process starting on a new home created the file between the
    // two calls (seen in 1 of 10 startup races); judge what is there now.
  }
  if (S_ISDIR(st.st_mode)) {
    return make_error(path +
                      ": the library database is a folder, not a file; "
                      "move it away to start a new library");
  }
  if (!S_ISREG(st.st_mode)) {
    return make_error(path + ": the library database is not a regular file");
  }
  return {};
}

Error not_a_database(const std::string& path) {
  struct stat st {};
  const long long size = ::stat(path.c_str(), &st) == 0 ? st.st_size : -1;
  return make_error(path + ": the library database is damaged: not an SQLite database (" +
                    std::to_string(size) + " bytes without SQLite's header)");
}

}  // namespace

void Db::Closer::operator()(sqlite3* db) const {
  // sqlite3_close_v2 defers the close until every statement is finalized, so the
  // order in which owners die does not matter.
  sqlite3_close_v2(db);
}

Result<Db> Db::open(const std::string& path, OpenMode mode, int busy_timeout_ms) {
  int flags = mode == OpenMode::kReadOnly ? SQLITE_OPEN_READONLY
                                          : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  flags |= SQLITE_OPEN_NOMUTEX;
  TROVE_TRY(check_database_file(path));
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Db db;
  db.db_.reset(raw);
  db.path_ = path;
  if (rc != SQLITE_OK) {
    return sql_error(raw, "cannot open database " + path, "");
  }
  sqlite3_extended_result_codes(raw, 1);
  // chunks_fts is tokenized by trove_cjk: every connection needs it before use.
  if (register_cjk_tokenizer(raw) != SQLITE_OK) {
    return sql_error(raw, "cannot register the CJK tokenizer on " + path, "");
  }
  sqlite3_busy_timeout(raw, busy_timeout_ms);
  std::string pragmas = "PRAGMA foreign_keys = ON;";
  if (mode == OpenMode::kReadWrite) {
    // WAL lets `trove search` read while `trove index` writes; NORMAL sync is
    // durable across process crashes (the case we promise) and much faster than FULL.
    pragmas += "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
  }
  std::string err;
  rc = exec_waiting_if_busy(raw, pragmas, busy_timeout_ms, err);
  // Page 1 is read here at the latest, so a file that is not a database (garbage, or
  // the header overwritten) is named as such before any command treats it as empty.
  if (rc == SQLITE_OK) {
    rc = exec_waiting_if_busy(raw, "SELECT count(*) FROM sqlite_master", busy_timeout_ms, err);
  }
  if ((rc & 0xff) == SQLITE_NOTADB) return not_a_database(path);
  if (rc != SQLITE_OK) return make_error("cannot configure database " + path + ": " + err);
  return db;
}

Status Db::exec(std::string_view sql) {
  std::string copy(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_.get(), copy.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return make_error(file_prefix(db_.get(), rc, msg) + msg + " (in: " + copy.substr(0, 120) +
                      ")");
  }
  return {};
}

Result<Stmt> Db::prepare(std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  if (rc != SQLITE_OK) return sql_error(db_.get(), "cannot prepare statement", sql);
  Stmt s;
  s.stmt_.reset(raw);
  s.db_ = db_.get();
  return s;
}

int64_t Db::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_.get());
}
int Db::changes() const {
  return sqlite3_changes(db_.get());
}

void Stmt::Finalizer::operator()(sqlite3_stmt* s) const {
  sqlite3_finalize(s);
}

Stmt& Stmt::bind(int i, int64_t v) {
  [[maybe_unused]] int rc = sqlite3_bind_int64(stmt_.get(), i, v);
  assert(rc == SQLITE_OK);
  return *this;
}

Stmt& Stmt::bind_blob(int i, const void* data, size_t bytes) {
  [[maybe_unused]] int rc = sqlite3_bind_blob64(
      stmt_.get(), i, data, static_cast<sqlite3_uint64>(bytes), SQLITE_TRANSIENT);
  assert(rc == SQLITE_OK);
  return *this;
}

std::pair<const void*, size_t> Stmt::column_blob(int i) const {
  const void* p = sqlite3_column_blob(stmt_.get(), i);
  return {p, static_cast<size_t>(sqlite3_column_bytes(stmt_.get(), i))};
}

Stmt& Stmt::bind(int i, double v) {
  [[maybe_unused]] int rc = sqlite3_bind_double(stmt_.get(), i, v);
  assert(rc == SQLITE_OK);
  return *this;
}

Stmt& Stmt::bind(int i, std::string_view v) {
  [[maybe_unused]] int rc =
      sqlite3_bind_text64(stmt_.get(), i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  assert(rc == SQLITE_OK);
  return *this;
}

Stmt& Stmt::bind_null(int i) {
  [[maybe_unused]] int rc = sqlite3_bind_null(stmt_.get(), i);
  assert(rc == SQLITE_OK);
  return *this;
}

Stmt& Stmt::bind(int i, const std::optional<std::string>& v) {
  return v ? bind(i, std::string_view(*v)) : bind_null(i);
}

Stmt& Stmt::bind(int i, const std::optional<int64_t>& v) {
  return v ? bind(i, *v) : bind_null(i);
}

Result<bool> Stmt::step() {
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const char* sql = sqlite3_sql(stmt_.get());
  return sql_error(db_, "statement failed", sql ? sql : "");
}

Status Stmt::run() {
  auto r = step();
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
  if (!r.ok()) return r.error();
  return {};
}

void Stmt::reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

int64_t Stmt::column_int(int i) const {
  return sqlite3_column_int64(stmt_.get(), i);
}
double Stmt::column_double(int i) const {
  return sqlite3_column_double(stmt_.get(), i);
}
bool Stmt::column_is_null(int i) const {
  return sqlite3_column_type(stmt_.get(), i) == SQLITE_NULL;
}

std::string Stmt::column_text(int i) const {
  const unsigned char* p = sqlite3_column_text(stmt_.get(), i);
  if (!p) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_.get(), i)));
}

Result<Transaction> Transaction::begin(Db& db) {
  // IMMEDIATE takes the write lock now, so a busy database fails here (after the busy
  // timeout) instead of halfway through a batch.
  TROVE_TRY(db.exec("BEGIN IMMEDIATE"));
  return Transaction(&db);
}

Transaction::~Transaction() {
  if (db_) (void)db_->exec("ROLLBACK");
}

Status Transaction::commit() {
  assert(db_);
  auto st = db_->exec("COMMIT");
  if (!st.ok()) return st;  // still open: the destructor rolls back
  db_ = nullptr;
  return {};
}

Result<ReadTransaction> ReadTransaction::begin(Db& db) {
  TROVE_TRY(db.exec("BEGIN"));
  return ReadTransaction(&db);
}

ReadTransaction::~ReadTransaction() {
  if (db_) (void)db_->exec("COMMIT");
}

Result<int64_t> query_int(Db& db, std::string_view sql) {
  auto stmt = db.prepare(sql);
  if (!stmt.ok()) return stmt.error();
  auto row = stmt->step();
  if (!row.ok()) return row.error();
  if (!*row) return make_error("query returned no row: " + std::string(sql));
  return stmt->column_int(0);
}

}  // namespace trove::index
