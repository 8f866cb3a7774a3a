// core/gguf_checks.h — checks of GGUF hyper-parameters against what the file holds.
//
// GgufFile::open() proves that every offset and size stays inside the file; these
// checks prove that the numbers a model loader acts on make sense: a count is backed
// by tensors that exist, a float is finite and in its range. Every error names the
// file and the key, with what was found and what was expected.
#pragma once

#include <cstdint>
#include <string>

#include "core/gguf.h"
#include "core/result.h"

namespace trove {

// The number of transformer blocks the tensors describe: 1 + the largest N of the
// tensor names "blk.N.*", 0 when there are none.
int64_t gguf_blocks_present(const GgufFile& f);

// `key` (e.g. "bert.block_count") claims `n` blocks: it must equal the blocks present,
// so a file claiming 2^24 layers is refused before anything is allocated per layer.
Status gguf_check_block_count(const GgufFile& f, const std::string& key, int64_t n);

// An optional float key: `dflt` when absent; otherwise it must be a finite number with
// lo < value <= hi.
Result<double> gguf_float_in(const GgufFile& f, const std::string& key, double dflt, double lo,
                             double hi);

}  // namespace trove
