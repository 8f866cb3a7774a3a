// core/gguf_checks.cc — hyper-parameter checks (see gguf_checks.h).
#include "core/gguf_checks.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string_view>

namespace trove {
namespace {

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

int64_t gguf_blocks_present(const GgufFile& f) {
  int64_t blocks = 0;
  for (const GgufTensorInfo& t : f.tensors()) {
    std::string_view name = t.name;
    if (!name.starts_with("blk.")) continue;
    name.remove_prefix(4);
    int64_t n = -1;
    auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), n);
    if (ec != std::errc() || end == name.data() || end == name.data() + name.size() ||
        *end != '.' || n < 0) {
      continue;
    }
    // Each block needs at least one tensor, so the count can never exceed the table.
    if (n < static_cast<int64_t>(f.tensors().size())) blocks = std::max(blocks, n + 1);
  }
  return blocks;
}

Status gguf_check_block_count(const GgufFile& f, const std::string& key, int64_t n) {
  const int64_t present = gguf_blocks_present(f);
  if (n == present) return {};
  return make_error(f.path() + ": " + key + " is " + std::to_string(n) + " but the file has " +
                    "tensors for " + std::to_string(present) + " blocks (blk.0 .. blk." +
                    std::to_string(present - 1) + ")");
}

Result<double> gguf_float_in(const GgufFile& f, const std::string& key, double dflt, double lo,
                             double hi) {
  if (!f.has(key)) return dflt;
  auto v = f.get_float(key);
  if (!v.ok()) return v.error();
  if (!std::isfinite(*v) || !(*v > lo) || !(*v <= hi)) {
    return make_error(f.path() + ": " + key + " is " + fmt(*v) + ", expected a finite number in (" +
                      fmt(lo) + ", " + fmt(hi) + "]");
  }
  return *v;
}

}  // namespace trove
