// EncodeChunk with an upper bound, for callers that keep an encoding only when it beats another
// (object_store.cc: a delta against the object stored whole). Internal to src/store.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "store/codec.h"

namespace gitmodel {

// What EncodeChunk(raw, options) returns when its payload is smaller than `limit` bytes, else
// nullopt. Compression stops as soon as the output reaches the limit, so a losing candidate costs
// little: byte planes are compressed low byte first, and a mantissa plane alone often decides.
std::optional<EncodedChunk> EncodeChunkBelow(std::span<const std::byte> raw, const EncodeOptions& options,
                                             uint64_t limit);

}  // namespace gitmodel
