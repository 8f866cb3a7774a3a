// core/kernels.cc — run-time dispatch and the matrix products of core/kernels.h.
//
// matvec (decode): the activation row is quantized once to the weight type's int8
// format, then weight rows are split over the pool; each row is read exactly once, so
// the product runs at memory bandwidth when the dot kernels keep up.
// matmul (batches): the activations of all tokens are quantized once, then the output
// is cut into tiles of rows x tokens spread over the pool, and each tile goes to the
// table's tile kernel: a register-blocked int8 GEMM for the common types
// (core/gemm_avx2.h), so a weight block is decoded once per few tokens and an
// activation block loaded once per few rows. Types without such a kernel dequantize
// row tiles for OpenBLAS sgemm at large batches, as float weights always do (see
// matmul_path for the measurements).
#include <cblas.h>

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "core/cpu_features.h"
#include "core/fp16.h"
#include "core/kernels.h"
#include "core/kernels_internal.h"
#include "core/quant_blocks.h"

namespace trove {
namespace kern {

const char* simd_level_name(SimdLevel level) {
  switch (level) {
    case SimdLevel::kScalar:
      return "scalar";
    case SimdLevel::kAvx2:
      return "avx2";
    case SimdLevel::kAvx512:
      return "avx512";
  }
  return "?";
}

const KernelTable* kernels_for(SimdLevel level) {
  const CpuFeatures& f = cpu_features();
  switch (level) {
    case SimdLevel::kScalar:
      return &scalar_table();
    case SimdLevel::kAvx2:
      return f.has_avx2_set() ? &avx2_table() : nullptr;
    case SimdLevel::kAvx512:
      return f.has_avx512_set() ? &avx512_table() : nullptr;
  }
  return nullptr;
}

// The best level the CPU has, unless TROVE_SIMD=scalar|avx2|avx512 names another
// (to compare levels, or to step around a suspected kernel bug); a level the CPU lacks
// falls back to the best below it. AVX-512 is the default where the CPU has it: its
// kernels passed every scalar-twin and fixture test on Sapphire Rapids.
const KernelTable& best_kernels() {
  static const KernelTable* best = [] {
    const char* env = std::getenv("TROVE_SIMD");
    const std::string want = env ? env : "avx512";
    std::vector<SimdLevel> order;
    if (want == "avx2") {
      order = {SimdLevel::kAvx2};
    } else if (want != "scalar") {
      order = {SimdLevel::kAvx512, SimdLevel::kAvx2};
    }
    for (SimdLevel l : order) {
      if (const KernelTable* t = kernels_for(l)) return t;
    }
    return &scalar_table();
  }();
  return *best;
}

GgmlType act_type(GgmlType weight) {
  switch (weight) {
    case GgmlType::kF32:
    case GgmlType::kF16:
    case GgmlType::kBF16:
      return GgmlType::kF32;
    case GgmlType::kQ4_0:
    case GgmlType::kQ5_0:
    case GgmlType::kQ8_0:
      return GgmlType::kQ8_0;
    case GgmlType::kQ4_1:
    case GgmlType::kQ5_1:
      return GgmlType::kQ8_1;
    case GgmlType::kQ2_K:
    case GgmlType::kQ3_K:
    case GgmlType::kQ4_K:
    case GgmlType::kQ5_K:
    case GgmlType::kQ6_K:
      return GgmlType::kQ8_K;
    case GgmlType::kQ8_1:
    case GgmlType::kQ8_K:
      break;
  }
  assert(false && "act_type: weights of this type cannot be multiplied");
  return GgmlType::kF32;
}

size_t act_row_bytes(GgmlType weight, int64_t n) {
  switch (act_type(weight)) {
    case GgmlType::kQ8_0:
      return static_cast<size_t>(n / quant::kQK) * sizeof(quant::BlockQ8_0);
    case GgmlType::kQ8_1:
      return static_cast<size_t>(n / quant::kQK) * sizeof(quant::BlockQ8_1);
    case GgmlType::kQ8_K:
      return static_cast<size_t>(n / quant::kQKK) * sizeof(quant::BlockQ8_K);
    default:
      return static_cast<size_t>(n) * sizeof(float);
  }
}

void quantize_act(const KernelTable& k, GgmlType weight, const float* x, void* dst, int64_t n) {
  switch (act_type(weight)) {
    case GgmlType::kQ8_0:
      return k.quantize_q8_0(x, dst, n);
    case GgmlType::kQ8_1:
      return k.quantize_q8_1(x, dst, n);
    case GgmlType::kQ8_K:
      return k.quantize_q8_K(x, dst, n);
    default:
      std::memcpy(dst, x, static_cast<size_t>(n) * sizeof(float));
  }
}

}  // namespace kern

namespace {

using kern::KernelTable;

bool is_float_type(GgmlType t) {
  return t == GgmlType::kF32 || t == GgmlType::kF16 || t == GgmlType::kBF16;
}

// Scratch that lives as long as the calling thread, so decode does not allocate per
// matvec. uint64_t elements keep int8 blocks and floats 8-byte aligned.
uint8_t* scratch_bytes(std::vector<uint64_t>& buf, size_t bytes) {
  if (buf.size() * sizeof(uint64_t) < bytes) buf.resize((bytes + 7) / 8);
  return reinterpret_cast<uint8_t*>(buf.data());
}

void run(ThreadPool* pool, int64_t n, int64_t grain,
         const std::function<void(int64_t, int64_t, int)>& fn) {
  if (pool != nullptr) {
    pool->parallel_for(n, fn, grain);
  } else {
    fn(0, n, 0);
  }
}

// Rows per chunk so a chunk reads at least ~32 KiB of weights: below that the
// dispatch cost shows, above it the split across threads gets uneven.
int64_t row_grain(const TensorView& w) {
  return std::max<int64_t>(4, static_cast<int64_t>(32768 / std::max<size_t>(1, w.row_bytes)));
}

// y[lo..hi) of one matvec: the level's row kernel, or a dot per row.
void rows_of(const KernelTable& k, const TensorView& w, int64_t lo, int64_t hi, const void* act,
             float* y) {
  const int ti = static_cast<int>(w.type);
  if (k.rows[ti] != nullptr) {
    k.rows[ti](w.cols, w.row(lo), w.row_bytes, static_cast<int>(hi - lo), act, y + lo);
    return;
  }
  for (int64_t r = lo; r < hi; ++r) y[r] = k.vec_dot[ti](w.cols, w.row(r), act);
}

// Activations of all n tokens in the weight type's format, quantized once.
const uint8_t* quantize_batch(const KernelTable& k, const TensorView& w, const float* x, int64_t n,
                              std::vector<uint64_t>& buf, ThreadPool* pool) {
  const size_t arb = kern::act_row_bytes(w.type, w.cols);
  uint8_t* act = scratch_bytes(buf, arb * static_cast<size_t>(n));
  run(pool, n, 8, [&](int64_t t0, int64_t t1, int) {
    for (int64_t t = t0; t < t1; ++t) {
      kern::quantize_act(k, w.type, x + t * w.cols, act + static_cast<size_t>(t) * arb, w.cols);
    }
  });
  return act;
}

// Float weights: convert a tile of rows to f32 and let OpenBLAS's sgemm multiply it
// against all tokens. sgemm's register blocking beats anything we would hand-write for
// float data, and the conversion is paid once per tile for all n tokens. OpenBLAS is
// kept single-threaded; our pool splits the row tiles, so 2 cores are not
// oversubscribed.
// OpenBLAS stays single-threaded: our pool splits the work, so 2 cores are not
// oversubscribed.
void blas_single_threaded() {
  static std::once_flag once;
  std::call_once(once, [] { openblas_set_num_threads(1); });
}

void matmul_sgemm(const KernelTable& k, const TensorView& w, const float* x, int64_t n, float* y,
                  ThreadPool* pool) {
  blas_single_threaded();
  constexpr int64_t kTileRows = 64;
  const int64_t n_tiles = (w.rows + kTileRows - 1) / kTileRows;
  run(pool, n_tiles, 1, [&](int64_t i0, int64_t i1, int) {
    thread_local std::vector<float> tile;
    for (int64_t i = i0; i < i1; ++i) {
      const int64_t r0 = i * kTileRows;
      const int64_t nr = std::min(kTileRows, w.rows - r0);
      const float* wt = nullptr;
      if (w.type == GgmlType::kF32 && w.row_bytes == static_cast<size_t>(w.cols) * sizeof(float)) {
        wt = static_cast<const float*>(w.row(r0));
      } else {
        tile.resize(static_cast<size_t>(kTileRows * w.cols));
        for (int64_t r = 0; r < nr; ++r) {
          float* dst = tile.data() + r * w.cols;
          const void* src = w.row(r0 + r);
          if (w.type == GgmlType::kF16) {
            k.fp16_to_fp32(static_cast<const uint16_t*>(src), dst, w.cols);
          } else if (w.type == GgmlType::kBF16) {
            k.bf16_to_fp32(static_cast<const uint16_t*>(src), dst, w.cols);
          } else {
            dequantize_row(w.type, src, dst, w.cols);
          }
        }
        wt = tile.data();
      }
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(n),
                  static_cast<int>(nr), static_cast<int>(w.cols), 1.0f, x, static_cast<int>(w.cols),
                  wt, static_cast<int>(w.cols), 0.0f, y + r0, static_cast<int>(w.rows));
    }
  });
}

// Quantized weights: the output is cut into tiles of rows x tokens, sized so that a
// tile's activations stay in L2 (<= ~128 KiB) while its weight rows pass once, and the
// tiles are spread over the pool, tokens-major, so each thread reuses one activation
// tile across many weight tiles. Inside a tile the table's tile kernel keeps a block
// of rows x tokens in registers (or, without one, pairwise dots).
void matmul_quantized(const KernelTable& k, const TensorView& w, const float* x, int64_t n,
                      float* y, ThreadPool* pool) {
  thread_local std::vector<uint64_t> buf;
  const uint8_t* act = quantize_batch(k, w, x, n, buf, pool);
  const size_t arb = kern::act_row_bytes(w.type, w.cols);
  const int ti = static_cast<int>(w.type);
  const kern::TileFn tile = k.tile[ti];
  const kern::VecDotFn dot = k.vec_dot[ti];
  constexpr int64_t kTileRows = 64;
  const int64_t tile_tokens =
      std::clamp<int64_t>(static_cast<int64_t>((size_t{128} << 10) / arb) / 8 * 8, 8, 96);
  const int64_t row_tiles = (w.rows + kTileRows - 1) / kTileRows;
  const int64_t tok_tiles = (n + tile_tokens - 1) / tile_tokens;
  run(pool, row_tiles * tok_tiles, 1, [&](int64_t j0, int64_t j1, int) {
    for (int64_t j = j0; j < j1; ++j) {
      const int64_t rb = (j % row_tiles) * kTileRows;
      const int64_t t = (j / row_tiles) * tile_tokens;
      const int nr = static_cast<int>(std::min(kTileRows, w.rows - rb));
      const int nt = static_cast<int>(std::min(tile_tokens, n - t));
      const uint8_t* a = act + static_cast<size_t>(t) * arb;
      float* out = y + t * w.rows + rb;
      if (tile != nullptr) {
        tile(w.cols, w.row(rb), w.row_bytes, nr, a, arb, nt, out, static_cast<size_t>(w.rows));
        continue;
      }
      for (int jt = 0; jt < nt; ++jt) {
        for (int r = 0; r < nr; ++r) {
          out[jt * w.rows + r] = dot(w.cols, w.row(rb + r), a + static_cast<size_t>(jt) * arb);
        }
      }
    }
  });
}

}  // namespace

namespace kern {

void matmul_path(MatmulPath path, const TensorView& w, const float* x, int64_t n, float* y,
                 ThreadPool* pool) {
  if (n <= 0) return;
  const KernelTable& k = best_kernels();
  if (path == MatmulPath::kAuto) {
    if (n == 1) return matvec(w, x, y, pool);
    // Quantized weights always meet int8-quantized activations, as in llama.cpp (the
    // reference for every number) and as in matvec: a model's results then do not
    // depend on the batch size (how a prompt is split) or on the SIMD level. Choosing
    // dequantize+sgemm by speed did both: at TROVE_SIMD=scalar (no GEMM tiles) Q8_0
    // reranker scores moved by up to 0.05 once a batch reached 32 tokens. Measured with
    // bench_kernels (896x4864, AVX2, Zen 3, 2 threads) the GEMM tiles also beat
    // dequantize+sgemm at n = 8, 64 and 512 for every type that has one (n=512: Q4_K
    // 120 vs 84, Q6_K 131 vs 79, Q8_0 91 vs 70 GFLOP/s); the types without one (Q4_1,
    // Q5_1, Q2_K, Q3_K) pay pairwise dots. Float weights go to sgemm.
    path = is_float_type(w.type) ? MatmulPath::kSgemm : MatmulPath::kTiles;
  }
  if (path == MatmulPath::kSgemm) return matmul_sgemm(k, w, x, n, y, pool);
  assert(!is_float_type(w.type) && "matmul tiles need a quantized type");
  matmul_quantized(k, w, x, n, y, pool);
}

}  // namespace kern

void matvec(const TensorView& w, const float* x, float* y, ThreadPool* pool) {
  const MatvecJob job{&w, y};
  matvec_multi(std::span<const MatvecJob>(&job, 1), x, pool);
}

// One dispatch over the rows of every job laid end to end; a thread's range is cut at
// the matrices' borders. Each job keeps its own activation row, quantized to its type.
void matvec_multi(std::span<const MatvecJob> jobs, const float* x, ThreadPool* pool) {
  const KernelTable& k = kern::best_kernels();
  constexpr size_t kMaxJobs = 4;
  assert(jobs.size() <= kMaxJobs && "matvec_multi: too many jobs");
  thread_local std::vector<uint64_t> bufs[kMaxJobs];
  const void* acts[kMaxJobs] = {};
  int64_t total = 0;
  int64_t grain = INT64_MAX;
  for (size_t j = 0; j < jobs.size(); ++j) {
    const TensorView& w = *jobs[j].w;
    assert(k.vec_dot[static_cast<int>(w.type)] != nullptr && "matvec: unsupported weight type");
    assert(w.cols == jobs[0].w->cols && "matvec_multi: jobs must share the input");
    acts[j] = x;
    if (!is_float_type(w.type)) {
      uint8_t* q = scratch_bytes(bufs[j], kern::act_row_bytes(w.type, w.cols));
      kern::quantize_act(k, w.type, x, q, w.cols);
      acts[j] = q;
    }
    total += w.rows;
    grain = std::min(grain, row_grain(w));
  }
  run(pool, total, grain, [&](int64_t r0, int64_t r1, int) {
    int64_t base = 0;
    for (size_t j = 0; j < jobs.size() && base < r1; base += jobs[j].w->rows, ++j) {
      const TensorView& w = *jobs[j].w;
      const int64_t lo = std::max(r0, base) - base;
      const int64_t hi = std::min(r1, base + w.rows) - base;
      if (lo < hi) rows_of(k, w, lo, hi, acts[j], jobs[j].y);
    }
  });
}

void matmul(const TensorView& w, const float* x, int64_t n, float* y, ThreadPool* pool) {
  kern::matmul_path(kern::MatmulPath::kAuto, w, x, n, y, pool);
}

void gemm_f32_nt(int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda,
                 const float* b, int64_t ldb, float* c, int64_t ldc) {
  blas_single_threaded();
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(m), static_cast<int>(n),
              static_cast<int>(k), alpha, a, static_cast<int>(lda), b, static_cast<int>(ldb), 0.0f,
              c, static_cast<int>(ldc));
}

void gemm_f32_nn(int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b,
                 int64_t ldb, float* c, int64_t ldc) {
  blas_single_threaded();
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(m), static_cast<int>(n),
              static_cast<int>(k), 1.0f, a, static_cast<int>(lda), b, static_cast<int>(ldb), 0.0f,
              c, static_cast<int>(ldc));
}

void gemv_f32(int64_t m, int64_t k, const float* a, int64_t lda, const float* x, float* y) {
  blas_single_threaded();
  cblas_sgemv(CblasRowMajor, CblasNoTrans, static_cast<int>(m), static_cast<int>(k), 1.0f, a,
              static_cast<int>(lda), x, 1, 0.0f, y, 1);
}

void fp16_to_fp32_row(const uint16_t* src, float* dst, int64_t n) {
  kern::best_kernels().fp16_to_fp32(src, dst, n);
}

void fp32_to_fp16_row(const float* src, uint16_t* dst, int64_t n) {
  kern::best_kernels().fp32_to_fp16(src, dst, n);
}

float fp16_to_fp32(uint16_t h) {
  return fp16::half_to_float(h);
}

uint16_t fp32_to_fp16(float f) {
  return fp16::float_to_half(f);
}

}  // namespace trove
