// cli/version.cc — the version line. TROVE_VERSION and TROVE_GIT_COMMIT are set on
// this file only (cli/CMakeLists.txt), so a new commit recompiles one small file.
#include "cli/version.h"

#include "core/kernels_internal.h"

#ifndef TROVE_VERSION
#define TROVE_VERSION "unknown"
#endif
#ifndef TROVE_GIT_COMMIT
#define TROVE_GIT_COMMIT "unknown"
#endif

namespace trove::cli {

std::string version_line() {
  // The kernel level actually chosen on this CPU (TROVE_SIMD may lower it).
  return std::string("trove ") + TROVE_VERSION + " (commit " + TROVE_GIT_COMMIT + ", kernels " +
         kern::simd_level_name(kern::best_kernels().level) + ")";
}

}  // namespace trove::cli
