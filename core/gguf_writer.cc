// core/gguf_writer.cc — GGUF v3 encoding, tensor sources (bytes, constants, random
// rows) and the atomic temp-file-then-rename write.
#include "core/gguf_writer.h"

#include "core/atomic_file.h"

#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <thread>
#include <unordered_set>

#include "core/c_file.h"
#include "core/kernels.h"

namespace trove {

namespace {

constexpr uint32_t kMagic = 0x46554747;  // "GGUF"
constexpr uint32_t kVersion = 3;

template <class T>
void put(std::string& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

void put_str(std::string& out, std::string_view s) {
  put<uint64_t>(out, s.size());
  out.append(s);
}

// Re-encodes a scalar read by GgufFile from its widened fields.
void put_scalar(std::string& out, const GgufValue& v) {
  switch (v.type) {
    case GgufValueType::kUint8:
    case GgufValueType::kBool:  // one byte, 0 or 1
      put<uint8_t>(out, static_cast<uint8_t>(v.u));
      break;
    case GgufValueType::kInt8:
      put<int8_t>(out, static_cast<int8_t>(v.i));
      break;
    case GgufValueType::kUint16:
      put<uint16_t>(out, static_cast<uint16_t>(v.u));
      break;
    case GgufValueType::kInt16:
      put<int16_t>(out, static_cast<int16_t>(v.i));
      break;
    case GgufValueType::kUint32:
      put<uint32_t>(out, static_cast<uint32_t>(v.u));
      break;
    case GgufValueType::kInt32:
      put<int32_t>(out, static_cast<int32_t>(v.i));
      break;
    case GgufValueType::kUint64:
      put<uint64_t>(out, v.u);
      break;
    case GgufValueType::kInt64:
      put<int64_t>(out, v.i);
      break;
    case GgufValueType::kFloat32:
      put<float>(out, static_cast<float>(v.f));
      break;
    case GgufValueType::kFloat64:
      put<double>(out, v.f);
      break;
    case GgufValueType::kString:
      put_str(out, v.str);
      break;
    case GgufValueType::kArray:
      assert(false && "put_scalar: array");
      break;
  }
}

// splitmix64: tiny, fast, and good enough for benchmark weights.
uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

using FilePtr = UniqueFile;

}  // namespace

// Where a tensor's bytes come from: fixed bytes, or a row generator run while writing.
struct PendingTensor {
  std::string name;
  std::vector<int64_t> ne;
  GgmlType type = GgmlType::kF32;
  uint64_t row_bytes = 0;
  int64_t rows = 0;
  std::vector<uint8_t> bytes;                           // when not generated
  std::function<void(int64_t row, float* out)> rowgen;  // floats of one row, or empty
};

struct GgufWriter::Impl {
  uint32_t alignment = 32;
  std::vector<std::pair<std::string, std::string>> kv;  // key, encoded type + value
  std::vector<PendingTensor> tensors;
  std::unordered_set<std::string> names;

  void set(std::string_view key, GgufValueType type, const std::string& payload) {
    std::string enc;
    put<uint32_t>(enc, static_cast<uint32_t>(type));
    enc += payload;
    for (auto& [k, v] : kv) {
      if (k == key) {
        v = std::move(enc);
        return;
      }
    }
    kv.emplace_back(std::string(key), std::move(enc));
  }

  Result<PendingTensor> make(std::string_view name, std::vector<int64_t> ne, GgmlType type);
  Status write_to(FILE* f, const std::string& path) const;
};

GgufWriter::GgufWriter(uint32_t alignment) : impl_(std::make_unique<Impl>()) {
  assert(std::has_single_bit(alignment));
  impl_->alignment = alignment;
  if (alignment != 32) set_u32("general.alignment", alignment);
}
GgufWriter::GgufWriter(GgufWriter&&) noexcept = default;
GgufWriter& GgufWriter::operator=(GgufWriter&&) noexcept = default;
GgufWriter::~GgufWriter() = default;

#define TROVE_SCALAR_SETTER(fn, ctype, vtype)            \
  void GgufWriter::fn(std::string_view key, ctype v) {   \
    std::string p;                                       \
    put<ctype>(p, v);                                    \
    impl_->set(key, GgufValueType::vtype, std::move(p)); \
  }
TROVE_SCALAR_SETTER(set_u8, uint8_t, kUint8)
TROVE_SCALAR_SETTER(set_u32, uint32_t, kUint32)
TROVE_SCALAR_SETTER(set_i32, int32_t, kInt32)
TROVE_SCALAR_SETTER(set_u64, uint64_t, kUint64)
TROVE_SCALAR_SETTER(set_i64, int64_t, kInt64)
TROVE_SCALAR_SETTER(set_f32, float, kFloat32)
TROVE_SCALAR_SETTER(set_f64, double, kFloat64)
#undef TROVE_SCALAR_SETTER

void GgufWriter::set_bool(std::string_view key, bool v) {
  impl_->set(key, GgufValueType::kBool, std::string(1, v ? '\1' : '\0'));
}

void GgufWriter::set_string(std::string_view key, std::string_view v) {
  std::string p;
  put_str(p, v);
  impl_->set(key, GgufValueType::kString, p);
}

namespace {
template <class Strings>
std::string encode_string_array(const Strings& v) {
  std::string p;
  put<uint32_t>(p, static_cast<uint32_t>(GgufValueType::kString));
  put<uint64_t>(p, v.size());
  for (const auto& s : v) put_str(p, s);
  return p;
}
}  // namespace

void GgufWriter::set_string_array(std::string_view key, std::span<const std::string_view> v) {
  impl_->set(key, GgufValueType::kArray, encode_string_array(v));
}

void GgufWriter::set_string_array(std::string_view key, std::span<const std::string> v) {
  impl_->set(key, GgufValueType::kArray, encode_string_array(v));
}

void GgufWriter::set_f32_array(std::string_view key, std::span<const float> v) {
  std::string p;
  put<uint32_t>(p, static_cast<uint32_t>(GgufValueType::kFloat32));
  put<uint64_t>(p, v.size());
  p.append(reinterpret_cast<const char*>(v.data()), v.size_bytes());
  impl_->set(key, GgufValueType::kArray, p);
}

void GgufWriter::set_i32_array(std::string_view key, std::span<const int32_t> v) {
  std::string p;
  put<uint32_t>(p, static_cast<uint32_t>(GgufValueType::kInt32));
  put<uint64_t>(p, v.size());
  p.append(reinterpret_cast<const char*>(v.data()), v.size_bytes());
  impl_->set(key, GgufValueType::kArray, p);
}

void GgufWriter::set_value(std::string_view key, const GgufValue& v) {
  std::string p;
  if (v.type != GgufValueType::kArray) {
    put_scalar(p, v);
    impl_->set(key, v.type, p);
    return;
  }
  if (v.elem_type == GgufValueType::kString) {
    impl_->set(key, GgufValueType::kArray, encode_string_array(v.strings));
    return;
  }
  put<uint32_t>(p, static_cast<uint32_t>(v.elem_type));
  put<uint64_t>(p, v.count);
  // GgufFile validated count * element size against the file, so this stays inside it.
  p.append(reinterpret_cast<const char*>(v.array_data), v.count * gguf_fixed_size(v.elem_type));
  impl_->set(key, GgufValueType::kArray, p);
}

void GgufWriter::copy_metadata(const GgufFile& src, std::string_view prefix) {
  for (const auto& [key, value] : src.metadata()) {
    if (key.starts_with(prefix)) set_value(key, value);
  }
}

void GgufWriter::remove(std::string_view key) {
  std::erase_if(impl_->kv, [&](const auto& e) { return e.first == key; });
}

bool GgufWriter::has(std::string_view key) const {
  return std::any_of(impl_->kv.begin(), impl_->kv.end(),
                     [&](const auto& e) { return e.first == key; });
}

Result<PendingTensor> GgufWriter::Impl::make(std::string_view name, std::vector<int64_t> ne,
                                             GgmlType type) {
  const std::string ctx = "tensor '" + std::string(name) + "': ";
  const TypeTraits* tt = type_traits(type);
  if (tt == nullptr) return make_error(ctx + "unknown type");
  if (ne.empty() || ne.size() > 4) {
    return make_error(ctx + std::to_string(ne.size()) + " dimensions (expected 1..4)");
  }
  int64_t rows = 1;
  for (size_t d = 0; d < ne.size(); ++d) {
    if (ne[d] <= 0) return make_error(ctx + "dimension " + std::to_string(d) + " is not > 0");
    if (d > 0) rows *= ne[d];
  }
  if (ne[0] % tt->block_size != 0) {
    return make_error(ctx + "row length " + std::to_string(ne[0]) + " is not a multiple of the " +
                      std::string(tt->name) + " block size " + std::to_string(tt->block_size));
  }
  if (names.count(std::string(name)) != 0) return make_error(ctx + "duplicate tensor name");
  PendingTensor t;
  t.name = std::string(name);
  t.ne = std::move(ne);
  t.type = type;
  t.row_bytes = row_size(type, t.ne[0]);
  t.rows = rows;
  return t;
}

namespace {
// A probe, so that an unsupported type fails when added rather than half-way through
// writing a file.
bool can_quantize(GgmlType type, int64_t n) {
  std::vector<float> src(static_cast<size_t>(n), 0.5f);
  std::vector<uint8_t> dst(row_size(type, n));
  return quantize_row(type, src.data(), dst.data(), n);
}
}  // namespace

Status GgufWriter::add_tensor(std::string_view name, std::vector<int64_t> ne, GgmlType type,
                              std::span<const float> data) {
  auto t = impl_->make(name, std::move(ne), type);
  if (!t) return t.error();
  const uint64_t n = static_cast<uint64_t>(t->ne[0]) * static_cast<uint64_t>(t->rows);
  if (data.size() != n) {
    return make_error("tensor '" + t->name + "': " + std::to_string(data.size()) +
                      " floats given, shape needs " + std::to_string(n));
  }
  t->bytes.resize(t->row_bytes * static_cast<uint64_t>(t->rows));
  for (int64_t r = 0; r < t->rows; ++r) {
    if (!quantize_row(type, data.data() + r * t->ne[0], t->bytes.data() + r * t->row_bytes,
                      t->ne[0])) {
      return make_error("tensor '" + t->name + "': cannot quantize to " +
                        std::string(type_traits(type)->name));
    }
  }
  impl_->names.insert(t->name);
  impl_->tensors.push_back(std::move(*t));
  return {};
}

Status GgufWriter::add_tensor_bytes(std::string_view name, std::vector<int64_t> ne, GgmlType type,
                                    std::vector<uint8_t> bytes) {
  auto t = impl_->make(name, std::move(ne), type);
  if (!t) return t.error();
  const uint64_t want = t->row_bytes * static_cast<uint64_t>(t->rows);
  if (bytes.size() != want) {
    return make_error("tensor '" + t->name + "': " + std::to_string(bytes.size()) +
                      " bytes given, shape needs " + std::to_string(want));
  }
  t->bytes = std::move(bytes);
  impl_->names.insert(t->name);
  impl_->tensors.push_back(std::move(*t));
  return {};
}

Status GgufWriter::add_random_tensor(std::string_view name, std::vector<int64_t> ne, GgmlType type,
                                     float scale, uint64_t seed) {
  auto t = impl_->make(name, std::move(ne), type);
  if (!t) return t.error();
  if (!can_quantize(type, t->ne[0])) {
    return make_error("tensor '" + t->name + "': cannot quantize to " +
                      std::string(type_traits(type)->name));
  }
  const int64_t n = t->ne[0];
  t->rowgen = [n, scale, seed](int64_t row, float* out) {
    uint64_t s = mix(seed ^ mix(static_cast<uint64_t>(row)));
    for (int64_t i = 0; i < n; ++i) {
      s = mix(s);
      // Top 24 bits to [-1, 1).
      out[i] = scale * (static_cast<float>(s >> 40) * (2.0f / 16777216.0f) - 1.0f);
    }
  };
  impl_->names.insert(t->name);
  impl_->tensors.push_back(std::move(*t));
  return {};
}

Status GgufWriter::add_constant_tensor(std::string_view name, std::vector<int64_t> ne,
                                       GgmlType type, float value) {
  auto t = impl_->make(name, std::move(ne), type);
  if (!t) return t.error();
  if (!can_quantize(type, t->ne[0])) {
    return make_error("tensor '" + t->name + "': cannot quantize to " +
                      std::string(type_traits(type)->name));
  }
  const int64_t n = t->ne[0];
  t->rowgen = [n, value](int64_t, float* out) { std::fill(out, out + n, value); };
  impl_->names.insert(t->name);
  impl_->tensors.push_back(std::move(*t));
  return {};
}

size_t GgufWriter::tensor_count() const {
  return impl_->tensors.size();
}

uint64_t GgufWriter::data_bytes() const {
  uint64_t n = 0;
  for (const PendingTensor& t : impl_->tensors) n += t.row_bytes * static_cast<uint64_t>(t.rows);
  return n;
}

namespace {

// Rows [r0, r1) of a generated tensor into out, split across the machine's cores
// (generation and quantization are pure functions of the row index).
void generate_rows(const PendingTensor& t, int64_t r0, int64_t r1, uint8_t* out) {
  const int64_t n = r1 - r0;
  const int64_t threads =
      std::clamp<int64_t>(std::thread::hardware_concurrency(), 1, std::min<int64_t>(n, 16));
  auto work = [&](int64_t a, int64_t b) {
    std::vector<float> row(static_cast<size_t>(t.ne[0]));
    for (int64_t r = a; r < b; ++r) {
      t.rowgen(r, row.data());
      // The type was probed when the tensor was added.
      quantize_row(t.type, row.data(), out + (r - r0) * t.row_bytes, t.ne[0]);
    }
  };
  std::vector<std::jthread> pool;
  for (int64_t i = 1; i < threads; ++i) {
    pool.emplace_back(work, r0 + n * i / threads, r0 + n * (i + 1) / threads);
  }
  work(r0, r0 + n / threads);
}

}  // namespace

Status GgufWriter::Impl::write_to(FILE* f, const std::string& path) const {
  const auto pad = [this](uint64_t x) { return (alignment - x % alignment) % alignment; };
  std::string head;
  put<uint32_t>(head, kMagic);
  put<uint32_t>(head, kVersion);
  put<uint64_t>(head, tensors.size());
  put<uint64_t>(head, kv.size());
  for (const auto& [key, enc] : kv) {
    put_str(head, key);
    head += enc;
  }
  uint64_t offset = 0;
  for (const PendingTensor& t : tensors) {
    put_str(head, t.name);
    put<uint32_t>(head, static_cast<uint32_t>(t.ne.size()));
    for (int64_t n : t.ne) put<int64_t>(head, n);
    put<uint32_t>(head, static_cast<uint32_t>(t.type));
    put<uint64_t>(head, offset);
    const uint64_t nbytes = t.row_bytes * static_cast<uint64_t>(t.rows);
    offset += nbytes + pad(nbytes);
  }
  head.append(pad(head.size()), '\0');
  const auto fail = [&path]() {
    return make_error(path + ": write failed: " + std::strerror(errno));
  };
  if (std::fwrite(head.data(), 1, head.size(), f) != head.size()) return fail();
  const std::string zeros(alignment, '\0');
  std::vector<uint8_t> chunk;
  for (const PendingTensor& t : tensors) {
    const uint64_t nbytes = t.row_bytes * static_cast<uint64_t>(t.rows);
    if (!t.rowgen) {
      if (std::fwrite(t.bytes.data(), 1, t.bytes.size(), f) != t.bytes.size()) return fail();
    } else {
      // About 8 MiB of rows at a time, generated on all cores, written in order.
      const int64_t per_chunk =
          std::max<int64_t>(1, static_cast<int64_t>((8u << 20) / t.row_bytes));
      for (int64_t r0 = 0; r0 < t.rows; r0 += per_chunk) {
        const int64_t r1 = std::min(t.rows, r0 + per_chunk);
        chunk.resize(static_cast<size_t>(r1 - r0) * t.row_bytes);
        generate_rows(t, r0, r1, chunk.data());
        if (std::fwrite(chunk.data(), 1, chunk.size(), f) != chunk.size()) return fail();
      }
    }
    if (std::fwrite(zeros.data(), 1, pad(nbytes), f) != pad(nbytes)) return fail();
  }
  return {};
}

Status GgufWriter::write(const std::string& path) const {
  // Model files are not secret; readable like any file the user writes.
  return write_file_atomic(path, [&](FILE* f) { return impl_->write_to(f, path); }, 0644);
}

}  // namespace trove
