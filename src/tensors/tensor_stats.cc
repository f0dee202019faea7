#include "tensors/tensor_stats.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <span>

#include "base/parallel.h"
#include "tensors/element_decode.h"
#include "tensors/tensor_bytes.h"
#include "tensors/tensor_view.h"

namespace gitmodel {
namespace {

// Values decoded at a time: small enough to stay in L1/L2 for the second pass over them.
// A multiple of 8 so that blocks of packed sub-byte values start on a byte boundary.
constexpr size_t kBlockValues = 4096;

// Running count, extremes and central moments of finite values, mergeable (Chan et al.).
struct Moments {
  uint64_t count = 0, nan = 0, inf = 0, finite = 0;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  double mean = 0;
  double m2 = 0;  // sum of squared deviations from mean

  void Merge(const Moments& o) {
    count += o.count;
    nan += o.nan;
    inf += o.inf;
    if (o.finite == 0) return;
    const double n = static_cast<double>(finite + o.finite);
    const double delta = o.mean - mean;
    mean += delta * (static_cast<double>(o.finite) / n);
    m2 += o.m2 + delta * delta * (static_cast<double>(finite) * static_cast<double>(o.finite) / n);
    finite += o.finite;
    min = std::min(min, o.min);
    max = std::max(max, o.max);
  }

  TensorStats Finish() const {
    TensorStats s;
    s.count = count;
    s.nan = nan;
    s.inf = inf;
    if (finite == 0) return s;
    s.min = min;
    s.max = max;
    s.mean = mean;
    s.std = std::sqrt(m2 / static_cast<double>(finite));
    return s;
  }
};

// First pass over a block: counts, extremes and the sum of finite values.
Moments ScanBlock(std::span<const double> v, double& sum) {
  Moments b;
  b.count = v.size();
  for (double x : v) {
    if (std::isfinite(x)) {
      ++b.finite;
      sum += x;
      b.min = std::min(b.min, x);
      b.max = std::max(b.max, x);
    } else if (std::isnan(x)) {
      ++b.nan;
    } else {
      ++b.inf;
    }
  }
  return b;
}

// The common case: every value finite. Four independent accumulators keep the FPU busy; a NaN or
// infinity anywhere makes the sum non-finite, so the caller then takes the careful path.
Moments ScanFiniteBlock(std::span<const double> v, double& sum) {
  double s[4] = {0, 0, 0, 0};
  double lo[4], hi[4];
  std::fill_n(lo, 4, std::numeric_limits<double>::infinity());
  std::fill_n(hi, 4, -std::numeric_limits<double>::infinity());
  size_t i = 0;
  for (; i + 4 <= v.size(); i += 4) {
    for (int k = 0; k < 4; ++k) {
      const double x = v[i + k];
      s[k] += x;
      lo[k] = x < lo[k] ? x : lo[k];
      hi[k] = x > hi[k] ? x : hi[k];
    }
  }
  for (; i < v.size(); ++i) {
    s[0] += v[i];
    lo[0] = v[i] < lo[0] ? v[i] : lo[0];
    hi[0] = v[i] > hi[0] ? v[i] : hi[0];
  }
  Moments b;
  b.count = b.finite = v.size();
  b.min = std::min({lo[0], lo[1], lo[2], lo[3]});
  b.max = std::max({hi[0], hi[1], hi[2], hi[3]});
  sum = (s[0] + s[1]) + (s[2] + s[3]);
  return b;
}

// Sum of squared deviations from `mean` over the finite values.
double SquaredDeviations(std::span<const double> v, double mean, bool all_finite) {
  double s[4] = {0, 0, 0, 0};
  size_t i = 0;
  if (all_finite) {
    for (; i + 4 <= v.size(); i += 4) {
      for (int k = 0; k < 4; ++k) s[k] += (v[i + k] - mean) * (v[i + k] - mean);
    }
  }
  for (; i < v.size(); ++i) {
    if (std::isfinite(v[i])) s[0] += (v[i] - mean) * (v[i] - mean);
  }
  return (s[0] + s[1]) + (s[2] + s[3]);
}

// Welford's update, for blocks whose plain sum overflows.
void WelfordMoments(std::span<const double> v, Moments& b) {
  uint64_t k = 0;
  b.mean = 0;
  for (double x : v) {
    if (!std::isfinite(x)) continue;
    const double delta = x - b.mean;
    b.mean += delta / static_cast<double>(++k);
    b.m2 += delta * (x - b.mean);
  }
}

// Two passes over an in-cache block (exact mean first, then squared deviations), then merged:
// accurate like Welford without a division per value.
void AddBlock(std::span<const double> v, Moments& total) {
  double sum = 0;
  Moments b = ScanFiniteBlock(v, sum);
  const bool all_finite = std::isfinite(sum);
  if (!all_finite) {
    sum = 0;
    b = ScanBlock(v, sum);
  }
  b.mean = b.finite > 0 ? sum / static_cast<double>(b.finite) : 0;
  if (std::isfinite(b.mean)) {
    b.m2 = SquaredDeviations(v, b.mean, all_finite);
  } else {
    WelfordMoments(v, b);
  }
  total.Merge(b);
}

// Decodes the values of one chunk block by block into `moments`.
class ChunkAccumulator {
 public:
  explicit ChunkAccumulator(const TensorRef& t)
      : spec_(DecodeSpecFor(t)),
        bits_(ValueBits(t.dtype)),
        remaining_(t.numel() * ValuesPerElement(t.dtype)),
        block_(kBlockValues) {}

  void Add(std::span<const std::byte> chunk) {
    uint64_t values = std::min<uint64_t>(remaining_, chunk.size() * 8 / bits_);
    remaining_ -= values;
    for (uint64_t done = 0; done < values && status_.ok(); done += kBlockValues) {
      std::span<double> block(block_.data(), std::min<uint64_t>(kBlockValues, values - done));
      status_ = DecodeValues(spec_, chunk.subspan(done * bits_ / 8), block);
      if (status_.ok()) AddBlock(block, moments_);
    }
  }

  Result<Moments> Finish() const {
    if (!status_.ok()) return status_;
    return moments_;
  }

 private:
  DecodeSpec spec_;
  uint64_t bits_;
  uint64_t remaining_;
  std::vector<double> block_;
  Moments moments_;
  Status status_;
};

Result<Moments> Accumulate(const TensorRef& t) {
  ChunkAccumulator acc(t);
  GM_RETURN_IF_ERROR(ForEachContiguousChunk(t, [&](std::span<const std::byte> c) { acc.Add(c); }));
  return acc.Finish();
}

// A part of tensors[tensor]: all of it, or elements [begin, begin + count) of a contiguous one.
struct Piece {
  size_t tensor = 0;
  std::optional<std::pair<uint64_t, uint64_t>> range;  // begin, count
};

// Elements [begin, begin + count) of contiguous `t` as a 1-D tensor of the same storage.
TensorRef RangeOf(const TensorRef& t, uint64_t begin, uint64_t count) {
  TensorRef r;
  r.dtype = t.dtype;
  r.shape = {static_cast<int64_t>(count)};
  r.strides = {1};
  r.storage_offset = t.storage_offset + static_cast<int64_t>(begin);
  r.storage_key = t.storage_key;
  r.storage = t.storage;
  r.big_endian = t.big_endian;
  r.quant = t.quant;
  return r;
}

bool Splittable(const TensorRef& t, const StatsOptions& options) {
  return t.has_storage && CheckViewBounds(t).ok() && t.is_contiguous() &&
         t.nbytes() > options.split_bytes;
}

std::vector<Piece> PlanPieces(const std::vector<TensorRef>& tensors, const StatsOptions& options) {
  std::vector<Piece> pieces;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const TensorRef& t = tensors[i];
    if (!Splittable(t, options)) {
      pieces.push_back({i, std::nullopt});
      continue;
    }
    // Multiples of 8 elements keep packed sub-byte ranges on byte boundaries.
    const uint64_t elements = options.piece_bytes * 8 / Info(t.dtype).bits;
    const uint64_t step = std::max<uint64_t>(8, elements / 8 * 8);
    const uint64_t n = t.numel();
    for (uint64_t begin = 0; begin < n; begin += step) {
      pieces.push_back({i, std::pair(begin, std::min(step, n - begin))});
    }
  }
  return pieces;
}

// Adds a piece's result to its tensor's; the first error wins.
void MergeInto(std::optional<Result<Moments>>& into, Result<Moments>&& piece) {
  if (!into || (into->ok() && !piece.ok())) {
    into = std::move(piece);
  } else if (into->ok()) {
    (*into)->Merge(*piece);
  }
}

}  // namespace

Result<TensorStats> ComputeStats(const TensorRef& t) {
  GM_ASSIGN_OR_RETURN(Moments m, Accumulate(t));
  return m.Finish();
}

std::vector<Result<TensorStats>> ComputeStatsAll(const std::vector<TensorRef>& tensors,
                                                 const StatsOptions& options) {
  const std::vector<Piece> pieces = PlanPieces(tensors, options);
  std::vector<std::optional<Result<Moments>>> partial(pieces.size());
  ParallelFor(pieces.size(), [&](size_t i) {
    const Piece& p = pieces[i];
    const TensorRef& t = tensors[p.tensor];
    partial[i] = p.range ? Accumulate(RangeOf(t, p.range->first, p.range->second)) : Accumulate(t);
  }, options.threads);

  // Pieces are in tensor order: merge each tensor's in sequence.
  std::vector<std::optional<Result<Moments>>> merged(tensors.size());
  for (size_t i = 0; i < pieces.size(); ++i) {
    MergeInto(merged[pieces[i].tensor], std::move(*partial[i]));
  }
  std::vector<Result<TensorStats>> out;
  out.reserve(tensors.size());
  for (auto& m : merged) out.push_back(m->ok() ? Result<TensorStats>((*m)->Finish()) : m->status());
  return out;
}

}  // namespace gitmodel
