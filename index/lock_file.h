// index/lock_file.h — the writer lock: one `trove index` per library at a time.
//
// An flock(2) on $home/trove.lock, held for the life of the LockFile object and
// released by the kernel if the process dies (so a SIGKILL never leaves a stale lock).
// The holder writes its pid into the file so a refused second writer can say who holds
// it (padded, never truncated). The path is opened O_NOFOLLOW and must be a regular
// file, so a symlink or FIFO planted there is refused, not written through.
// Readers (`trove search`) never take this lock; SQLite WAL keeps them consistent.
#pragma once

#include <string>

#include "core/result.h"

namespace trove::index {

enum class LockWait { kFailFast, kWait };

class LockFile {
 public:
  // kFailFast: returns an error "another trove index is running (pid N)" when held.
  static Result<LockFile> acquire(const std::string& path, LockWait wait);

  LockFile(LockFile&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  LockFile& operator=(LockFile&&) = delete;
  LockFile(const LockFile&) = delete;
  ~LockFile();

 private:
  explicit LockFile(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// True when a writer holds the lock at `path` now (readers use it to tell a running
// index from one that was killed). Creates nothing; false when the file is missing.
bool lock_is_held(const std::string& path);

// The pid recorded in the lock file, or "" (for `{"error":"locked","holder_pid":…}`).
std::string lock_holder_pid(const std::string& path);

// True when the error returned by acquire() means "somebody else holds it".
bool is_lock_held_error(const Error& e);

}  // namespace trove::index
