// generate/kv_cache.cc — KV cache storage and conversion.
#include "generate/kv_cache.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "core/kernels.h"

namespace trove {

Result<KvCache> KvCache::create(const KvShape& s, KvType type) {
  KvCache c(s, type);
  const uint64_t per_pos = static_cast<uint64_t>(s.n_layer) * static_cast<uint64_t>(s.n_head_kv);
  const uint64_t nk = per_pos * static_cast<uint64_t>(s.n_ctx) * static_cast<uint64_t>(s.head_dim);
  const uint64_t nv =
      per_pos * static_cast<uint64_t>(s.n_ctx) * static_cast<uint64_t>(s.head_dim_v);
  try {
    if (type == KvType::kF16) {
      c.k16_.resize(nk);
      c.v16_.resize(nv);
    } else {
      c.k32_.resize(nk);
      c.v32_.resize(nv);
    }
  } catch (const std::exception&) {  // bad_alloc or length_error
    const uint64_t bytes = (nk + nv) * (type == KvType::kF16 ? 2 : 4);
    return make_error("cannot allocate the KV cache: " + std::to_string(bytes >> 20) +
                      " MiB for a context of " + std::to_string(s.n_ctx) +
                      " tokens (try a smaller --ctx)");
  }
  return c;
}

uint64_t KvCache::bytes() const {
  return k16_.size() * 2 + v16_.size() * 2 + k32_.size() * 4 + v32_.size() * 4;
}

size_t KvCache::offset(int64_t layer, int64_t head, int64_t pos, int64_t dim) const {
  return static_cast<size_t>(((layer * shape_.n_head_kv + head) * shape_.n_ctx + pos) * dim);
}

void KvCache::store(int64_t layer, int64_t pos, const float* k, const float* v) {
  const int64_t dk = shape_.head_dim;
  const int64_t dv = shape_.head_dim_v;
  for (int64_t h = 0; h < shape_.n_head_kv; ++h) {
    const size_t ok = offset(layer, h, pos, dk);
    const size_t ov = offset(layer, h, pos, dv);
    if (type_ == KvType::kF16) {
      fp32_to_fp16_row(k + h * dk, k16_.data() + ok, dk);
      fp32_to_fp16_row(v + h * dv, v16_.data() + ov, dv);
    } else {
      std::copy(k + h * dk, k + (h + 1) * dk, k32_.data() + ok);
      std::copy(v + h * dv, v + (h + 1) * dv, v32_.data() + ov);
    }
  }
}

const float* KvCache::read(const std::vector<uint16_t>& h, const std::vector<float>& f, size_t off,
                           int64_t count, float* dst) const {
  if (type_ == KvType::kF32) return f.data() + off;
  fp16_to_fp32_row(h.data() + off, dst, count);
  return dst;
}

const float* KvCache::keys(int64_t layer, int64_t head, int64_t n, float* dst) const {
  return read(k16_, k32_, offset(layer, head, 0, shape_.head_dim), n * shape_.head_dim, dst);
}

const float* KvCache::values(int64_t layer, int64_t head, int64_t n, float* dst) const {
  return read(v16_, v32_, offset(layer, head, 0, shape_.head_dim_v), n * shape_.head_dim_v, dst);
}

}  // namespace trove
