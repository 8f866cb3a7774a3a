// core/mmap_file.h — a read-only memory mapping of a whole file, owned RAII-style.
//
// The mapping lives as long as the MmapFile; views into it (GGUF tensors, strings)
// must not outlive it. Move-only. An empty file maps to an empty span.
//
// A mapped file that shrinks while mapped (truncated, rewritten in place) would kill
// the process with SIGBUS on the first read of a lost page. open() installs a SIGBUS
// handler (once) that recognises addresses inside live mappings and exits with status
// 6 (the CLI's "model problem") and "trove: PATH: the file shrank while trove was reading it" instead; other
// SIGBUS signals go to the previous handler. Sizes are checked against the file's own
// tables at open (core/gguf.h), so a file that was already short never gets this far.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "core/result.h"

namespace trove {

class MmapFile {
 public:
  static Result<MmapFile> open(const std::string& path);

  MmapFile() = default;
  MmapFile(MmapFile&& other) noexcept;
  MmapFile& operator=(MmapFile&& other) noexcept;
  MmapFile(const MmapFile&) = delete;
  MmapFile& operator=(const MmapFile&) = delete;
  ~MmapFile();

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  std::span<const uint8_t> bytes() const { return {data_, size_}; }

 private:
  MmapFile(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  void release();

  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace trove
