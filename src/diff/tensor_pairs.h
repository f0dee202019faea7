// Elementwise comparison of matched tensor pairs, streamed and spread over all cores.
// Internal to src/diff/.
#pragma once

#include <vector>

#include "gitmodel/checkpoint.h"
#include "gitmodel/diff.h"

namespace gitmodel {

struct TensorPair {
  const TensorRef* a = nullptr;  // from the old checkpoint
  const TensorRef* b = nullptr;  // from the new one; same shape as a
};

struct PairResult {
  Result<DiffStats> stats = DiffStats{};
  bool bytes_equal = false;  // same dtype and the same logical bytes
};

// Compares every pair, result i for pairs[i]. Contiguous little-endian tensors are read in place
// from the mappings, and those over options.split_bytes are cut into ranges compared in parallel,
// so one huge tensor still uses every core; the pages of a range are released once compared.
// Other views (strided, big-endian) stream in bounded chunks against the other side; only when
// both sides are such views is one of them gathered whole. Errors are per pair (meta tensor,
// view out of bounds, values per element differ).
std::vector<PairResult> ComparePairs(const Checkpoint& a, const Checkpoint& b, const std::vector<TensorPair>& pairs,
                                     const DiffOptions& options);

}  // namespace gitmodel
