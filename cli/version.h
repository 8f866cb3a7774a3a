// cli/version.h — what `trove --version` prints: version, commit and SIMD level.
#pragma once

#include <string>

namespace trove::cli {

// "trove 0.1.0 (commit 1a2b3c4d5e6f, kernels avx2)"
std::string version_line();

}  // namespace trove::cli
