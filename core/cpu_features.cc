// core/cpu_features.cc — cpuid/xgetbv probing behind core/cpu_features.h.
#include "core/cpu_features.h"

#include <cpuid.h>

#include <cstdint>

namespace trove {
namespace {

uint64_t read_xcr0() {
  uint32_t eax = 0;
  uint32_t edx = 0;
  // xgetbv with ecx = 0; spelled as bytes-free inline asm so no -mxsave flag is needed.
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<uint64_t>(edx) << 32) | eax;
}

CpuFeatures probe() {
  CpuFeatures f;
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return f;
  const bool osxsave = (c & bit_OSXSAVE) != 0;
  const bool fma = (c & bit_FMA) != 0;
  const bool f16c = (c & bit_F16C) != 0;
  if (!osxsave) return f;
  const uint64_t xcr0 = read_xcr0();
  const bool ymm_saved = (xcr0 & 0x6) == 0x6;    // SSE and AVX state
  const bool zmm_saved = (xcr0 & 0xE6) == 0xE6;  // plus opmask and both ZMM halves
  if (!ymm_saved) return f;
  f.fma = fma;
  f.f16c = f16c;
  if (__get_cpuid_max(0, nullptr) < 7) return f;
  __cpuid_count(7, 0, a, b, c, d);
  f.avx2 = (b & bit_AVX2) != 0;
  f.bmi2 = (b & bit_BMI2) != 0;
  if (zmm_saved) {
    f.avx512f = (b & bit_AVX512F) != 0;
    f.avx512bw = (b & bit_AVX512BW) != 0;
    f.avx512vl = (b & bit_AVX512VL) != 0;
    f.avx512dq = (b & bit_AVX512DQ) != 0;
    f.avx512vnni = (c & bit_AVX512VNNI) != 0;
  }
  return f;
}

}  // namespace

const CpuFeatures& cpu_features() {
  static const CpuFeatures features = probe();
  return features;
}

}  // namespace trove
