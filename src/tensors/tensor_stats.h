// Summary statistics of a tensor's values, computed by streaming over its bytes.
//
// Values are decoded as element_decode.h describes (complex: |z|, bool: 0/1, per-tensor affine
// quantized: dequantized, other quantized: stored integers). Tensors are never materialised:
// memory use is a chunk buffer per thread whatever the tensor size.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "gitmodel/checkpoint.h"
#include "gitmodel/status.h"

namespace gitmodel {

struct TensorStats {
  uint64_t count = 0;  // values: numel, or 2 * numel for float4_e2m1fn_x2
  uint64_t nan = 0;
  uint64_t inf = 0;    // +inf and -inf
  // Over finite values only; NaN when there is none. std is the population standard deviation.
  double min = std::numeric_limits<double>::quiet_NaN();
  double max = std::numeric_limits<double>::quiet_NaN();
  double mean = std::numeric_limits<double>::quiet_NaN();
  double std = std::numeric_limits<double>::quiet_NaN();
};

// Stats of one tensor, on the calling thread. Errors are ForEachContiguousChunk's (meta tensor,
// bounds, unsupported sub-byte layout).
Result<TensorStats> ComputeStats(const TensorRef& t);

struct StatsOptions {
  unsigned threads = 0;                     // 0: hardware concurrency
  uint64_t split_bytes = uint64_t{64} << 20;  // contiguous tensors larger than this are split...
  uint64_t piece_bytes = uint64_t{8} << 20;   // ...into ranges of about this many bytes
};

// Stats of every tensor, result i for tensors[i]. Tensors are processed in parallel, and each
// contiguous tensor over options.split_bytes is cut into ranges processed in parallel and merged,
// so a single huge tensor still uses every core. Results agree with ComputeStats up to rounding
// of mean and std.
std::vector<Result<TensorStats>> ComputeStatsAll(const std::vector<TensorRef>& tensors,
                                                 const StatsOptions& options = {});

}  // namespace gitmodel
