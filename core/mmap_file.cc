// core/mmap_file.cc — POSIX mmap behind the MmapFile RAII type.
#include "core/mmap_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <mutex>
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

// Mappings a SIGBUS may come from. A mapped file that shrinks under us (truncated,
// rewritten in place) makes reading the lost pages raise SIGBUS: the handler looks
// the faulting address up here and turns the crash into a clear error naming the
// file. Fixed slots with atomics only: the handler may run at any moment.
struct Slot {
  std::atomic<uintptr_t> begin{0};
  std::atomic<uintptr_t> end{0};
  char path[512] = {};
};
constexpr int kSlots = 64;
Slot g_slots[kSlots];
struct sigaction g_previous {};

void write_all(const char* s) {
  size_t n = std::strlen(s);
  while (n > 0) {
    ssize_t w = ::write(2, s, n);
    if (w <= 0) return;
    s += w;
    n -= static_cast<size_t>(w);
  }
}

// The command-line's "model problem" status (cli/exit_codes.h, kExitModel): only model
// files are mapped. core/ cannot include cli/, so the number is repeated here.
constexpr int kExitModelFile = 6;

void on_sigbus(int sig, siginfo_t* info, void* ctx) {
  const auto addr = reinterpret_cast<uintptr_t>(info->si_addr);
  for (Slot& slot : g_slots) {
    const uintptr_t b = slot.begin.load(std::memory_order_acquire);
    if (b != 0 && addr >= b && addr < slot.end.load(std::memory_order_acquire)) {
      write_all("trove: ");
      write_all(slot.path);
      write_all(
          ": the file shrank while trove was reading it (truncated or rewritten in "
          "place?); stopping. Replace model files by renaming a complete copy over "
          "them.\n");
      ::_exit(kExitModelFile);
    }
  }
  // Not one of ours: behave as if we had never been here.
  if (g_previous.sa_flags & SA_SIGINFO) {
    if (g_previous.sa_sigaction != nullptr) return g_previous.sa_sigaction(sig, info, ctx);
  } else if (g_previous.sa_handler != SIG_DFL && g_previous.sa_handler != SIG_IGN) {
    return g_previous.sa_handler(sig);
  }
  ::signal(SIGBUS, SIG_DFL);
  ::raise(SIGBUS);
}

void install_sigbus_handler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa {};
    sa.sa_sigaction = on_sigbus;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGBUS, &sa, &g_previous);
  });
}

void register_mapping(const void* p, size_t size, const std::string& path) {
  install_sigbus_handler();
  for (Slot& slot : g_slots) {
    uintptr_t expected = 0;
    // Claim the slot with a placeholder so the path is written before begin is real.
    if (!slot.begin.compare_exchange_strong(expected, 1, std::memory_order_acq_rel)) continue;
    std::snprintf(slot.path, sizeof slot.path, "%s", path.c_str());
    slot.end.store(reinterpret_cast<uintptr_t>(p) + size, std::memory_order_release);
    slot.begin.store(reinterpret_cast<uintptr_t>(p), std::memory_order_release);
    return;
  }
  // More than kSlots live mappings: this one crashes plainly on SIGBUS, as before.
}

void unregister_mapping(const void* p) {
  for (Slot& slot : g_slots) {
    if (slot.begin.load(std::memory_order_acquire) == reinterpret_cast<uintptr_t>(p)) {
      slot.end.store(0, std::memory_order_release);
      slot.begin.store(0, std::memory_order_release);
      return;
    }
  }
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
  register_mapping(p, size, path);
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
  if (data_ != nullptr) {
    unregister_mapping(data_);
    ::munmap(const_cast<uint8_t*>(data_), size_);
  }
  data_ = nullptr;
  size_ = 0;
}

}  // namespace trove
