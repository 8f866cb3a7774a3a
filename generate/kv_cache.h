// generate/kv_cache.h — the keys and values of every past position, per layer and
// KV head, in F16 (the default, as llama.cpp) or F32.
//
// Layout: [layer][kv_head][position][head_dim], so one head's keys are contiguous and
// attention walks them in order. Memory is exactly
//   n_ctx x n_layer x n_kv_heads x (head_dim + head_dim_v) x bytes-per-element,
// allocated once at creation.
#pragma once

#include <cstdint>
#include <vector>

#include "core/result.h"

namespace trove {

enum class KvType { kF16, kF32 };

struct KvShape {
  int64_t n_ctx = 0;
  int64_t n_layer = 0;
  int64_t n_head_kv = 0;
  int64_t head_dim = 0;
  int64_t head_dim_v = 0;
};

class KvCache {
 public:
  // Fails (instead of throwing bad_alloc) when the cache cannot be allocated.
  static Result<KvCache> create(const KvShape& shape, KvType type);

  const KvShape& shape() const { return shape_; }
  KvType type() const { return type_; }
  uint64_t bytes() const;

  // Store one position's key and value for one layer; k holds n_head_kv x head_dim
  // floats, v n_head_kv x head_dim_v.
  void store(int64_t layer, int64_t pos, const float* k, const float* v);

  // Keys (or values) of positions [0, n) of one layer's head, as floats in dst
  // (n x head_dim). For an F32 cache this is a copy-free pointer instead.
  const float* keys(int64_t layer, int64_t head, int64_t n, float* dst) const;
  const float* values(int64_t layer, int64_t head, int64_t n, float* dst) const;

 private:
  KvCache(const KvShape& shape, KvType type) : shape_(shape), type_(type) {}
  size_t offset(int64_t layer, int64_t head, int64_t pos, int64_t dim) const;
  const float* read(const std::vector<uint16_t>& h, const std::vector<float>& f, size_t off,
                    int64_t count, float* dst) const;

  KvShape shape_;
  KvType type_;
  std::vector<uint16_t> k16_, v16_;
  std::vector<float> k32_, v32_;
};

}  // namespace trove
