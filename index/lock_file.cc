// index/lock_file.cc — flock-based writer lock (see lock_file.h).
#include "index/lock_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace trove::index {
namespace {

constexpr std::string_view kHeldPrefix = "another trove index is running";
constexpr size_t kPidWidth = 20;  // wider than any pid_t in decimal

std::string read_pid(int fd) {
  char buf[32] = {};
  ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  std::string s = n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

Result<LockFile> LockFile::acquire(const std::string& path, LockWait wait) {
  // O_NOFOLLOW: a symlink planted at the lock path must not let us write through it;
  // O_NONBLOCK: a FIFO there must not hang the open (it is refused just below).
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
  if (fd < 0) {
    if (errno == ELOOP) {
      return make_error("lock file " + path +
                        " is a symbolic link; refusing to use it "
                        "(remove it and run again)");
    }
    return make_error("cannot open lock file " + path + ": " + std::strerror(errno));
  }
  LockFile lock(fd);  // closes fd on every early return
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    return make_error("lock file " + path +
                      " is not a regular file; refusing to use it "
                      "(remove it and run again)");
  }
  int op = LOCK_EX | (wait == LockWait::kFailFast ? LOCK_NB : 0);
  int rc;
  do {
    rc = ::flock(fd, op);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    if (errno == EWOULDBLOCK) {
      std::string pid = read_pid(fd);
      return make_error(std::string(kHeldPrefix) + (pid.empty() ? "" : " (pid " + pid + ")"));
    }
    return make_error("cannot lock " + path + ": " + std::strerror(errno));
  }
  // Never truncate: the pid is written padded to a fixed width (read_pid trims the
  // padding), so it always overwrites the previous holder's pid completely.
  std::string pid = std::to_string(::getpid());
  pid.resize(kPidWidth, ' ');
  pid += '\n';
  (void)::pwrite(fd, pid.data(), pid.size(), 0);
  return lock;
}

LockFile::~LockFile() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

bool lock_is_held(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return false;
  bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);  // releases the shared lock if we got it
  return held;
}

std::string lock_holder_pid(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return {};
  std::string pid = read_pid(fd);
  ::close(fd);
  return pid;
}

bool is_lock_held_error(const Error& e) {
  return e.message.rfind(kHeldPrefix, 0) == 0;
}

}  // namespace trove::index
