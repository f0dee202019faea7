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

// The logical bytes of elements [begin, begin + count) of `t`: a slice of the mapping when the
// tensor is in place, else the whole tensor gathered into `scratch` (pieces of such tensors are
// always whole).
Result<std::span<const std::byte>> PieceBytes(const TensorRef& t, const Piece& p, std::vector<std::byte>& scratch) {
  GM_RETURN_IF_ERROR(CheckReadable(t));
  const auto size = ByteSize(t.dtype, p.count);
  if (!size) return InvalidArgument("tensor too large");
  if (InPlace(t)) {
    const uint64_t offset = p.begin * Info(t.dtype).bits / 8;
    return t.view_bytes().subspan(offset, std::min<uint64_t>(*size, t.view_bytes().size() - offset));
  }
  scratch.clear();
  GM_RETURN_IF_ERROR(ForEachContiguousChunk(t, [&](std::span<const std::byte> chunk) {
    scratch.insert(scratch.end(), chunk.begin(), chunk.end());
  }));
  return std::span<const std::byte>(scratch);
}

// Float32 and bfloat16 pairs decode in the kernel's registers; every other pair is decoded block
// by block into doubles first.
Status AccumulatePiece(const TensorRef& a, std::span<const std::byte> bytes_a, const TensorRef& b,
                       std::span<const std::byte> bytes_b, uint64_t values, const DiffTolerance& tolerance,
                       DiffStats& stats) {
  if (a.dtype == b.dtype && a.dtype == DType::kFloat32) return AccumulateFloat32(bytes_a, bytes_b, tolerance, stats), OkStatus();
  if (a.dtype == b.dtype && a.dtype == DType::kBFloat16) return AccumulateBFloat16(bytes_a, bytes_b, tolerance, stats), OkStatus();
  const DecodeSpec spec_a = DecodeSpecFor(a), spec_b = DecodeSpecFor(b);
  const uint64_t bits_a = ValueBits(a.dtype), bits_b = ValueBits(b.dtype);
  std::vector<double> block_a(kBlockValues), block_b(kBlockValues);
  for (uint64_t done = 0; done < values; done += kBlockValues) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(kBlockValues, values - done));
    std::span<double> va(block_a.data(), n), vb(block_b.data(), n);
    GM_RETURN_IF_ERROR(DecodeValues(spec_a, bytes_a.subspan(std::min(bytes_a.size(), done * bits_a / 8)), va));
    GM_RETURN_IF_ERROR(DecodeValues(spec_b, bytes_b.subspan(std::min(bytes_b.size(), done * bits_b / 8)), vb));
    AccumulateBlock(va, vb, tolerance, stats);
  }
  return OkStatus();
}

PairResult ComparePiece(const Checkpoint& ck_a, const Checkpoint& ck_b, const TensorPair& pair, const Piece& p,
                        const DiffTolerance& tolerance) {
  const TensorRef& a = *pair.a;
  const TensorRef& b = *pair.b;
  if (ValuesPerElement(a.dtype) != ValuesPerElement(b.dtype)) {
    return {InvalidArgument("{} and {} elements hold different numbers of values", Name(a.dtype), Name(b.dtype))};
  }
  std::vector<std::byte> scratch_a, scratch_b;
  auto bytes_a = PieceBytes(a, p, scratch_a);
  if (!bytes_a.ok()) return {bytes_a.status()};
  auto bytes_b = PieceBytes(b, p, scratch_b);
  if (!bytes_b.ok()) return {bytes_b.status()};
  DiffStats stats;
  Status status = AccumulatePiece(a, *bytes_a, b, *bytes_b, p.count * ValuesPerElement(a.dtype), tolerance, stats);
  PairResult result;
  // Values that differ mean bytes that differ, except NaN (never equal to itself); equal values
  // may still differ in bytes (-0 and +0, NaN payloads, padding bits). Only those cases need the
  // bytes compared.
  const bool maybe_equal = stats.differ == 0 || std::isnan(stats.sum_abs);
  result.bytes_equal = status.ok() && maybe_equal && a.dtype == b.dtype &&
                       bytes_a->size() == bytes_b->size() &&
                       std::memcmp(bytes_a->data(), bytes_b->data(), bytes_a->size()) == 0;
  ck_a.ReleasePages(*bytes_a);
  ck_b.ReleasePages(*bytes_b);
  if (!status.ok()) return {status};
  result.stats = stats;
  return result;
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
