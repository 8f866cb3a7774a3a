// core/atomic_file.cc — temp-write-fsync-rename (see atomic_file.h).
#include "core/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/c_file.h"

namespace trove {
namespace {

std::string errno_text() {
  return std::strerror(errno);
}

Status fsync_dir_of(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return make_error(dir + ": cannot open folder to sync: " + errno_text());
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return make_error(dir + ": cannot sync folder: " + errno_text());
  return {};
}

}  // namespace

Status write_file_atomic(const std::string& path, const std::function<Status(std::FILE*)>& write,
                         mode_t mode) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return make_error(tmp + ": cannot create: " + errno_text());
  ::fchmod(fd, mode);  // the umask may have masked bits off, or a stale tmp had others
  UniqueFile f(::fdopen(fd, "wb"));
  if (!f) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return make_error(tmp + ": cannot open: " + errno_text());
  }
  Status st = write(f.get());
  if (st && (std::fflush(f.get()) != 0 || ::fsync(::fileno(f.get())) != 0))
    st = make_error(tmp + ": write failed: " + errno_text());
  if (!close_file(f) && st) st = make_error(tmp + ": cannot close: " + errno_text());
  if (st && std::rename(tmp.c_str(), path.c_str()) != 0)
    st = make_error(path + ": cannot replace it with " + tmp + ": " + errno_text());
  if (!st) {
    ::unlink(tmp.c_str());
    return st;
  }
  return fsync_dir_of(path);
}

Status write_file_atomic(const std::string& path, std::string_view bytes, mode_t mode) {
  return write_file_atomic(
      path,
      [&](std::FILE* f) -> Status {
        if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size())
          return make_error(path + ": write failed: " + errno_text());
        return {};
      },
      mode);
}

Status commit_file(const std::string& tmp, const std::string& path) {
  int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return make_error(tmp + ": cannot open: " + errno_text());
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return make_error(tmp + ": cannot sync: " + errno_text());
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    return make_error(path + ": cannot rename from " + tmp + ": " + errno_text());
  return fsync_dir_of(path);
}

Status make_private_dir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::path p(dir);
  // Parents trove creates (e.g. ~/.local/share) are private too; existing ones are
  // left as they are.
  std::filesystem::path at;
  for (const auto& part : p) {
    at /= part;
    if (std::filesystem::exists(at, ec)) continue;
    if (::mkdir(at.c_str(), 0700) != 0 && errno != EEXIST)
      return make_error("cannot create folder " + at.string() + ": " + errno_text());
  }
  if (::chmod(dir.c_str(), 0700) != 0)
    return make_error("cannot set permissions of " + dir + ": " + errno_text());
  return {};
}

}  // namespace trove
