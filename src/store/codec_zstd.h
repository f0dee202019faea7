// zstd frames for the chunk codecs (codec.h), made and read on per-thread contexts: chunks are
// encoded and decoded on several threads at once, and a context is reused for every frame its
// thread makes (creating one costs more than compressing a small chunk).
#pragma once

#include <cstddef>
#include <optional>
#include <span>

namespace gitmodel {

// The most bytes a frame of `raw_size` input bytes can take (ZSTD_compressBound).
size_t ZstdFrameBound(size_t raw_size);

// What a frame holds, for tuning. A byte plane (codec_planes.h) has no long matches but skewed
// byte frequencies: at levels <= 1 its literals are always entropy-coded (zstd's negative levels
// would store them as they are) and, at level 1, the match finder skips ahead 8x faster (zstd's
// acceleration). Measured on bf16/f32 weights and their deltas: smaller frames and 1.5-2x faster
// than plain level 1 (docs/formats.md, "Store objects"). Frames stay standard zstd frames.
enum class FrameHint { kGeneral, kBytePlane };

// Compresses `raw` into one frame (content size recorded, no checksum) at the start of `out`, whose
// size must be at least ZstdFrameBound(raw.size()). The frame's size, or nullopt if zstd failed.
// Deterministic for a given zstd version, level and hint.
std::optional<size_t> ZstdCompressFrame(std::span<const std::byte> raw, int level, FrameHint hint,
                                        std::span<std::byte> out);

// True when `frame` is exactly one zstd frame that records a content size of out.size() and
// decompresses to exactly that many bytes into `out`. Never reads or writes outside the spans.
bool ZstdDecompressFrame(std::span<const std::byte> frame, std::span<std::byte> out);

}  // namespace gitmodel
