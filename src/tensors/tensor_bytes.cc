#include "tensors/tensor_bytes.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <vector>

#include "tensors/tensor_view.h"

namespace gitmodel {
namespace {

using Sink = std::function<void(std::span<const std::byte>)>;

// Bytes that byte-swapping reverses: the element, or each half of a complex number.
size_t SwapUnit(DType dtype) {
  const size_t bytes = Info(dtype).bits / 8;
  return Info(dtype).kind == DTypeKind::kComplex ? bytes / 2 : bytes;
}

// Bytes of the smallest group of elements that starts and ends on a byte boundary.
size_t GroupBytes(DType dtype) { return std::lcm<size_t>(Info(dtype).bits, 8) / 8; }

void EmitSlices(std::span<const std::byte> bytes, size_t group, const Sink& sink, size_t chunk_bytes) {
  const size_t step = std::max(group, chunk_bytes / group * group);
  for (size_t pos = 0; pos < bytes.size(); pos += step) {
    sink(bytes.subspan(pos, std::min(step, bytes.size() - pos)));
  }
}

// Packed sub-byte values cannot be gathered element by element without bit shifting; they only
// come from safetensors and torch's flat quint4x2/quint2x4 packing, which are contiguous.
Status CheckPackedLayout(const TensorRef& t) {
  const uint64_t bits = Info(t.dtype).bits;
  if (!t.is_contiguous() || static_cast<uint64_t>(t.storage_offset) % 8 * bits % 8 != 0) {
    return Unsupported("{} tensor in storage {} is not contiguous from a byte boundary",
                       Name(t.dtype), t.storage_key);
  }
  return OkStatus();
}

// The view with size-1 dimensions dropped and dimensions merged where one steps exactly over the
// next, so contiguous runs are as long as possible. Never empty: a scalar becomes [1] stride 1.
struct Layout {
  std::vector<int64_t> shape;
  std::vector<int64_t> strides;
};

Layout Coalesce(const TensorRef& t) {
  Layout out;
  for (size_t i = 0; i < t.shape.size(); ++i) {
    if (t.shape[i] == 1) continue;
    if (!out.shape.empty() && out.strides.back() == t.strides[i] * t.shape[i]) {
      out.shape.back() *= t.shape[i];
      out.strides.back() = t.strides[i];
    } else {
      out.shape.push_back(t.shape[i]);
      out.strides.push_back(t.strides[i]);
    }
  }
  if (out.shape.empty()) out = {{1}, {1}};
  return out;
}

template <size_t N>
void CopyStrided(std::byte* dst, const std::byte* src, size_t stride_bytes, size_t n) {
  for (size_t i = 0; i < n; ++i) std::memcpy(dst + i * N, src + i * stride_bytes, N);
}

// Copies n elements of `elem` bytes, `stride` elements apart, to consecutive places in dst.
void CopyRun(std::byte* dst, const std::byte* src, int64_t stride, size_t elem, size_t n) {
  if (stride == 1) {
    std::memcpy(dst, src, n * elem);
    return;
  }
  const size_t step = static_cast<size_t>(stride) * elem;
  switch (elem) {
    case 1: return CopyStrided<1>(dst, src, step, n);
    case 2: return CopyStrided<2>(dst, src, step, n);
    case 4: return CopyStrided<4>(dst, src, step, n);
    case 8: return CopyStrided<8>(dst, src, step, n);
    default: return CopyStrided<16>(dst, src, step, n);
  }
}

template <typename U>
void SwapEach(std::byte* p, size_t bytes, U (*bswap)(U)) {
  for (size_t i = 0; i + sizeof(U) <= bytes; i += sizeof(U)) {
    U v;
    std::memcpy(&v, p + i, sizeof v);
    v = bswap(v);
    std::memcpy(p + i, &v, sizeof v);
  }
}

uint16_t Bswap16(uint16_t v) { return __builtin_bswap16(v); }
uint32_t Bswap32(uint32_t v) { return __builtin_bswap32(v); }
uint64_t Bswap64(uint64_t v) { return __builtin_bswap64(v); }

// Reverses every `unit`-byte group of p[0, bytes).
void SwapUnits(std::byte* p, size_t bytes, size_t unit) {
  switch (unit) {
    case 2: return SwapEach(p, bytes, &Bswap16);
    case 4: return SwapEach(p, bytes, &Bswap32);
    case 8: return SwapEach(p, bytes, &Bswap64);
    default: return;
  }
}

// Copies a (bounds-checked, non-empty) strided view into a buffer in row-major order, passing
// the buffer to the sink each time it fills.
class Gatherer {
 public:
  Gatherer(const TensorRef& t, const Sink& sink, size_t chunk_bytes)
      : layout_(Coalesce(t)),
        base_(t.storage.data()),
        first_(t.storage_offset),
        elem_(Info(t.dtype).bits / 8),
        swap_unit_(t.big_endian ? SwapUnit(t.dtype) : 1),
        sink_(sink) {
    const uint64_t cap = std::max<size_t>(1, chunk_bytes / elem_);
    buffer_.resize(std::min<uint64_t>(cap, t.numel()) * elem_);
  }

  void Run() {
    std::vector<int64_t> index(layout_.shape.size() - 1, 0);
    do {
      CopyInnerRun();
    } while (Advance(index));
    Flush();
  }

 private:
  // Copies the innermost dimension's elements starting at element first_.
  void CopyInnerRun() {
    const auto n = static_cast<size_t>(layout_.shape.back());
    const int64_t stride = layout_.strides.back();
    for (size_t done = 0; done < n;) {
      const size_t take = std::min(n - done, (buffer_.size() - fill_) / elem_);
      const std::byte* src = base_ + (static_cast<size_t>(first_) + done * stride) * elem_;
      CopyRun(buffer_.data() + fill_, src, stride, elem_, take);
      fill_ += take * elem_;
      done += take;
      if (fill_ == buffer_.size()) Flush();
    }
  }

  // Steps the outer dimensions like an odometer; false after the last position.
  bool Advance(std::vector<int64_t>& index) {
    for (size_t d = index.size(); d-- > 0;) {
      first_ += layout_.strides[d];
      if (++index[d] < layout_.shape[d]) return true;
      first_ -= layout_.shape[d] * layout_.strides[d];
      index[d] = 0;
    }
    return false;
  }

  void Flush() {
    if (fill_ == 0) return;
    SwapUnits(buffer_.data(), fill_, swap_unit_);
    sink_(std::span<const std::byte>(buffer_.data(), fill_));
    fill_ = 0;
  }

  Layout layout_;
  const std::byte* base_;
  int64_t first_;
  size_t elem_;
  size_t swap_unit_;
  const Sink& sink_;
  std::vector<std::byte> buffer_;
  size_t fill_ = 0;
};

}  // namespace

Status ForEachContiguousChunk(const TensorRef& t, const Sink& sink, size_t chunk_bytes) {
  if (!t.has_storage) return InvalidArgument("meta tensor has no data");
  GM_RETURN_IF_ERROR(CheckViewBounds(t));
  if (t.numel() == 0) return OkStatus();
  // Stride-0 views may repeat a few stored bytes as terabytes of logical data: a few bytes of
  // file would then keep --hashes/--stats busy for hours. Honest expanded views stay far below.
  const uint64_t stored = t.view_bytes().size();
  if (t.nbytes() > stored && t.nbytes() - stored > kMaxExpandedBytes)
    return LimitExceeded("tensor repeats {} stored bytes as {} logical bytes (stride-0 view); not read", stored,
                         t.nbytes());
  const uint32_t bits = Info(t.dtype).bits;
  if (bits % 8 != 0) {
    GM_RETURN_IF_ERROR(CheckPackedLayout(t));
    EmitSlices(t.view_bytes(), GroupBytes(t.dtype), sink, chunk_bytes);
    return OkStatus();
  }
  const bool swap = t.big_endian && SwapUnit(t.dtype) > 1;
  if (t.is_contiguous() && !swap) {
    EmitSlices(t.view_bytes(), bits / 8, sink, chunk_bytes);
    return OkStatus();
  }
  Gatherer(t, sink, chunk_bytes).Run();
  return OkStatus();
}

Result<Digest> TensorSha256(const TensorRef& t) {
  Sha256 hash;
  GM_RETURN_IF_ERROR(ForEachContiguousChunk(t, [&](std::span<const std::byte> bytes) {
    hash.Update(bytes);
  }));
  return hash.Finish();
}

}  // namespace gitmodel
