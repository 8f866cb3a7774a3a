// core/cpu_features.h — what the CPU this process runs on can execute, read once from
// cpuid and xgetbv (the OS must also save the wider registers, or the instructions
// fault even when cpuid lists them).
#pragma once

namespace trove {

struct CpuFeatures {
  bool avx2 = false;
  bool fma = false;
  bool f16c = false;
  bool bmi2 = false;
  bool avx512f = false;
  bool avx512bw = false;
  bool avx512vl = false;
  bool avx512dq = false;
  bool avx512vnni = false;

  // The sets our kernel files are compiled for (core/CMakeLists.txt).
  bool has_avx2_set() const { return avx2 && fma && f16c && bmi2; }
  bool has_avx512_set() const {
    return has_avx2_set() && avx512f && avx512bw && avx512vl && avx512dq && avx512vnni;
  }
};

const CpuFeatures& cpu_features();

}  // namespace trove
