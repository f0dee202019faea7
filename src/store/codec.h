// Chunk codecs of the model store (docs/formats.md, "Store objects").
//
// A chunk is encoded with the smallest of: raw, zstd, or float byte planes (the bytes of each
// element regrouped so that byte k of every element is contiguous, each plane compressed with
// zstd on its own: sign/exponent planes compress far better than mantissa planes, as ZipNN
// observed). A delta object applies the same codecs to `raw XOR base`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "gitmodel/status.h"

namespace gitmodel {

enum class Codec : uint8_t {
  kRaw = 0,          // payload = the bytes
  kZstd = 1,         // payload = one zstd frame
  kBytePlanes = 2,   // payload = per plane: u64 LE frame size, zstd frame (element_bytes planes)
};

struct EncodedChunk {
  Codec codec = Codec::kRaw;
  uint8_t element_bytes = 0;  // kBytePlanes: 2, 4 or 8; otherwise 0
  std::string payload;
};

struct EncodeOptions {
  uint8_t element_bytes = 0;  // 2, 4 or 8 to try byte planes (float tensors); 0: zstd and raw only
  int zstd_level = 3;
};

// The smallest encoding of `raw` (raw itself when nothing compresses). Deterministic.
EncodedChunk EncodeChunk(std::span<const std::byte> raw, const EncodeOptions& options);

// Decodes `payload` into `out`, whose size is the raw size. kCorrupt when the payload does not
// decode to exactly out.size() bytes (never writes past `out`, never reads past `payload`).
Status DecodeChunk(Codec codec, uint8_t element_bytes, std::span<const std::byte> payload,
                   std::span<std::byte> out);

// dst[i] ^= src[i] for every i; the sizes must match.
void XorInto(std::span<std::byte> dst, std::span<const std::byte> src);

}  // namespace gitmodel
