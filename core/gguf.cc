// core/gguf.cc — parsing and validation of GGUF v2/v3 files over a read-only mapping.
//
// The parser never trusts a number from the file: every count is checked against the
// bytes that remain before anything is allocated for it, and every tensor's
// offset + size is checked (overflow-safe) against the file size before its pointer
// is handed out. After open() succeeds nothing reads the file unchecked again.
#include "core/gguf.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "core/mmap_file.h"

namespace trove {

namespace {

constexpr uint32_t kMagic = 0x46554747;  // "GGUF" read as little-endian uint32
constexpr uint64_t kDefaultAlignment = 32;
constexpr int kMaxDims = 4;

// Smallest encoded size of one metadata pair: key length + 1 key byte + type + 1 byte.
constexpr uint64_t kMinKvBytes = 8 + 1 + 4 + 1;
// Smallest encoded tensor info: name length + 1 name byte + n_dims + one dim + type + offset.
constexpr uint64_t kMinTensorInfoBytes = 8 + 1 + 4 + 8 + 4 + 8;

bool known_value_type(uint32_t raw) {
  return raw <= static_cast<uint32_t>(GgufValueType::kFloat64);
}

bool is_integer(GgufValueType t) {
  switch (t) {
    case GgufValueType::kUint8:
    case GgufValueType::kInt8:
    case GgufValueType::kUint16:
    case GgufValueType::kInt16:
    case GgufValueType::kUint32:
    case GgufValueType::kInt32:
    case GgufValueType::kUint64:
    case GgufValueType::kInt64:
      return true;
    default:
      return false;
  }
}

bool is_signed(GgufValueType t) {
  return t == GgufValueType::kInt8 || t == GgufValueType::kInt16 || t == GgufValueType::kInt32 ||
         t == GgufValueType::kInt64;
}

bool is_number(GgufValueType t) {
  return is_integer(t) || t == GgufValueType::kFloat32 || t == GgufValueType::kFloat64;
}

template <class T>
T load(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);  // files are little-endian, as is every host trove targets
  return v;
}

// Decodes one fixed-size number at p into the widened fields of a GgufValue.
void decode_number(GgufValueType t, const uint8_t* p, GgufValue& v) {
  auto set_unsigned = [&](uint64_t x) {
    v.u = x;
    if (x <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      v.i = static_cast<int64_t>(x);
    v.f = static_cast<double>(x);
  };
  auto set_signed = [&](int64_t x) {
    v.i = x;
    if (x >= 0) v.u = static_cast<uint64_t>(x);
    v.f = static_cast<double>(x);
  };
  switch (t) {
    case GgufValueType::kUint8:
      set_unsigned(load<uint8_t>(p));
      break;
    case GgufValueType::kBool:
      v.u = load<uint8_t>(p);
      break;
    case GgufValueType::kInt8:
      set_signed(load<int8_t>(p));
      break;
    case GgufValueType::kUint16:
      set_unsigned(load<uint16_t>(p));
      break;
    case GgufValueType::kInt16:
      set_signed(load<int16_t>(p));
      break;
    case GgufValueType::kUint32:
      set_unsigned(load<uint32_t>(p));
      break;
    case GgufValueType::kInt32:
      set_signed(load<int32_t>(p));
      break;
    case GgufValueType::kUint64:
      set_unsigned(load<uint64_t>(p));
      break;
    case GgufValueType::kInt64:
      set_signed(load<int64_t>(p));
      break;
    case GgufValueType::kFloat32:
      v.f = load<float>(p);
      break;
    case GgufValueType::kFloat64:
      v.f = load<double>(p);
      break;
    case GgufValueType::kString:
    case GgufValueType::kArray:
      break;
  }
}

// A bounds-checked cursor over the mapped bytes. Every read names what it reads so
// that a truncated file says where it ended.
class Reader {
 public:
  Reader(const std::string& path, std::span<const uint8_t> bytes) : path_(path), bytes_(bytes) {}

  uint64_t pos() const { return pos_; }
  uint64_t remaining() const { return bytes_.size() - pos_; }
  const uint8_t* at(uint64_t off) const { return bytes_.data() + off; }

  Error fail(const std::string& what) const { return make_error(path_ + ": " + what); }

  Status need(uint64_t n, const std::string& what) const {
    if (n > remaining()) {
      return fail(what + ": needs " + std::to_string(n) + " bytes at offset " +
                  std::to_string(pos_) + " but the file ends at " + std::to_string(bytes_.size()) +
                  " (truncated?)");
    }
    return {};
  }

  template <class T>
  Result<T> read(const std::string& what) {
    TROVE_TRY(need(sizeof(T), what));
    T v = load<T>(at(pos_));
    pos_ += sizeof(T);
    return v;
  }

  Result<std::string_view> read_string(const std::string& what) {
    auto len = read<uint64_t>(what + " length");
    if (!len) return len.error();
    TROVE_TRY(need(*len, what + " (" + std::to_string(*len) + " bytes)"));
    std::string_view s(reinterpret_cast<const char*>(at(pos_)), *len);
    pos_ += *len;
    return s;
  }

  void skip(uint64_t n) { pos_ += n; }  // callers check need() first

 private:
  const std::string& path_;
  std::span<const uint8_t> bytes_;
  uint64_t pos_ = 0;
};

std::string key_ctx(std::string_view key) {
  return "key '" + std::string(key) + "'";
}

Result<GgufValue> read_array(Reader& r, std::string_view key) {
  GgufValue v;
  v.type = GgufValueType::kArray;
  auto raw_elem = r.read<uint32_t>(key_ctx(key) + " array element type");
  if (!raw_elem) return raw_elem.error();
  if (!known_value_type(*raw_elem)) {
    return r.fail(key_ctx(key) + ": unknown array element type " + std::to_string(*raw_elem) +
                  " (expected 0..12)");
  }
  v.elem_type = static_cast<GgufValueType>(*raw_elem);
  if (v.elem_type == GgufValueType::kArray) {
    return r.fail(key_ctx(key) + ": nested arrays are not supported");
  }
  auto count = r.read<uint64_t>(key_ctx(key) + " array count");
  if (!count) return count.error();
  v.count = *count;
  // A forged count must not drive an allocation: every element takes at least this
  // many bytes, so the count is bounded by what is left in the file.
  const uint64_t elem = v.elem_type == GgufValueType::kString ? 8 : gguf_fixed_size(v.elem_type);
  if (v.count > r.remaining() / elem) {
    return r.fail(key_ctx(key) + ": array of " + std::to_string(v.count) + " " +
                  std::string(gguf_type_name(v.elem_type)) + " needs at least " +
                  std::to_string(elem) + " bytes each but only " + std::to_string(r.remaining()) +
                  " bytes remain");
  }
  if (v.elem_type != GgufValueType::kString) {
    v.array_data = r.at(r.pos());
    r.skip(v.count * elem);
    return v;
  }
  v.strings.reserve(v.count);
  for (uint64_t i = 0; i < v.count; ++i) {
    // Checked inline: vocabularies hold 150k strings, and building an error context
    // per element would cost more than the parse itself.
    if (r.remaining() < 8 || load<uint64_t>(r.at(r.pos())) > r.remaining() - 8) {
      auto s = r.read_string(key_ctx(key) + " element " + std::to_string(i));
      return s.error();  // the slow path reports which bound failed
    }
    const uint64_t len = load<uint64_t>(r.at(r.pos()));
    v.strings.emplace_back(reinterpret_cast<const char*>(r.at(r.pos() + 8)), len);
    r.skip(8 + len);
  }
  return v;
}

Result<GgufValue> read_value(Reader& r, std::string_view key, uint32_t raw_type) {
  if (!known_value_type(raw_type)) {
    return r.fail(key_ctx(key) + ": unknown value type " + std::to_string(raw_type) +
                  " (expected 0..12)");
  }
  const auto t = static_cast<GgufValueType>(raw_type);
  if (t == GgufValueType::kArray) return read_array(r, key);
  GgufValue v;
  v.type = t;
  if (t == GgufValueType::kString) {
    auto s = r.read_string(key_ctx(key) + " string");
    if (!s) return s.error();
    v.str = *s;
    return v;
  }
  const uint64_t n = gguf_fixed_size(t);
  TROVE_TRY(r.need(n, key_ctx(key) + " value"));
  decode_number(t, r.at(r.pos()), v);
  if (t == GgufValueType::kBool && v.u > 1) {
    return r.fail(key_ctx(key) + ": bool value " + std::to_string(v.u) + " (expected 0 or 1)");
  }
  r.skip(n);
  return v;
}

uint64_t align_up(uint64_t x, uint64_t a) {
  return (x + a - 1) / a * a;
}

std::string dims_text(const GgufTensorInfo& t) {
  std::string s = "[";
  for (int d = 0; d < t.n_dims; ++d) {
    if (d) s += ", ";
    s += std::to_string(t.ne[d]);
  }
  return s + "]";
}

}  // namespace

// Encoded size of one array element or scalar; 0 for variable-size types.
uint64_t gguf_fixed_size(GgufValueType t) {
  switch (t) {
    case GgufValueType::kUint8:
    case GgufValueType::kInt8:
    case GgufValueType::kBool:
      return 1;
    case GgufValueType::kUint16:
    case GgufValueType::kInt16:
      return 2;
    case GgufValueType::kUint32:
    case GgufValueType::kInt32:
    case GgufValueType::kFloat32:
      return 4;
    case GgufValueType::kUint64:
    case GgufValueType::kInt64:
    case GgufValueType::kFloat64:
      return 8;
    case GgufValueType::kString:
    case GgufValueType::kArray:
      return 0;
  }
  return 0;
}

std::string_view gguf_type_name(GgufValueType t) {
  switch (t) {
    case GgufValueType::kUint8:
      return "uint8";
    case GgufValueType::kInt8:
      return "int8";
    case GgufValueType::kUint16:
      return "uint16";
    case GgufValueType::kInt16:
      return "int16";
    case GgufValueType::kUint32:
      return "uint32";
    case GgufValueType::kInt32:
      return "int32";
    case GgufValueType::kFloat32:
      return "float32";
    case GgufValueType::kBool:
      return "bool";
    case GgufValueType::kString:
      return "string";
    case GgufValueType::kArray:
      return "array";
    case GgufValueType::kUint64:
      return "uint64";
    case GgufValueType::kInt64:
      return "int64";
    case GgufValueType::kFloat64:
      return "float64";
  }
  return "unknown";
}

struct GgufFile::Impl {
  std::string path;
  MmapFile map;
  uint32_t version = 0;
  uint64_t alignment = kDefaultAlignment;
  std::vector<std::pair<std::string, GgufValue>> metadata;
  std::unordered_map<std::string_view, size_t> key_index;  // views into metadata keys
  std::vector<GgufTensorInfo> tensors;
  std::unordered_map<std::string_view, size_t> tensor_index;  // views into tensor names

  Error fail(const std::string& what) const { return make_error(path + ": " + what); }
  Error key_error(std::string_view key, const std::string& what) const {
    return fail(key_ctx(key) + ": " + what);
  }

  Status parse_header(Reader& r, uint64_t& n_tensors, uint64_t& n_kv);
  Status parse_metadata(Reader& r, uint64_t n_kv);
  Status parse_alignment();
  Status parse_tensor_infos(Reader& r, uint64_t n_tensors);
  Result<GgufTensorInfo> parse_tensor_info(Reader& r, uint64_t index);
  Status place_tensors(uint64_t header_end);
  Result<const GgufValue*> typed(std::string_view key) const;
};

Status GgufFile::Impl::parse_header(Reader& r, uint64_t& n_tensors, uint64_t& n_kv) {
  auto magic = r.read<uint32_t>("magic");
  if (!magic) return fail("not a GGUF file (shorter than 4 bytes)");
  if (*magic != kMagic) {
    return fail("not a GGUF file (bad magic: expected 'GGUF' at offset 0)");
  }
  auto ver = r.read<uint32_t>("version");
  if (!ver) return ver.error();
  version = *ver;
  if (version == 1) {
    return fail(
        "GGUF version 1 is not supported (expected 2 or 3); re-convert the model "
        "with a current llama.cpp");
  }
  if (version != 2 && version != 3) {
    if (version == 0x02000000 || version == 0x03000000) {  // 2 or 3 byte-swapped
      return fail("big-endian GGUF files are not supported");
    }
    return fail("unsupported GGUF version " + std::to_string(version) + " (expected 2 or 3)");
  }
  auto nt = r.read<uint64_t>("tensor count");
  if (!nt) return nt.error();
  auto nk = r.read<uint64_t>("metadata count");
  if (!nk) return nk.error();
  n_tensors = *nt;
  n_kv = *nk;
  if (n_kv > r.remaining() / kMinKvBytes) {
    return fail("metadata count " + std::to_string(n_kv) + " cannot fit in the " +
                std::to_string(r.remaining()) + " bytes that remain");
  }
  if (n_tensors > r.remaining() / kMinTensorInfoBytes) {
    return fail("tensor count " + std::to_string(n_tensors) + " cannot fit in the " +
                std::to_string(r.remaining()) + " bytes that remain");
  }
  return {};
}

Status GgufFile::Impl::parse_metadata(Reader& r, uint64_t n_kv) {
  metadata.reserve(n_kv);
  key_index.reserve(n_kv);
  for (uint64_t i = 0; i < n_kv; ++i) {
    auto key = r.read_string("metadata key " + std::to_string(i));
    if (!key) return key.error();
    auto raw_type = r.read<uint32_t>(key_ctx(*key) + " type");
    if (!raw_type) return raw_type.error();
    auto value = read_value(r, *key, *raw_type);
    if (!value) return value.error();
    metadata.emplace_back(std::string(*key), std::move(*value));
  }
  // Index only after the vector stops growing: the views point into its strings.
  for (size_t i = 0; i < metadata.size(); ++i) {
    if (!key_index.emplace(metadata[i].first, i).second) {
      return key_error(metadata[i].first, "duplicate metadata key");
    }
  }
  return {};
}

Status GgufFile::Impl::parse_alignment() {
  const GgufValue* v = nullptr;
  if (auto it = key_index.find("general.alignment"); it != key_index.end()) {
    v = &metadata[it->second].second;
  }
  if (v == nullptr) return {};
  if (!is_integer(v->type) || (is_signed(v->type) && v->i <= 0)) {
    return key_error("general.alignment",
                     "expected a positive integer, found " + std::string(gguf_type_name(v->type)));
  }
  // Bounded so that align_up() below cannot overflow on any real file size.
  if (!std::has_single_bit(v->u) || v->u > (uint64_t{1} << 30)) {
    return key_error("general.alignment",
                     "expected a power of two up to 2^30, found " + std::to_string(v->u));
  }
  alignment = v->u;
  return {};
}

Result<GgufTensorInfo> GgufFile::Impl::parse_tensor_info(Reader& r, uint64_t index) {
  GgufTensorInfo t;
  auto name = r.read_string("tensor " + std::to_string(index) + " name");
  if (!name) return name.error();
  t.name = std::string(*name);
  const std::string ctx = "tensor '" + t.name + "'";
  auto n_dims = r.read<uint32_t>(ctx + " dimension count");
  if (!n_dims) return n_dims.error();
  if (*n_dims < 1 || *n_dims > kMaxDims) {
    return fail(ctx + ": " + std::to_string(*n_dims) + " dimensions (expected 1..4)");
  }
  t.n_dims = static_cast<int>(*n_dims);
  int64_t n_elements = 1;
  for (int d = 0; d < t.n_dims; ++d) {
    auto ne = r.read<int64_t>(ctx + " dimension " + std::to_string(d));
    if (!ne) return ne.error();
    if (*ne <= 0) {
      return fail(ctx + ": dimension " + std::to_string(d) + " is " + std::to_string(*ne) +
                  " (expected > 0)");
    }
    if (n_elements > std::numeric_limits<int64_t>::max() / *ne) {
      return fail(ctx + ": element count overflows");
    }
    n_elements *= *ne;
    t.ne[d] = *ne;
  }
  auto raw_type = r.read<uint32_t>(ctx + " type");
  if (!raw_type) return raw_type.error();
  const TypeTraits* tt = type_traits(*raw_type);
  if (tt == nullptr) return fail(ctx + ": unknown tensor type " + std::to_string(*raw_type));
  t.type = static_cast<GgmlType>(*raw_type);
  if (t.ne[0] % tt->block_size != 0) {
    return fail(ctx + ": row length " + std::to_string(t.ne[0]) + " is not a multiple of the " +
                std::string(tt->name) + " block size " + std::to_string(tt->block_size));
  }
  auto offset = r.read<uint64_t>(ctx + " offset");
  if (!offset) return offset.error();
  t.offset = *offset;
  const uint64_t blocks = static_cast<uint64_t>(n_elements / tt->block_size);
  if (blocks > std::numeric_limits<uint64_t>::max() / tt->type_size) {
    return fail(ctx + ": byte size overflows");
  }
  t.nbytes = blocks * tt->type_size;
  return t;
}

Status GgufFile::Impl::parse_tensor_infos(Reader& r, uint64_t n_tensors) {
  tensors.reserve(n_tensors);
  for (uint64_t i = 0; i < n_tensors; ++i) {
    auto t = parse_tensor_info(r, i);
    if (!t) return t.error();
    tensors.push_back(std::move(*t));
  }
  for (size_t i = 0; i < tensors.size(); ++i) {
    if (!tensor_index.emplace(tensors[i].name, i).second) {
      return fail("tensor '" + tensors[i].name + "': duplicate tensor name");
    }
  }
  return {};
}

Status GgufFile::Impl::place_tensors(uint64_t header_end) {
  const uint64_t file_size = map.size();
  const uint64_t data_start = align_up(header_end, alignment);
  for (GgufTensorInfo& t : tensors) {
    const std::string ctx = "tensor '" + t.name + "'";
    if (t.offset % alignment != 0) {
      return fail(ctx + ": data offset " + std::to_string(t.offset) +
                  " is not a multiple of the alignment " + std::to_string(alignment));
    }
    // Written as subtractions so that a forged offset or size cannot wrap around.
    const bool fits = data_start <= file_size && t.offset <= file_size - data_start &&
                      t.nbytes <= file_size - data_start - t.offset;
    if (!fits) {
      const uint64_t abs = t.offset > std::numeric_limits<uint64_t>::max() - data_start
                               ? t.offset
                               : data_start + t.offset;
      return fail(ctx + ": data [offset " + std::to_string(abs) + ", size " +
                  std::to_string(t.nbytes) + "] runs past end of file (size " +
                  std::to_string(file_size) + ")");
    }
    t.data = map.data() + data_start + t.offset;
  }
  std::vector<const GgufTensorInfo*> by_offset;
  by_offset.reserve(tensors.size());
  for (const GgufTensorInfo& t : tensors) by_offset.push_back(&t);
  std::sort(by_offset.begin(), by_offset.end(),
            [](const GgufTensorInfo* a, const GgufTensorInfo* b) { return a->offset < b->offset; });
  for (size_t i = 1; i < by_offset.size(); ++i) {
    const GgufTensorInfo& a = *by_offset[i - 1];
    const GgufTensorInfo& b = *by_offset[i];
    if (a.offset + a.nbytes > b.offset) {
      return fail("tensor '" + b.name + "' " + dims_text(b) + ": data at offset " +
                  std::to_string(b.offset) + " overlaps tensor '" + a.name + "' [offset " +
                  std::to_string(a.offset) + ", size " + std::to_string(a.nbytes) + "]");
    }
  }
  return {};
}

Result<GgufFile> GgufFile::open(const std::string& path) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  auto map = MmapFile::open(path);
  if (!map) return map.error();
  impl->map = std::move(*map);
  Reader r(impl->path, impl->map.bytes());
  uint64_t n_tensors = 0;
  uint64_t n_kv = 0;
  TROVE_TRY(impl->parse_header(r, n_tensors, n_kv));
  TROVE_TRY(impl->parse_metadata(r, n_kv));
  TROVE_TRY(impl->parse_alignment());
  TROVE_TRY(impl->parse_tensor_infos(r, n_tensors));
  TROVE_TRY(impl->place_tensors(r.pos()));
  return GgufFile(std::move(impl));
}

GgufFile::GgufFile(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
GgufFile::GgufFile(GgufFile&&) noexcept = default;
GgufFile& GgufFile::operator=(GgufFile&&) noexcept = default;
GgufFile::~GgufFile() = default;

const std::string& GgufFile::path() const {
  return impl_->path;
}
uint32_t GgufFile::version() const {
  return impl_->version;
}
uint64_t GgufFile::file_size() const {
  return impl_->map.size();
}
uint64_t GgufFile::alignment() const {
  return impl_->alignment;
}

const std::vector<std::pair<std::string, GgufValue>>& GgufFile::metadata() const {
  return impl_->metadata;
}

const GgufValue* GgufFile::find(std::string_view key) const {
  auto it = impl_->key_index.find(key);
  return it == impl_->key_index.end() ? nullptr : &impl_->metadata[it->second].second;
}

Result<const GgufValue*> GgufFile::Impl::typed(std::string_view key) const {
  auto it = key_index.find(key);
  if (it == key_index.end()) return key_error(key, "missing");
  return &metadata[it->second].second;
}

namespace {
std::string found_text(const GgufValue& v) {
  if (v.type == GgufValueType::kArray) {
    return "array of " + std::string(gguf_type_name(v.elem_type));
  }
  return std::string(gguf_type_name(v.type));
}
}  // namespace

Result<uint64_t> GgufFile::get_uint(std::string_view key) const {
  auto v = impl_->typed(key);
  if (!v) return v.error();
  const GgufValue& x = **v;
  if (!is_integer(x.type)) {
    return impl_->key_error(key, "expected an unsigned integer, found " + found_text(x));
  }
  if (is_signed(x.type) && x.i < 0) {
    return impl_->key_error(key, "expected an unsigned integer, found " + std::to_string(x.i));
  }
  return x.u;
}

Result<int64_t> GgufFile::get_int(std::string_view key) const {
  auto v = impl_->typed(key);
  if (!v) return v.error();
  const GgufValue& x = **v;
  if (!is_integer(x.type)) {
    return impl_->key_error(key, "expected an integer, found " + found_text(x));
  }
  if (!is_signed(x.type) && x.u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return impl_->key_error(key, "value " + std::to_string(x.u) + " does not fit in int64");
  }
  return x.i;
}

Result<double> GgufFile::get_float(std::string_view key) const {
  auto v = impl_->typed(key);
  if (!v) return v.error();
  if (!is_number((*v)->type)) {
    return impl_->key_error(key, "expected a number, found " + found_text(**v));
  }
  return (*v)->f;
}

Result<bool> GgufFile::get_bool(std::string_view key) const {
  auto v = impl_->typed(key);
  if (!v) return v.error();
  if ((*v)->type != GgufValueType::kBool) {
    return impl_->key_error(key, "expected a bool, found " + found_text(**v));
  }
  return (*v)->u != 0;
}

Result<std::string_view> GgufFile::get_string(std::string_view key) const {
  auto v = impl_->typed(key);
  if (!v) return v.error();
  if ((*v)->type != GgufValueType::kString) {
    return impl_->key_error(key, "expected a string, found " + found_text(**v));
  }
  return (*v)->str;
}

Result<std::span<const std::string_view>> GgufFile::get_string_array(std::string_view key) const {
  auto v = impl_->typed(key);
  if (!v) return v.error();
  const GgufValue& x = **v;
  if (x.type != GgufValueType::kArray || x.elem_type != GgufValueType::kString) {
    return impl_->key_error(key, "expected an array of strings, found " + found_text(x));
  }
  return std::span<const std::string_view>(x.strings);
}

Result<std::vector<float>> GgufFile::get_float_array(std::string_view key) const {
  auto v = impl_->typed(key);
  if (!v) return v.error();
  const GgufValue& x = **v;
  if (x.type != GgufValueType::kArray || !is_number(x.elem_type)) {
    return impl_->key_error(key, "expected an array of numbers, found " + found_text(x));
  }
  std::vector<float> out(x.count);
  const uint64_t step = gguf_fixed_size(x.elem_type);
  for (uint64_t i = 0; i < x.count; ++i) {
    GgufValue e;
    decode_number(x.elem_type, x.array_data + i * step, e);
    out[i] = static_cast<float>(e.f);
  }
  return out;
}

Result<std::vector<int64_t>> GgufFile::get_int_array(std::string_view key) const {
  auto v = impl_->typed(key);
  if (!v) return v.error();
  const GgufValue& x = **v;
  if (x.type != GgufValueType::kArray || !is_integer(x.elem_type)) {
    return impl_->key_error(key, "expected an array of integers, found " + found_text(x));
  }
  std::vector<int64_t> out(x.count);
  const uint64_t step = gguf_fixed_size(x.elem_type);
  for (uint64_t i = 0; i < x.count; ++i) {
    GgufValue e;
    decode_number(x.elem_type, x.array_data + i * step, e);
    if (!is_signed(x.elem_type) &&
        e.u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return impl_->key_error(key, "element " + std::to_string(i) + " does not fit in int64");
    }
    out[i] = e.i;
  }
  return out;
}

uint64_t GgufFile::uint_or(std::string_view key, uint64_t dflt) const {
  auto r = get_uint(key);
  return r ? *r : dflt;
}

double GgufFile::float_or(std::string_view key, double dflt) const {
  auto r = get_float(key);
  return r ? *r : dflt;
}

bool GgufFile::bool_or(std::string_view key, bool dflt) const {
  auto r = get_bool(key);
  return r ? *r : dflt;
}

std::string_view GgufFile::string_or(std::string_view key, std::string_view dflt) const {
  auto r = get_string(key);
  return r ? *r : dflt;
}

const std::vector<GgufTensorInfo>& GgufFile::tensors() const {
  return impl_->tensors;
}

const GgufTensorInfo* GgufFile::find_tensor(std::string_view name) const {
  auto it = impl_->tensor_index.find(name);
  return it == impl_->tensor_index.end() ? nullptr : &impl_->tensors[it->second];
}

}  // namespace trove
