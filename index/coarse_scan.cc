// index/coarse_scan.cc — see coarse_scan.h.
#include "index/coarse_scan.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>

#include "core/ggml_type.h"
#include "core/kernels.h"
#include "index/flat_scan.h"

namespace trove::index {
namespace {

constexpr int kBlock = 32;
// A scale above this would overflow Q8_0's f16 scale (65504 * 127 ~ 8.3e6): such a
// vector is not an embedding we stored (those are unit length); scan floats instead.
constexpr float kMaxAbs = 1e6f;

// Relative slack for float rounding in the code's score (one product and one sum per
// block) and in the float rescoring (one per dimension), both sums of terms bounded by
// ‖v‖‖q‖: (number of roundings) * 2^-24, taken four times over so the slack also
// covers the bound's own float arithmetic.
double rounding_slack(int dim) {
  const int blocks = dim / kBlock;
  return (static_cast<double>(dim) + blocks + 64.0) * std::ldexp(1.0, -22);
}

// ‖q − q̃‖ for the kernel's quantization of q, bounded from q alone: per block, scale
// d = amax / 127 stored as f16 and values rounded to the nearest step, so each element
// is off by at most d/2 (+ ulps of q * 127/amax) plus 127 times the f16 error of d
// (2^-11 d, or 2^-25 for a subnormal f16): under 0.5625 d + 4e-6. Negative when q is not
// finite or too large.
double query_error_bound(const float* q, int dim) {
  double sum = 0;
  for (int b = 0; b < dim; b += kBlock) {
    float amax = 0;
    for (int j = b; j < b + kBlock; ++j) amax = std::max(amax, std::fabs(q[j]));
    if (!(amax <= kMaxAbs)) return -1;  // NaN lands here too
    const double e = 0.5625 * (static_cast<double>(amax) / 127.0) + 4e-6;
    sum += kBlock * e * e;
  }
  return std::sqrt(sum);
}

double norm_of(const float* v, int dim) {
  double s = 0;
  for (int j = 0; j < dim; ++j) s += static_cast<double>(v[j]) * v[j];
  return std::sqrt(s);
}

// The float score of one row, summed in order.
float dot(const float* a, const float* b, int dim) {
  float s = 0;
  for (int j = 0; j < dim; ++j) s += a[j] * b[j];
  return s;
}

// The k-th largest of the values fed, or -infinity while fewer than k came.
class KthLargest {
 public:
  explicit KthLargest(int k) : k_(static_cast<size_t>(k)) {}
  void add(float v) {
    if (heap_.size() < k_) {
      heap_.push(v);
    } else if (v > heap_.top()) {
      heap_.pop();
      heap_.push(v);
    }
  }
  float value() const { return heap_.size() < k_ ? -INFINITY : heap_.top(); }

 private:
  size_t k_;
  std::priority_queue<float, std::vector<float>, std::greater<>> heap_;
};

}  // namespace

std::optional<CoarseCodes> CoarseCodes::build(const float* vectors, int64_t n, int dim,
                                              const std::atomic<bool>* stop) {
  if (!supports(dim) || n < 0) return std::nullopt;
  CoarseCodes c;
  c.dim_ = dim;
  c.rows_ = n;
  c.row_bytes_ = row_size(GgmlType::kQ8_0, dim);
  c.codes_.resize(static_cast<size_t>(n) * c.row_bytes_);
  c.err_.resize(static_cast<size_t>(n));
  c.norm_.resize(static_cast<size_t>(n));
  const double slack = rounding_slack(dim);
  std::vector<float> back(static_cast<size_t>(dim));
  for (int64_t i = 0; i < n; ++i) {
    if ((i & 1023) == 0 && stop != nullptr && stop->load(std::memory_order_relaxed))
      return std::nullopt;
    const float* v = vectors + i * dim;
    for (int j = 0; j < dim; ++j) {
      if (!(std::fabs(v[j]) <= kMaxAbs)) return std::nullopt;
    }
    uint8_t* code = c.codes_.data() + static_cast<size_t>(i) * c.row_bytes_;
    if (!quantize_row(GgmlType::kQ8_0, v, code, dim)) return std::nullopt;
    dequantize_row(GgmlType::kQ8_0, code, back.data(), dim);
    double e2 = 0;
    for (int j = 0; j < dim; ++j) {
      const double d = static_cast<double>(v[j]) - back[static_cast<size_t>(j)];
      e2 += d * d;
    }
    const double norm = norm_of(v, dim);
    const double err = std::sqrt(e2);
    // Rounded up to float so the bound never shrinks.
    c.err_[static_cast<size_t>(i)] =
        std::nextafter(static_cast<float>(err + 2 * slack * (norm + err)), INFINITY);
    c.norm_[static_cast<size_t>(i)] = std::nextafter(static_cast<float>(norm), INFINITY);
  }
  return c;
}

size_t CoarseCodes::bytes() const {
  return codes_.size() + (err_.size() + norm_.size()) * sizeof(float);
}

std::optional<std::vector<VectorHit>> CoarseCodes::top_k(
    const float* vectors, const int64_t* ids, const float* query, int k,
    const std::unordered_set<int64_t>* allowed) const {
  std::vector<VectorHit> hits;
  if (k <= 0 || rows_ == 0) return hits;
  const double eq = query_error_bound(query, dim_);
  if (eq < 0) return std::nullopt;
  const auto qn = static_cast<float>(norm_of(query, dim_) + eq);  // ≥ ‖q̃‖
  const auto eqf = std::nextafter(static_cast<float>(eq), INFINITY);

  // The codes' scores: a Q8_0 matvec, a quarter of the floats' bytes.
  thread_local std::vector<float> approx;
  approx.resize(static_cast<size_t>(rows_));
  const TensorView all{GgmlType::kQ8_0, rows_, dim_, codes_.data(), row_bytes_};
  float* scores = approx.data();  // the second thread's own `approx` is another vector
  for_row_halves(rows_, codes_.size(), [&](int64_t lo, int64_t hi) {
    const TensorView part{GgmlType::kQ8_0, hi - lo, dim_, all.row(lo), row_bytes_};
    matvec(part, query, scores + lo, nullptr);
  });
  auto bound = [&](size_t i) { return (err_[i] * qn + norm_[i] * eqf) * (1 + 1e-6f); };

  // No row whose best case is below the k-th best worst case can be in the top k.
  KthLargest kth(k);
  for (int64_t i = 0; i < rows_; ++i) {
    if (allowed != nullptr && allowed->count(ids[i]) == 0) continue;
    const auto r = static_cast<size_t>(i);
    kth.add(approx[r] - bound(r));
  }
  const float floor = kth.value();
  std::vector<int64_t> candidates;
  const auto most = static_cast<size_t>(std::max<int64_t>(4 * int64_t{k}, rows_ / 8));
  for (int64_t i = 0; i < rows_; ++i) {
    const auto r = static_cast<size_t>(i);
    if (approx[r] + bound(r) < floor) continue;
    if (allowed != nullptr && allowed->count(ids[i]) == 0) continue;
    candidates.push_back(i);
    if (candidates.size() > most) return std::nullopt;  // too close to call: scan floats
  }
  hits.reserve(candidates.size());
  for (int64_t i : candidates) hits.push_back({ids[i], dot(vectors + i * dim_, query, dim_)});
  const size_t keep = std::min(hits.size(), static_cast<size_t>(k));
  std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(keep), hits.end(),
                    ranks_before);
  hits.resize(keep);
  return hits;
}

}  // namespace trove::index
