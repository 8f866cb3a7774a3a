// index/relevance_floor.cc — median + z × MAD over the sample (relevance_floor.h).
#include "index/relevance_floor.h"

#include <algorithm>
#include <cmath>

namespace trove::index {
namespace {

double median_of(std::vector<float>& v) {
  const size_t n = v.size();
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n / 2), v.end());
  double hi = v[n / 2];
  if (n % 2 == 1) return hi;
  double lo = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n / 2));
  return (lo + hi) / 2;
}

}  // namespace

RelevanceFloor floor_from_sample(std::vector<float> sims, double gate_z, double floor_z) {
  RelevanceFloor f;
  f.sample = static_cast<int>(sims.size());
  if (sims.empty()) {
    f.floor = f.gate = -2;  // nothing to compare with: keep every hit
    return f;
  }
  f.median = median_of(sims);
  std::vector<float> dev(sims.size());
  for (size_t i = 0; i < sims.size(); ++i)
    dev[i] = static_cast<float>(std::fabs(sims[i] - f.median));
  f.spread = 1.4826 * median_of(dev);
  f.gate = f.median + gate_z * f.spread;
  f.floor = f.median + floor_z * f.spread;
  return f;
}

}  // namespace trove::index
