// Codec entry points for the object store's delta objects (object_store.cc, object_file.cc):
// encoding with an upper bound, and decoding straight into a XOR. Internal to src/store.
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

// out ^= the decoded payload, with DecodeChunk's checks: on error `out` holds unspecified bytes.
// Byte planes are interleaved and XORed in one pass, so resolving a delta base costs no extra
// buffer of the chunk's size.
Status DecodeChunkXor(Codec codec, uint8_t element_bytes, std::span<const std::byte> payload,
                      std::span<std::byte> out);

}  // namespace gitmodel
