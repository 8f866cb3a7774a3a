// tests/fuzz/gguf_fuzz.cc — libFuzzer target for GgufFile::open.
//
// Each input is written to a memfd and opened through /proc/self/fd, so the real
// open() path (mmap included) runs without touching the disk. Whatever opens is then
// walked completely: every getter on every key, and the first and last byte of every
// tensor, so that a validation gap shows up as a crash here rather than in a model
// loader later.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/gguf.h"

namespace {

int memfd() {
  static const int fd = memfd_create("gguf_fuzz", MFD_CLOEXEC);
  return fd;
}

volatile uint8_t g_sink;

void walk(const trove::GgufFile& f) {
  for (const auto& [key, v] : f.metadata()) {
    (void)f.get_uint(key);
    (void)f.get_int(key);
    (void)f.get_float(key);
    (void)f.get_bool(key);
    (void)f.get_string(key);
    if (auto s = f.get_string_array(key)) {
      for (std::string_view x : *s) {
        if (!x.empty()) g_sink = static_cast<uint8_t>(x.back());
      }
    }
    (void)f.get_float_array(key);
    (void)f.get_int_array(key);
    if (f.find(key) != &v) __builtin_trap();
  }
  for (const trove::GgufTensorInfo& t : f.tensors()) {
    const auto* p = static_cast<const uint8_t*>(t.data);
    g_sink = p[0];
    g_sink = p[t.nbytes - 1];
    if (f.find_tensor(t.name) != &t) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const int fd = memfd();
  if (fd < 0 || ftruncate(fd, 0) != 0) return 0;
  if (size > 0 && pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)) return 0;
  auto f = trove::GgufFile::open("/proc/self/fd/" + std::to_string(fd));
  if (f) walk(*f);
  return 0;
}
