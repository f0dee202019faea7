#include "diff/pair_kernel.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

// The helpers below take and return 32-byte vectors; they are always inlined into the clones of
// AccumulateBlock, so the ABI note GCC gives for such signatures does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace gitmodel {
namespace {

// Four doubles, and a lane mask (-1 true, 0 false) as comparisons of them produce. GCC lowers
// these to AVX2 in the x86-64-v3 clone below and to pairs of SSE2 operations otherwise.
using V = double __attribute__((vector_size(32)));
using M = int64_t __attribute__((vector_size(32)));
constexpr int kWidth = 4;

// Loaders: four consecutive little-endian values at element `i` of `p`, as doubles (exact).
struct DoubleLoader {
  static constexpr size_t kBytes = 8;
  [[gnu::always_inline]] static V Load(const std::byte* p) {
    V v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
};

struct Float32Loader {
  static constexpr size_t kBytes = 4;
  [[gnu::always_inline]] static V Load(const std::byte* p) {
    using F = float __attribute__((vector_size(16)));
    F f;
    std::memcpy(&f, p, sizeof f);
    return __builtin_convertvector(f, V);
  }
};

// bfloat16 is the upper half of a float32.
struct BFloat16Loader {
  static constexpr size_t kBytes = 2;
  [[gnu::always_inline]] static V Load(const std::byte* p) {
    using H = uint16_t __attribute__((vector_size(8)));
    using U = uint32_t __attribute__((vector_size(16)));
    using F = float __attribute__((vector_size(16)));
    H h;
    std::memcpy(&h, p, sizeof h);
    const U bits = __builtin_convertvector(h, U) << 16;
    return __builtin_convertvector((F)bits, V);
  }
};

// One set of running sums, one lane per position mod 4.
struct Sums {
  V sq_diff{}, sq_a{}, sq_b{}, dot{}, sum_abs{}, max_abs{};
  M differ{}, not_close{};
};

struct Constants {
  V atol, rtol, inf;
  M abs_mask;
};

// torch.isclose(b, a): equal, or a finite error within atol + |rtol * a|. A NaN error fails every
// comparison, so NaN is never close and never raises max_abs (sum_abs carries it instead).
[[gnu::always_inline]] inline void Step(Sums& s, V a, V b, const Constants& c) {
  const V d = b - a;
  const V error = (V)((M)d & c.abs_mask);
  s.sq_diff += d * d;
  s.sq_a += a * a;
  s.sq_b += b * b;
  s.dot += a * b;
  s.sum_abs += error;
  s.max_abs = error > s.max_abs ? error : s.max_abs;
  s.differ -= a != b;  // a true lane is -1
  const V allowed = c.atol + (V)((M)(c.rtol * a) & c.abs_mask);
  const M close = (a == b) | ((error <= allowed) & (error < c.inf));
  s.not_close -= ~close;
}

// For byte-identical sides: only ||A||^2, the NaN count (a != a) and whether any value is
// non-finite (a - a is NaN exactly then; b - a would be NaN there too, inf - inf included).
[[gnu::always_inline]] inline void SameStep(Sums& s, V a) {
  s.sq_a += a * a;
  s.differ -= a != a;
  s.sum_abs += a - a;
}

[[gnu::always_inline]] inline double Total(const V& v) { return (v[0] + v[1]) + (v[2] + v[3]); }

void AddTo(const Sums& s0, const Sums& s1, DiffStats& stats) {
  stats.sq_diff += Total(s0.sq_diff) + Total(s1.sq_diff);
  stats.sq_a += Total(s0.sq_a) + Total(s1.sq_a);
  stats.sq_b += Total(s0.sq_b) + Total(s1.sq_b);
  stats.dot += Total(s0.dot) + Total(s1.dot);
  const double block_abs = Total(s0.sum_abs) + Total(s1.sum_abs);
  stats.sum_abs += block_abs;
  double max = 0;
  for (int k = 0; k < kWidth; ++k) {
    stats.differ += static_cast<uint64_t>(s0.differ[k] + s1.differ[k]);
    stats.not_close += static_cast<uint64_t>(s0.not_close[k] + s1.not_close[k]);
    max = std::max({max, s0.max_abs[k], s1.max_abs[k]});
  }
  // A NaN difference anywhere makes the maximum NaN, as in torch.
  if (std::isnan(block_abs) || std::isnan(stats.max_abs)) {
    stats.max_abs = std::numeric_limits<double>::quiet_NaN();
  } else if (max > stats.max_abs) {
    stats.max_abs = max;
  }
}


// The loop shared by every element type: pairs of four-lane steps, then a zero-padded tail
// (0 vs 0 is equal, close, and adds nothing).
template <typename Loader>
[[gnu::always_inline]] inline void Accumulate(const std::byte* a, const std::byte* b, size_t n,
                                              const DiffTolerance& tolerance, DiffStats& stats) {
  constexpr size_t kStep = Loader::kBytes * kWidth;
  const Constants c{V{} + tolerance.atol, V{} + tolerance.rtol, V{} + std::numeric_limits<double>::infinity(),
                    M{} + std::numeric_limits<int64_t>::max()};
  Sums s0, s1;  // two independent chains per sum keep the adders busy
  size_t i = 0;
  for (; i + 2 * kWidth <= n; i += 2 * kWidth) {
    const size_t at = i * Loader::kBytes;
    Step(s0, Loader::Load(a + at), Loader::Load(b + at), c);
    Step(s1, Loader::Load(a + at + kStep), Loader::Load(b + at + kStep), c);
  }
  if (i < n) {
    std::byte ta[2 * kStep] = {}, tb[2 * kStep] = {};
    std::memcpy(ta, a + i * Loader::kBytes, (n - i) * Loader::kBytes);
    std::memcpy(tb, b + i * Loader::kBytes, (n - i) * Loader::kBytes);
    Step(s0, Loader::Load(ta), Loader::Load(tb), c);
    Step(s1, Loader::Load(ta + kStep), Loader::Load(tb + kStep), c);
  }
  stats.numel += n;
  AddTo(s0, s1, stats);
}

// The statistics of a tensor against its own bytes, as the full kernel would give them: zero
// difference (NaN where a value is non-finite, since inf - inf and NaN - NaN are NaN), every
// NaN differing and not close.
template <typename Loader>
[[gnu::always_inline]] inline void AccumulateSame(const std::byte* a, size_t n, DiffStats& stats) {
  constexpr size_t kStep = Loader::kBytes * kWidth;
  Sums s0, s1;
  size_t i = 0;
  for (; i + 2 * kWidth <= n; i += 2 * kWidth) {
    SameStep(s0, Loader::Load(a + i * Loader::kBytes));
    SameStep(s1, Loader::Load(a + i * Loader::kBytes + kStep));
  }
  if (i < n) {
    std::byte ta[2 * kStep] = {};
    std::memcpy(ta, a + i * Loader::kBytes, (n - i) * Loader::kBytes);
    SameStep(s0, Loader::Load(ta));
    SameStep(s1, Loader::Load(ta + kStep));
  }
  const double sq = Total(s0.sq_a) + Total(s1.sq_a);
  const double nonfinite = Total(s0.sum_abs) + Total(s1.sum_abs);  // 0, or NaN
  uint64_t nan = 0;
  for (int k = 0; k < kWidth; ++k) nan += static_cast<uint64_t>(s0.differ[k] + s1.differ[k]);
  DiffStats same;
  same.numel = n;
  same.differ = same.not_close = nan;
  same.sq_diff = same.sum_abs = same.max_abs = nonfinite;
  same.sq_a = same.sq_b = same.dot = sq;
  stats.Merge(same);
}

}  // namespace

// Each entry point gets an x86-64-v3 (AVX2) clone, chosen when the program loads.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define GITMODEL_SIMD_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define GITMODEL_SIMD_CLONES
#endif

GITMODEL_SIMD_CLONES
void AccumulateBlock(std::span<const double> a, std::span<const double> b, const DiffTolerance& tolerance,
                     DiffStats& stats) {
  const size_t n = a.size() < b.size() ? a.size() : b.size();
  Accumulate<DoubleLoader>(reinterpret_cast<const std::byte*>(a.data()), reinterpret_cast<const std::byte*>(b.data()),
                           n, tolerance, stats);
}

GITMODEL_SIMD_CLONES
void AccumulateFloat32(std::span<const std::byte> a, std::span<const std::byte> b, const DiffTolerance& tolerance,
                       DiffStats& stats) {
  Accumulate<Float32Loader>(a.data(), b.data(), std::min(a.size(), b.size()) / 4, tolerance, stats);
}

GITMODEL_SIMD_CLONES
void AccumulateBFloat16(std::span<const std::byte> a, std::span<const std::byte> b, const DiffTolerance& tolerance,
                        DiffStats& stats) {
  Accumulate<BFloat16Loader>(a.data(), b.data(), std::min(a.size(), b.size()) / 2, tolerance, stats);
}

GITMODEL_SIMD_CLONES
void AccumulateSameBlock(std::span<const double> a, DiffStats& stats) {
  AccumulateSame<DoubleLoader>(reinterpret_cast<const std::byte*>(a.data()), a.size(), stats);
}

GITMODEL_SIMD_CLONES
void AccumulateSameFloat32(std::span<const std::byte> a, DiffStats& stats) {
  AccumulateSame<Float32Loader>(a.data(), a.size() / 4, stats);
}

GITMODEL_SIMD_CLONES
void AccumulateSameBFloat16(std::span<const std::byte> a, DiffStats& stats) {
  AccumulateSame<BFloat16Loader>(a.data(), a.size() / 2, stats);
}

}  // namespace gitmodel
