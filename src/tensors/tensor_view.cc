#include "tensors/tensor_view.h"

#include <limits>

namespace gitmodel {
namespace {

// [begin, end) in elements from the start of the storage: what a view with non-negative sizes
// and strides can address. nullopt on overflow; begin == end for an empty view.
struct ElementRange {
  uint64_t begin = 0;
  uint64_t end = 0;
};

std::optional<uint64_t> CheckedMulAdd(uint64_t acc, uint64_t a, uint64_t b) {
  uint64_t product = 0, sum = 0;
  if (__builtin_mul_overflow(a, b, &product) || __builtin_add_overflow(acc, product, &sum)) {
    return std::nullopt;
  }
  return sum;
}

// Precondition: shape and strides have equal length, no negative values, numel > 0.
std::optional<ElementRange> AddressedRange(const TensorRef& t) {
  uint64_t last = static_cast<uint64_t>(t.storage_offset);
  for (size_t i = 0; i < t.shape.size(); ++i) {
    auto next = CheckedMulAdd(last, static_cast<uint64_t>(t.shape[i] - 1),
                              static_cast<uint64_t>(t.strides[i]));
    if (!next) return std::nullopt;
    last = *next;
  }
  if (last == std::numeric_limits<uint64_t>::max()) return std::nullopt;
  return ElementRange{static_cast<uint64_t>(t.storage_offset), last + 1};
}

// The structural checks of CheckViewBounds, which AddressedRange relies on.
Status CheckShape(const TensorRef& t) {
  if (t.strides.size() != t.shape.size()) {
    return Corrupt("tensor has {} strides for {} dimensions", t.strides.size(), t.shape.size());
  }
  for (size_t i = 0; i < t.shape.size(); ++i) {
    if (t.shape[i] < 0) return Corrupt("tensor has negative size {} in dimension {}", t.shape[i], i);
    if (t.strides[i] < 0) {
      return Corrupt("tensor has negative stride {} in dimension {}", t.strides[i], i);
    }
  }
  if (t.storage_offset < 0) return Corrupt("tensor has negative storage offset {}", t.storage_offset);
  if (!CheckedNumel(t.shape)) return Corrupt("tensor element count overflows");
  return OkStatus();
}

}  // namespace

std::optional<uint64_t> CheckedNumel(std::span<const int64_t> shape) {
  uint64_t n = 1;
  bool overflow = false, empty = false;
  for (int64_t d : shape) {
    if (d < 0) return std::nullopt;
    empty |= d == 0;
    overflow |= __builtin_mul_overflow(n, static_cast<uint64_t>(d), &n);
  }
  if (empty) return 0;  // a zero dimension wins over an overflow elsewhere
  if (overflow) return std::nullopt;
  return n;
}

Status CheckViewBounds(const TensorRef& t) {
  if (!t.has_storage) return OkStatus();
  GM_RETURN_IF_ERROR(CheckShape(t));
  if (t.numel() == 0) return OkStatus();
  auto range = AddressedRange(t);
  auto needed = range ? ByteSize(t.dtype, range->end) : std::nullopt;
  if (!needed) return Corrupt("tensor view of storage {} overflows 64-bit offsets", t.storage_key);
  if (*needed > t.storage.size()) {
    return Corrupt("tensor needs {} bytes of storage {}, which has {}", *needed, t.storage_key,
                   t.storage.size());
  }
  return OkStatus();
}

uint64_t TensorRef::numel() const {
  return CheckedNumel(shape).value_or(std::numeric_limits<uint64_t>::max());
}

uint64_t TensorRef::nbytes() const {
  return ByteSize(dtype, numel()).value_or(std::numeric_limits<uint64_t>::max());
}

bool TensorRef::is_contiguous() const {
  const auto n = CheckedNumel(shape);
  if (!n || strides.size() != shape.size()) return false;
  if (*n == 0) return true;
  uint64_t expected = 1;  // cannot overflow: the product of all sizes fits
  for (size_t i = shape.size(); i-- > 0;) {
    if (shape[i] == 1) continue;
    if (strides[i] < 0 || static_cast<uint64_t>(strides[i]) != expected) return false;
    expected *= static_cast<uint64_t>(shape[i]);
  }
  return true;
}

std::span<const std::byte> TensorRef::view_bytes() const {
  if (!has_storage || !CheckShape(*this).ok() || numel() == 0) return {};
  auto range = AddressedRange(*this);
  if (!range) return {};
  // Sub-byte types: the first byte holding element `begin`, through the last holding `end - 1`.
  const uint64_t bits = Info(dtype).bits;
  const auto end = ByteSize(dtype, range->end);
  const uint64_t begin = range->begin / 8 * bits + range->begin % 8 * bits / 8;
  if (!end || *end > storage.size()) return {};
  return storage.subspan(begin, *end - begin);
}

}  // namespace gitmodel
