#include "store/codec.h"

#include <algorithm>
#include <cstring>

#include "store/codec_difference.h"
#include "store/codec_planes.h"
#include "store/codec_scratch.h"
#include "store/codec_store.h"
#include "store/codec_zstd.h"

namespace gitmodel {
namespace {

constexpr size_t kFrameSizeBytes = 8;  // the u64 LE size before each plane's frame

void StoreU64(std::byte* at, uint64_t value) { std::memcpy(at, &value, sizeof value); }  // LE host

uint64_t LoadU64(const std::byte* at) {
  uint64_t value = 0;
  std::memcpy(&value, at, sizeof value);
  return value;
}

std::span<std::byte> AsWritable(char* data, size_t size) { return {reinterpret_cast<std::byte*>(data), size}; }

// One zstd frame of `raw` if it is smaller than `cap` bytes. The string is sized without zeroing
// (a 64 MiB memset and its page faults would cost as much as compressing the mantissa planes).
std::optional<std::string> EncodeZstd(std::span<const std::byte> raw, int level, size_t cap) {
  std::string payload;
  payload.resize_and_overwrite(ZstdFrameBound(raw.size()), [&](char* data, size_t size) {
    const size_t room = std::min(size, cap - 1);  // cap >= 1: callers pass cap > 0
    return ZstdCompressFrame(raw, level, FrameHint::kGeneral, AsWritable(data, room)).value_or(0);
  });
  if (payload.empty()) return std::nullopt;
  return payload;
}

// Byte planes of `raw` if they take fewer than `cap` bytes; gives up as soon as they cannot.
std::optional<std::string> EncodePlanes(std::span<const std::byte> raw, size_t width, int level, size_t cap) {
  const size_t plane_size = raw.size() / width;
  const size_t frame_bound = ZstdFrameBound(plane_size);
  ScratchBuffer planes(raw.size());
  SplitPlanes(raw, width, planes.bytes());
  std::string payload;
  payload.resize_and_overwrite(width * (kFrameSizeBytes + frame_bound), [&](char* data, size_t size) {
    std::span<std::byte> out = AsWritable(data, size);
    size_t at = 0;
    for (size_t k = 0; k < width; ++k) {
      if (at + kFrameSizeBytes + 1 >= cap) return size_t{0};
      const size_t room = std::min(frame_bound, cap - 1 - at - kFrameSizeBytes);  // keeps the total < cap
      std::span<const std::byte> plane = planes.bytes().subspan(k * plane_size, plane_size);
      std::optional<size_t> frame =
          ZstdCompressFrame(plane, level, FrameHint::kBytePlane, out.subspan(at + kFrameSizeBytes, room));
      if (!frame) return size_t{0};
      StoreU64(out.data() + at, *frame);
      at += kFrameSizeBytes + *frame;
    }
    return at;
  });
  if (payload.empty()) return std::nullopt;
  return payload;
}

// What a decoder does with the decoded bytes: store them in `out`, or combine them with the base
// already there (codec_store.h).
struct Apply {
  enum Kind { kStore, kXor, kAddDifference } kind = kStore;
  size_t element_bytes = 0;  // kAddDifference: 2, 4 or 8

  static Apply For(DeltaOp op, size_t element_bytes) {
    return op == DeltaOp::kXor ? Apply{kXor, 0} : Apply{kAddDifference, element_bytes};
  }
};

// Combines decoded delta bytes into `out`, which holds the base.
void Combine(Apply apply, std::span<std::byte> out, std::span<const std::byte> decoded) {
  if (apply.kind == Apply::kXor) XorInto(out, decoded);
  if (apply.kind == Apply::kAddDifference) AddDifferenceInto(out, decoded, apply.element_bytes);
}

Status DecodeRaw(std::span<const std::byte> payload, std::span<std::byte> out, Apply apply) {
  if (payload.size() != out.size()) {
    return Corrupt("raw payload of {} bytes, expected {}", payload.size(), out.size());
  }
  if (apply.kind != Apply::kStore) {
    Combine(apply, out, payload);
  } else if (!out.empty()) {
    std::memcpy(out.data(), payload.data(), out.size());
  }
  return OkStatus();
}

Status DecodeZstd(std::span<const std::byte> payload, std::span<std::byte> out, Apply apply) {
  std::optional<ScratchBuffer> scratch;
  if (apply.kind != Apply::kStore) scratch.emplace(out.size());
  if (!ZstdDecompressFrame(payload, scratch ? scratch->bytes() : out)) {
    return Corrupt("damaged zstd frame (expected {} bytes)", out.size());
  }
  if (scratch) Combine(apply, out, scratch->bytes());
  return OkStatus();
}

// Decompresses plane after plane into a scratch buffer, then interleaves them into `out`.
Status DecodePlanes(size_t width, std::span<const std::byte> payload, std::span<std::byte> out, Apply apply) {
  if (!IsPlaneElementSize(width) || out.size() % width != 0) {
    return Corrupt("byte planes of {}-byte elements cannot make {} bytes", width, out.size());
  }
  if (apply.kind == Apply::kAddDifference && apply.element_bytes != width) {
    return Corrupt("a difference delta of {}-byte elements in byte planes of {}-byte elements", apply.element_bytes,
                   width);
  }
  const size_t plane_size = out.size() / width;
  ScratchBuffer planes(out.size());
  size_t at = 0;
  for (size_t k = 0; k < width; ++k) {
    if (payload.size() - at < kFrameSizeBytes) return Corrupt("byte plane {} of {} is missing", k, width);
    const uint64_t frame_size = LoadU64(payload.data() + at);
    at += kFrameSizeBytes;
    if (frame_size > payload.size() - at) {
      return Corrupt("byte plane {} of {}: its {}-byte frame overruns the payload", k, width, frame_size);
    }
    if (!ZstdDecompressFrame(payload.subspan(at, frame_size), planes.bytes().subspan(k * plane_size, plane_size))) {
      return Corrupt("byte plane {} of {}: damaged zstd frame (expected {} bytes)", k, width, plane_size);
    }
    at += frame_size;
  }
  if (at != payload.size()) return Corrupt("{} unexpected bytes after the byte planes", payload.size() - at);
  if (apply.kind == Apply::kXor) JoinPlanesXor(planes.bytes(), width, out);
  if (apply.kind == Apply::kAddDifference) JoinPlanesAddDifference(planes.bytes(), width, out);
  if (apply.kind == Apply::kStore) JoinPlanes(planes.bytes(), width, out);
  return OkStatus();
}

Status Decode(Codec codec, uint8_t element_bytes, std::span<const std::byte> payload, std::span<std::byte> out,
              Apply apply) {
  switch (codec) {
    case Codec::kRaw:
      return DecodeRaw(payload, out, apply);
    case Codec::kZstd:
      return DecodeZstd(payload, out, apply);
    case Codec::kBytePlanes:
      return DecodePlanes(element_bytes, payload, out, apply);
  }
  return Corrupt("unknown codec {}", static_cast<unsigned>(codec));
}

}  // namespace

std::optional<EncodedChunk> EncodeChunkBelow(std::span<const std::byte> raw, const EncodeOptions& options,
                                             uint64_t limit) {
  const size_t width = options.element_bytes;
  const size_t cap = static_cast<size_t>(std::min<uint64_t>(raw.size(), limit));  // must beat raw too
  // Float data gets byte planes only: whole-chunk zstd lost to planes on every float tensor measured
  // and would double the encoding time of `git add` (docs/formats.md, "Store objects").
  const bool planes = IsPlaneElementSize(width) && raw.size() % width == 0;
  std::optional<std::string> payload;
  if (cap > 0) payload = planes ? EncodePlanes(raw, width, options.zstd_level, cap) : EncodeZstd(raw, options.zstd_level, cap);
  if (payload) {
    return EncodedChunk{planes ? Codec::kBytePlanes : Codec::kZstd, static_cast<uint8_t>(planes ? width : 0),
                        std::move(*payload)};
  }
  if (raw.size() >= limit) return std::nullopt;
  return EncodedChunk{Codec::kRaw, 0, std::string(reinterpret_cast<const char*>(raw.data()), raw.size())};
}

EncodedChunk EncodeChunk(std::span<const std::byte> raw, const EncodeOptions& options) {
  return *EncodeChunkBelow(raw, options, uint64_t{raw.size()} + 1);
}

Status DecodeChunk(Codec codec, uint8_t element_bytes, std::span<const std::byte> payload, std::span<std::byte> out) {
  return Decode(codec, element_bytes, payload, out, Apply{});
}

Status DecodeChunkDelta(Codec codec, uint8_t element_bytes, std::span<const std::byte> payload, DeltaOp op,
                        uint8_t delta_element_bytes, std::span<std::byte> out) {
  if (op == DeltaOp::kDifference && (!IsDifferenceElementSize(delta_element_bytes) || out.size() % delta_element_bytes)) {
    return Corrupt("a difference delta of {}-byte elements cannot make {} bytes", delta_element_bytes, out.size());
  }
  return Decode(codec, element_bytes, payload, out, Apply::For(op, delta_element_bytes));
}

void XorInto(std::span<std::byte> dst, std::span<const std::byte> src) {
  const size_t n = std::min(dst.size(), src.size());
  std::byte* d = dst.data();
  const std::byte* s = src.data();
  size_t i = 0;
  // 8-byte words through memcpy (no alignment or aliasing assumptions); the compiler turns the
  // loop into vector loads and xors.
  for (; i + 8 <= n; i += 8) {
    uint64_t a;
    uint64_t b;
    std::memcpy(&a, d + i, 8);
    std::memcpy(&b, s + i, 8);
    a ^= b;
    std::memcpy(d + i, &a, 8);
  }
  for (; i < n; ++i) d[i] ^= s[i];
}

}  // namespace gitmodel
