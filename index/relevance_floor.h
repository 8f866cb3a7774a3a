// index/relevance_floor.h — when is a dense (vector) hit relevant at all?
//
// Cosine similarity has no universal scale: one model puts unrelated passages at
// 0.1, another (anisotropic) at 0.8. So the floor is not a constant but measured per
// query against the library's own vectors, with no calibration: the query is
// compared with a fixed pseudo-random sample of the library's chunk vectors (up to
// kFloorSample), which stands for "passages picked without regard to the query".
// With z(s) = (s − median) / (1.4826 × MAD) over the sample similarities (MAD: median
// absolute deviation; ×1.4826 estimates the standard deviation of a normal
// distribution while ignoring the few relevant passages the sample may hold):
//
//   - the query finds something only if its best hit is an outlier, z ≥ kGateZ = 3.5
//     (Iglewicz and Hoaglin's usual modified-z-score cut-off);
//   - then every hit with z ≥ kFloorZ = 2 is kept, so the moderately relevant
//     passages that hybrid fusion and answers need are not cut.
//
// A query about nothing in the library (gibberish, or a topic absent from it) has no
// outlier, so semantic search finds nothing and exits 1 like lexical search.
// `--min-similarity X` replaces both by a fixed cosine X (0 keeps every hit).
#pragma once

#include <cstdint>
#include <vector>

namespace trove::index {

inline constexpr int kFloorSample = 256;
inline constexpr double kGateZ = 3.5;
inline constexpr double kFloorZ = 2.0;

struct RelevanceFloor {
  double median = 0;
  double spread = 0;  // 1.4826 × MAD
  double gate = 0;    // the best hit must reach it, or nothing is found
  double floor = 0;   // then hits scoring below it are dropped
  int sample = 0;     // how many similarities it was measured on
};

// `sims`: the query's similarity to each sampled vector (taken by value: sorted).
RelevanceFloor floor_from_sample(std::vector<float> sims, double gate_z = kGateZ,
                                 double floor_z = kFloorZ);

}  // namespace trove::index
