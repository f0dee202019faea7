// Byte planes (codec.h, Codec::kBytePlanes): the bytes of fixed-size elements regrouped so that
// plane k holds byte k of every element, in element order. Planes are stored one after another,
// each elements.size() / element_bytes bytes long.
#pragma once

#include <cstddef>
#include <span>

namespace gitmodel {

// True for the element sizes byte planes support: 2, 4 and 8.
bool IsPlaneElementSize(size_t element_bytes);

// Regroups `elements` (a multiple of element_bytes long) into `planes` (the same size).
void SplitPlanes(std::span<const std::byte> elements, size_t element_bytes, std::span<std::byte> planes);

// The inverse of SplitPlanes.
void JoinPlanes(std::span<const std::byte> planes, size_t element_bytes, std::span<std::byte> elements);

// elements ^= JoinPlanes(planes): resolves a delta base in the same pass that interleaves it.
void JoinPlanesXor(std::span<const std::byte> planes, size_t element_bytes, std::span<std::byte> elements);

// elements += unzigzag(JoinPlanes(planes)) (codec_difference.h), in the same pass: resolves a
// difference delta whose planes have the delta's element size.
void JoinPlanesAddDifference(std::span<const std::byte> planes, size_t element_bytes, std::span<std::byte> elements);

}  // namespace gitmodel
