// The inner loop of the checkpoint diff: statistics of b - a over two blocks of decoded values.
// Internal to src/diff/.
#pragma once

#include <cstddef>
#include <span>

#include "gitmodel/diff.h"

namespace gitmodel {

// Adds the statistics of b[i] - a[i] for every i to `stats` (a.size() == b.size()). Sums run in
// eight lanes (SIMD, with an AVX2 clone picked at load time where the CPU has it) that are added
// at the end of the block, so totals grow block by block, which keeps rounding error far below
// float32 resolution.
void AccumulateBlock(std::span<const double> a, std::span<const double> b, const DiffTolerance& tolerance,
                     DiffStats& stats);

// The same over raw little-endian float32 / bfloat16 bytes (whole elements; a trailing partial
// element is ignored), decoding in registers: the fast paths for the common weight types.
void AccumulateFloat32(std::span<const std::byte> a, std::span<const std::byte> b, const DiffTolerance& tolerance,
                       DiffStats& stats);
void AccumulateBFloat16(std::span<const std::byte> a, std::span<const std::byte> b, const DiffTolerance& tolerance,
                        DiffStats& stats);

// The statistics of values against themselves (both sides byte-identical), equal to what the
// functions above give for (a, a) at a fraction of the cost: only ||A||^2 and NaN/inf need a pass.
void AccumulateSameBlock(std::span<const double> a, DiffStats& stats);
void AccumulateSameFloat32(std::span<const std::byte> a, DiffStats& stats);
void AccumulateSameBFloat16(std::span<const std::byte> a, DiffStats& stats);

}  // namespace gitmodel
