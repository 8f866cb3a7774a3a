// core/c_file.h — the one owner of a C stdio FILE*.
//
// UniqueFile closes its FILE* when it goes out of scope; close_file() closes it early
// and says whether the close succeeded (a buffered write's error may only show there,
// so a writer that promises durability must look).
//
// clang-tidy's cppcoreguidelines-owning-memory asks for gsl::owner<FILE*> wherever a
// FILE* is closed. This project has no GSL: the unique_ptr is the owner, and these two
// are the only places that call fclose, hence the NOLINTs.
#pragma once

#include <cstdio>
#include <memory>

namespace trove {

struct FileCloser {
  void operator()(std::FILE* f) const noexcept {
    if (f != nullptr) std::fclose(f);  // NOLINT(cppcoreguidelines-owning-memory)
  }
};

using UniqueFile = std::unique_ptr<std::FILE, FileCloser>;

// Closes f now; true when fclose succeeded (false too when f held nothing).
inline bool close_file(UniqueFile& f) noexcept {
  std::FILE* raw = f.release();
  return raw != nullptr && std::fclose(raw) == 0;  // NOLINT(cppcoreguidelines-owning-memory)
}

}  // namespace trove
