// Codec entry points for the object store's delta objects (object_store.cc, object_file.cc):
// encoding with an upper bound, and decoding straight into a delta's base. Internal to src/store.
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

// Applies a delta payload to `out`, which holds its base: out ^= decoded (DeltaOp::kXor) or
// out += unzigzag(decoded) per delta_element_bytes-wide integer (kDifference), with DecodeChunk's
// checks; on error `out` holds unspecified bytes. Byte planes are interleaved and combined in one
// pass, so resolving a delta costs no extra buffer of the chunk's size.
Status DecodeChunkDelta(Codec codec, uint8_t element_bytes, std::span<const std::byte> payload, DeltaOp op,
                        uint8_t delta_element_bytes, std::span<std::byte> out);

}  // namespace gitmodel
