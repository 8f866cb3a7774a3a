// core/atomic_file.h — the one way trove replaces a file: write a temporary beside
// it, flush and fsync it, rename it over the target, fsync the folder. A crash at
// any point leaves the old file or the new one, never a torn one; the temporary is
// removed on failure. Files are created with `mode` (0600: private) whatever the
// process umask, because they describe private documents.
#pragma once

#include <sys/types.h>

#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace trove {

// `write` fills the open temporary; an error from it aborts the replacement.
Status write_file_atomic(const std::string& path, const std::function<Status(std::FILE*)>& write,
                         mode_t mode = 0600);
Status write_file_atomic(const std::string& path, std::string_view bytes, mode_t mode = 0600);

// The last step for a temporary written elsewhere (a download's .part): fsync it,
// rename it to `path`, fsync the folder.
Status commit_file(const std::string& tmp, const std::string& path);

// Creates `dir` and its missing parents with mode 0700 and makes `dir` itself 0700,
// whatever the umask.
Status make_private_dir(const std::string& dir);

}  // namespace trove
