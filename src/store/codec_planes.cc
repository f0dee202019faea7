#include "store/codec_planes.h"

namespace gitmodel {
namespace {

// One template per element size: with the width a constant the compiler unrolls the inner loop and
// vectorizes the gathers, which makes the regrouping a small cost next to zstd.
template <size_t kWidth>
void Split(const std::byte* elements, size_t count, std::byte* planes) {
  for (size_t i = 0; i < count; ++i) {
    for (size_t k = 0; k < kWidth; ++k) planes[k * count + i] = elements[i * kWidth + k];
  }
}

template <size_t kWidth, bool kXor>
void Join(const std::byte* planes, size_t count, std::byte* elements) {
  for (size_t i = 0; i < count; ++i) {
    for (size_t k = 0; k < kWidth; ++k) {
      if constexpr (kXor) {
        elements[i * kWidth + k] ^= planes[k * count + i];
      } else {
        elements[i * kWidth + k] = planes[k * count + i];
      }
    }
  }
}

template <bool kXor>
void JoinAny(std::span<const std::byte> planes, size_t element_bytes, std::span<std::byte> elements) {
  const size_t count = planes.size() / element_bytes;
  if (element_bytes == 2) Join<2, kXor>(planes.data(), count, elements.data());
  if (element_bytes == 4) Join<4, kXor>(planes.data(), count, elements.data());
  if (element_bytes == 8) Join<8, kXor>(planes.data(), count, elements.data());
}

}  // namespace

bool IsPlaneElementSize(size_t element_bytes) {
  return element_bytes == 2 || element_bytes == 4 || element_bytes == 8;
}

void SplitPlanes(std::span<const std::byte> elements, size_t element_bytes, std::span<std::byte> planes) {
  const size_t count = elements.size() / element_bytes;
  if (element_bytes == 2) Split<2>(elements.data(), count, planes.data());
  if (element_bytes == 4) Split<4>(elements.data(), count, planes.data());
  if (element_bytes == 8) Split<8>(elements.data(), count, planes.data());
}

void JoinPlanes(std::span<const std::byte> planes, size_t element_bytes, std::span<std::byte> elements) {
  JoinAny<false>(planes, element_bytes, elements);
}

void JoinPlanesXor(std::span<const std::byte> planes, size_t element_bytes, std::span<std::byte> elements) {
  JoinAny<true>(planes, element_bytes, elements);
}

}  // namespace gitmodel
