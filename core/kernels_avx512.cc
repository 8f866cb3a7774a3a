// core/kernels_avx512.cc — the AVX-512 kernel table (placeholder: scalar).
#include "core/kernels_internal.h"

namespace trove::kern {

const KernelTable& avx512_table() {
  static const KernelTable table = [] {
    KernelTable t = scalar_table();
    t.level = SimdLevel::kAvx512;
    return t;
  }();
  return table;
}

}  // namespace trove::kern
