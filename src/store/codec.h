// Chunk codecs of the model store (docs/formats.md, "Store objects").
//
// A chunk is encoded with the smallest of: raw, zstd, or float byte planes (the bytes of each
// element regrouped so that byte k of every element is contiguous, each plane compressed with
// zstd on its own: sign/exponent planes compress far better than mantissa planes, as ZipNN
// observed). A delta object applies the same codecs to a delta of the raw bytes against a base's
// (DeltaOp).
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

// How a delta object's decoded payload combines with its base's raw bytes.
enum class DeltaOp : uint8_t {
  kXor = 0,         // payload = raw XOR base
  // payload = zigzag(raw - base) per little-endian integer of the delta element size, modulo
  // 2^bits: zigzag(x) = (x << 1) XOR (x >> (bits - 1)), arithmetic shift, so that a small move
  // either way is a small number (its high bytes zero).
  kDifference = 1,
};

struct EncodedChunk {
  Codec codec = Codec::kRaw;
  uint8_t element_bytes = 0;  // kBytePlanes: 2, 4 or 8; otherwise 0
  std::string payload;
};

struct EncodeOptions {
  uint8_t element_bytes = 0;  // 2, 4 or 8: byte planes (float tensors); 0: whole-chunk zstd
  // 1 measured best for weights: smaller byte planes than 3, at 2-3x the speed (docs/formats.md).
  int zstd_level = 1;
};

// The encoding of `raw`: byte planes when options.element_bytes is 2, 4 or 8 and divides the size,
// else one zstd frame; raw itself when that is not smaller. Float data is not also tried as a whole
// zstd frame: planes won on every float tensor measured, and a second pass would double the time
// `git add` spends. Deterministic for a given libzstd. Safe to call from several threads.
EncodedChunk EncodeChunk(std::span<const std::byte> raw, const EncodeOptions& options);

// Decodes `payload` into `out`, whose size is the raw size. kCorrupt (one line) when the payload
// does not decode to exactly out.size() bytes: a frame size outside the payload, bytes after the
// last frame, a frame that is not exactly one zstd frame recording the expected size. Never writes
// past `out`, never reads past `payload`. Safe to call from several threads.
Status DecodeChunk(Codec codec, uint8_t element_bytes, std::span<const std::byte> payload,
                   std::span<std::byte> out);

// dst[i] ^= src[i] for every i; the sizes must match (only the common prefix is touched otherwise).
void XorInto(std::span<std::byte> dst, std::span<const std::byte> src);

}  // namespace gitmodel
