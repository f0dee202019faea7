#include "store/codec_planes.h"

#include <cstdint>
#include <cstring>
#include <type_traits>

#include "store/codec_difference.h"

namespace gitmodel {
namespace {

// One template per element size. Elements are built from (and cut into) plane bytes with shifts on
// unsigned integers of the element's width, through restrict pointers, so that the compiler
// vectorizes the loops (byte-wise loops over std::byte did not vectorize: they may alias).
template <size_t kWidth>
using Word = std::conditional_t<kWidth == 2, uint16_t, std::conditional_t<kWidth == 4, uint32_t, uint64_t>>;

template <size_t kWidth>
void Split(const std::byte* elements_in, size_t count, std::byte* planes_out) {
  const auto* __restrict elements = reinterpret_cast<const uint8_t*>(elements_in);
  auto* __restrict planes = reinterpret_cast<uint8_t*>(planes_out);
  for (size_t i = 0; i < count; ++i) {
    Word<kWidth> word;
    std::memcpy(&word, elements + i * kWidth, kWidth);  // little-endian host (byte_reader.cc)
    for (size_t k = 0; k < kWidth; ++k) planes[k * count + i] = static_cast<uint8_t>(word >> (8 * k));
  }
}

// What a join does with the element already in the output.
enum class Combine { kStore, kXor, kAddDifference };

template <size_t kWidth, Combine kCombine>
void Join(const std::byte* planes_in, size_t count, std::byte* elements_out) {
  const auto* __restrict planes = reinterpret_cast<const uint8_t*>(planes_in);
  auto* __restrict elements = reinterpret_cast<uint8_t*>(elements_out);
  for (size_t i = 0; i < count; ++i) {
    Word<kWidth> word = 0;
    for (size_t k = 0; k < kWidth; ++k) word |= static_cast<Word<kWidth>>(planes[k * count + i]) << (8 * k);
    if constexpr (kCombine != Combine::kStore) {
      Word<kWidth> old;
      std::memcpy(&old, elements + i * kWidth, kWidth);
      if constexpr (kCombine == Combine::kXor) {
        word ^= old;
      } else {
        word = static_cast<Word<kWidth>>(old + Unzigzag(word));
      }
    }
    std::memcpy(elements + i * kWidth, &word, kWidth);
  }
}

template <Combine kCombine>
void JoinAny(std::span<const std::byte> planes, size_t element_bytes, std::span<std::byte> elements) {
  const size_t count = planes.size() / element_bytes;
  if (element_bytes == 2) Join<2, kCombine>(planes.data(), count, elements.data());
  if (element_bytes == 4) Join<4, kCombine>(planes.data(), count, elements.data());
  if (element_bytes == 8) Join<8, kCombine>(planes.data(), count, elements.data());
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
  JoinAny<Combine::kStore>(planes, element_bytes, elements);
}

void JoinPlanesXor(std::span<const std::byte> planes, size_t element_bytes, std::span<std::byte> elements) {
  JoinAny<Combine::kXor>(planes, element_bytes, elements);
}

void JoinPlanesAddDifference(std::span<const std::byte> planes, size_t element_bytes, std::span<std::byte> elements) {
  JoinAny<Combine::kAddDifference>(planes, element_bytes, elements);
}

}  // namespace gitmodel
