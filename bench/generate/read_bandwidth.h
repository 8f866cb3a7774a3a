// bench/generate/read_bandwidth.h — the machine's sustained memory read bandwidth,
// measured by streaming a buffer far larger than the caches on the given threads.
#pragma once

#include "core/thread_pool.h"

namespace trove::bench {

// Bytes per second: the best of `reps` full passes over a `bytes` buffer.
double read_bandwidth(ThreadPool& pool, size_t bytes, int reps);

}  // namespace trove::bench
