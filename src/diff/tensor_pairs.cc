#include "diff/tensor_pairs.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>

#include "base/parallel.h"
#include "diff/pair_kernel.h"
#include "tensors/element_decode.h"
#include "tensors/tensor_bytes.h"
#include "tensors/tensor_view.h"

namespace gitmodel {
namespace {

// Values decoded at a time per side: two blocks stay in L1/L2 while the kernel reads them.
// A multiple of 8 so that blocks of packed sub-byte values start on a byte boundary.
constexpr size_t kBlockValues = 4096;

// Elements [begin, begin + count) of pairs[pair], or all of it.
struct Piece {
  size_t pair = 0;
  uint64_t begin = 0, count = 0;
  bool whole = true;
};

// Readable in place: the mapping's bytes are the logical little-endian bytes.
bool InPlace(const TensorRef& t) { return t.is_contiguous() && !t.big_endian; }

Status CheckReadable(const TensorRef& t) {
  if (!t.has_storage) return InvalidArgument("meta tensor has no data");
  return CheckViewBounds(t);
}

std::vector<Piece> PlanPieces(const std::vector<TensorPair>& pairs, const DiffOptions& options) {
  std::vector<Piece> pieces;
  for (size_t i = 0; i < pairs.size(); ++i) {
    const TensorRef& a = *pairs[i].a;
    const TensorRef& b = *pairs[i].b;
    const bool splittable = InPlace(a) && InPlace(b) && CheckReadable(a).ok() && CheckReadable(b).ok() &&
                            std::max(a.nbytes(), b.nbytes()) > options.split_bytes;
    if (!splittable) {
      pieces.push_back({i, 0, a.numel(), true});
      continue;
    }
    const uint32_t bits = std::max(Info(a.dtype).bits, Info(b.dtype).bits);
    // Multiples of 8 elements keep packed sub-byte ranges on byte boundaries.
    const uint64_t step = std::max<uint64_t>(8, options.piece_bytes * 8 / bits / 8 * 8);
    const uint64_t n = a.numel();
    for (uint64_t begin = 0; begin < n; begin += step) pieces.push_back({i, begin, std::min(step, n - begin), false});
  }
  return pieces;
}

// Elements of 64-bit integers beyond 2^53 can differ although their doubles are equal: count
// differing elements on the integers themselves, as torch's `a != b` does.
uint64_t DifferingWords(std::span<const std::byte> a, std::span<const std::byte> b) {
  uint64_t n = 0;
  for (size_t i = 0; i + 8 <= a.size() && i + 8 <= b.size(); i += 8) n += std::memcmp(&a[i], &b[i], 8) != 0;
  return n;
}

// Adds the statistics of `values` values of both sides. Float32 and bfloat16 pairs decode in the
// kernel's registers; every other pair is decoded block by block into doubles first.
Status AccumulatePiece(const TensorRef& a, std::span<const std::byte> bytes_a, const TensorRef& b,
                       std::span<const std::byte> bytes_b, uint64_t values, const DiffTolerance& tolerance,
                       DiffStats& stats) {
  const bool same_dtype = a.dtype == b.dtype;
  if (same_dtype && a.dtype == DType::kFloat32) return AccumulateFloat32(bytes_a, bytes_b, tolerance, stats), OkStatus();
  if (same_dtype && a.dtype == DType::kBFloat16) return AccumulateBFloat16(bytes_a, bytes_b, tolerance, stats), OkStatus();
  const DecodeSpec spec_a = DecodeSpecFor(a), spec_b = DecodeSpecFor(b);
  const uint64_t bits_a = ValueBits(a.dtype), bits_b = ValueBits(b.dtype);
  std::vector<double> block_a(kBlockValues), block_b(kBlockValues);
  DiffStats piece;
  for (uint64_t done = 0; done < values; done += kBlockValues) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(kBlockValues, values - done));
    std::span<double> va(block_a.data(), n), vb(block_b.data(), n);
    GM_RETURN_IF_ERROR(DecodeValues(spec_a, bytes_a.subspan(std::min(bytes_a.size(), done * bits_a / 8)), va));
    GM_RETURN_IF_ERROR(DecodeValues(spec_b, bytes_b.subspan(std::min(bytes_b.size(), done * bits_b / 8)), vb));
    AccumulateBlock(va, vb, tolerance, piece);
  }
  if (same_dtype && (a.dtype == DType::kInt64 || a.dtype == DType::kUInt64)) piece.differ = DifferingWords(bytes_a, bytes_b);
  stats.Merge(piece);
  return OkStatus();
}

// The same for byte-identical sides (`bytes` is both): only what AccumulateSame* needs.
Status AccumulateSamePiece(const TensorRef& t, std::span<const std::byte> bytes, uint64_t values, DiffStats& stats) {
  if (t.dtype == DType::kFloat32) return AccumulateSameFloat32(bytes, stats), OkStatus();
  if (t.dtype == DType::kBFloat16) return AccumulateSameBFloat16(bytes, stats), OkStatus();
  const DecodeSpec spec = DecodeSpecFor(t);
  const uint64_t bits = ValueBits(t.dtype);
  std::vector<double> block(kBlockValues);
  for (uint64_t done = 0; done < values; done += kBlockValues) {
    std::span<double> v(block.data(), static_cast<size_t>(std::min<uint64_t>(kBlockValues, values - done)));
    GM_RETURN_IF_ERROR(DecodeValues(spec, bytes.subspan(std::min(bytes.size(), done * bits / 8)), v));
    AccumulateSameBlock(v, stats);
  }
  return OkStatus();
}

bool SameBytes(const TensorRef& a, std::span<const std::byte> bytes_a, const TensorRef& b,
               std::span<const std::byte> bytes_b) {
  return a.dtype == b.dtype && bytes_a.size() == bytes_b.size() &&
         (bytes_a.empty() || std::memcmp(bytes_a.data(), bytes_b.data(), bytes_a.size()) == 0);
}

// Elements [p.begin, p.begin + p.count) of an in-place tensor, as a slice of its mapping.
std::span<const std::byte> SliceOf(const TensorRef& t, const Piece& p) {
  const std::span<const std::byte> all = t.view_bytes();
  const uint64_t offset = std::min<uint64_t>(p.begin * Info(t.dtype).bits / 8, all.size());
  return all.subspan(offset, std::min<uint64_t>(ByteSize(t.dtype, p.count).value_or(0), all.size() - offset));
}

// Byte-identical pieces (memcmp stops at the first difference, so this costs little on changed
// ones) take the cheaper same-values pass.
PairResult CompareInPlace(const Checkpoint& ck_a, const Checkpoint& ck_b, const TensorRef& a, const TensorRef& b,
                          const Piece& p, const DiffTolerance& tolerance) {
  const auto bytes_a = SliceOf(a, p);
  const auto bytes_b = SliceOf(b, p);
  const uint64_t values = p.count * ValuesPerElement(a.dtype);
  const bool same = SameBytes(a, bytes_a, b, bytes_b);
  DiffStats stats;
  Status status = same ? AccumulateSamePiece(a, bytes_a, values, stats)
                       : AccumulatePiece(a, bytes_a, b, bytes_b, values, tolerance, stats);
  ck_a.ReleasePages(bytes_a);
  ck_b.ReleasePages(bytes_b);
  if (!status.ok()) return {status};
  return {stats, same};
}

// A pair where a side is a strided or big-endian view: that side streams through
// ForEachContiguousChunk (bounded buffers) against the matching range of the other, which is
// read in place, or gathered whole when it is such a view too.
PairResult CompareStreamed(const TensorRef& a, const TensorRef& b, const DiffTolerance& tolerance) {
  const bool stream_a = !InPlace(a);
  const TensorRef& streamed = stream_a ? a : b;
  const TensorRef& other = stream_a ? b : a;
  std::vector<std::byte> gathered;
  std::span<const std::byte> other_bytes = other.view_bytes();
  if (!InPlace(other)) {
    Status s = ForEachContiguousChunk(other, [&](std::span<const std::byte> c) { gathered.insert(gathered.end(), c.begin(), c.end()); });
    if (!s.ok()) return {s};
    other_bytes = gathered;
  }
  const uint64_t streamed_bits = ValueBits(streamed.dtype), other_bits = ValueBits(other.dtype);
  uint64_t remaining = streamed.numel() * ValuesPerElement(streamed.dtype), done = 0;
  DiffStats stats;
  Status status;
  bool bytes_equal = true;
  Status walk = ForEachContiguousChunk(streamed, [&](std::span<const std::byte> chunk) {
    const uint64_t values = std::min<uint64_t>(remaining, chunk.size() * 8 / streamed_bits);
    const uint64_t offset = std::min<uint64_t>(done * other_bits / 8, other_bytes.size());
    const auto matching = other_bytes.subspan(offset, std::min<uint64_t>((values * other_bits + 7) / 8, other_bytes.size() - offset));
    const auto chunk_a = stream_a ? chunk : matching;
    const auto chunk_b = stream_a ? matching : chunk;
    DiffStats part;
    if (status.ok()) status = AccumulatePiece(a, chunk_a, b, chunk_b, values, tolerance, part);
    bytes_equal = bytes_equal && SameBytes(a, chunk_a, b, chunk_b);
    stats.Merge(part);
    remaining -= values;
    done += values;
  });
  if (!walk.ok()) return {walk};
  if (!status.ok()) return {status};
  return {stats, bytes_equal};
}

PairResult ComparePiece(const Checkpoint& ck_a, const Checkpoint& ck_b, const TensorPair& pair, const Piece& p,
                        const DiffTolerance& tolerance) {
  const TensorRef& a = *pair.a;
  const TensorRef& b = *pair.b;
  if (ValuesPerElement(a.dtype) != ValuesPerElement(b.dtype)) {
    return {InvalidArgument("{} and {} elements hold different numbers of values", Name(a.dtype), Name(b.dtype))};
  }
  for (const TensorRef* t : {&a, &b}) {
    if (Status s = CheckReadable(*t); !s.ok()) return {s};
  }
  if (InPlace(a) && InPlace(b)) return CompareInPlace(ck_a, ck_b, a, b, p, tolerance);
  return CompareStreamed(a, b, tolerance);  // such pairs are never split: p is the whole tensor
}

// Folds a piece's result into its pair's; the first error wins.
void MergeInto(std::optional<PairResult>& into, PairResult&& piece) {
  if (!into || (into->stats.ok() && !piece.stats.ok())) {
    into = std::move(piece);
  } else if (into->stats.ok()) {
    into->stats->Merge(*piece.stats);
    into->bytes_equal = into->bytes_equal && piece.bytes_equal;
  }
}

}  // namespace

std::vector<PairResult> ComparePairs(const Checkpoint& a, const Checkpoint& b, const std::vector<TensorPair>& pairs,
                                     const DiffOptions& options) {
  const std::vector<Piece> pieces = PlanPieces(pairs, options);
  std::vector<std::optional<PairResult>> partial(pieces.size());
  ParallelFor(pieces.size(), [&](size_t i) {
    partial[i] = ComparePiece(a, b, pairs[pieces[i].pair], pieces[i], options.tolerance);
  }, options.threads);
  // Pieces are in pair order: merge each pair's in sequence.
  std::vector<std::optional<PairResult>> merged(pairs.size());
  for (size_t i = 0; i < pieces.size(); ++i) MergeInto(merged[pieces[i].pair], std::move(*partial[i]));
  std::vector<PairResult> out;
  out.reserve(pairs.size());
  for (auto& m : merged) out.push_back(m ? std::move(*m) : PairResult{});
  return out;
}

}  // namespace gitmodel
