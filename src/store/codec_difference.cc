#include "store/codec_difference.h"

#include <algorithm>
#include <cstring>

namespace gitmodel {
namespace {

// Word-at-a-time loops through memcpy and restrict pointers, compiled -O3 (CMakeLists.txt), so
// that they vectorize.
template <typename Word>
void Difference(std::byte* delta_in_out, const std::byte* raw_in, size_t count) {
  auto* __restrict delta = reinterpret_cast<uint8_t*>(delta_in_out);
  const auto* __restrict raw = reinterpret_cast<const uint8_t*>(raw_in);
  for (size_t i = 0; i < count; ++i) {
    Word base;
    Word value;
    std::memcpy(&base, delta + i * sizeof(Word), sizeof(Word));  // little-endian host (byte_reader.cc)
    std::memcpy(&value, raw + i * sizeof(Word), sizeof(Word));
    const Word zigzag = Zigzag<Word>(static_cast<Word>(value - base));
    std::memcpy(delta + i * sizeof(Word), &zigzag, sizeof(Word));
  }
}

template <typename Word>
void AddDifference(std::byte* out_in_out, const std::byte* delta_in, size_t count) {
  auto* __restrict out = reinterpret_cast<uint8_t*>(out_in_out);
  const auto* __restrict delta = reinterpret_cast<const uint8_t*>(delta_in);
  for (size_t i = 0; i < count; ++i) {
    Word base;
    Word zigzag;
    std::memcpy(&base, out + i * sizeof(Word), sizeof(Word));
    std::memcpy(&zigzag, delta + i * sizeof(Word), sizeof(Word));
    const Word value = static_cast<Word>(base + Unzigzag<Word>(zigzag));
    std::memcpy(out + i * sizeof(Word), &value, sizeof(Word));
  }
}

}  // namespace

bool IsDifferenceElementSize(size_t element_bytes) {
  return element_bytes == 2 || element_bytes == 4 || element_bytes == 8;
}

void DifferenceInto(std::span<std::byte> delta, std::span<const std::byte> raw, size_t element_bytes) {
  const size_t count = std::min(delta.size(), raw.size()) / element_bytes;
  if (element_bytes == 2) Difference<uint16_t>(delta.data(), raw.data(), count);
  if (element_bytes == 4) Difference<uint32_t>(delta.data(), raw.data(), count);
  if (element_bytes == 8) Difference<uint64_t>(delta.data(), raw.data(), count);
}

void AddDifferenceInto(std::span<std::byte> out, std::span<const std::byte> delta, size_t element_bytes) {
  const size_t count = std::min(out.size(), delta.size()) / element_bytes;
  if (element_bytes == 2) AddDifference<uint16_t>(out.data(), delta.data(), count);
  if (element_bytes == 4) AddDifference<uint32_t>(out.data(), delta.data(), count);
  if (element_bytes == 8) AddDifference<uint64_t>(out.data(), delta.data(), count);
}

}  // namespace gitmodel
