// Runs independent work items on all cores.
#pragma once

#include <cstddef>
#include <functional>

namespace gitmodel {

// Calls fn(i) for every i in [0, count), on up to `threads` threads (0 = hardware concurrency).
// Items are claimed dynamically, so uneven items balance. fn must be thread-safe; returns when all
// calls have returned.
void ParallelFor(size_t count, const std::function<void(size_t)>& fn, unsigned threads = 0);

}  // namespace gitmodel
