// core/mmap_file.cc — POSIX mmap behind the MmapFile RAII type.
#include "core/mmap_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace trove {
namespace {

// Closes the descriptor on every path out of open(); the mapping keeps the file alive.
struct FdGuard {
  int fd;
  ~FdGuard() {
    if (fd >= 0) ::close(fd);
  }
};

std::string errno_text(const std::string& path, const char* what) {
  return path + ": " + what + ": " + std::strerror(errno);
}

}  // namespace

// O_NONBLOCK so that a FIFO named as a model fails at the S_ISREG check instead of
// blocking open() until some writer appears.
Result<MmapFile> MmapFile::open(const std::string& path) {
  FdGuard fd{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
  if (fd.fd < 0) return make_error(errno_text(path, "cannot open"));
  struct stat st {};
  if (::fstat(fd.fd, &st) != 0) return make_error(errno_text(path, "cannot stat"));
  if (!S_ISREG(st.st_mode)) return make_error(path + ": not a regular file");
  const auto size = static_cast<size_t>(st.st_size);
  if (size == 0) return MmapFile(nullptr, 0);  // mmap rejects length 0
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.fd, 0);
  if (p == MAP_FAILED) return make_error(errno_text(path, "cannot map"));
  return MmapFile(static_cast<const uint8_t*>(p), size);
}

MmapFile::MmapFile(MmapFile&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

MmapFile& MmapFile::operator=(MmapFile&& other) noexcept {
  if (this != &other) {
    release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

MmapFile::~MmapFile() {
  release();
}

void MmapFile::release() {
  if (data_ != nullptr) ::munmap(const_cast<uint8_t*>(data_), size_);
  data_ = nullptr;
  size_ = 0;
}

}  // namespace trove
