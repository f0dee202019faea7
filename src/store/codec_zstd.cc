#include "store/codec_zstd.h"

#define ZSTD_STATIC_LINKING_ONLY  // ZSTD_c_literalCompressionMode (a stable experimental parameter)
#include <zstd.h>

#include <cstdint>
#include <cstring>
#include <memory>

namespace gitmodel {
namespace {

// ZSTD_fast's acceleration: 8 was the best trade on exponent planes and XOR deltas (larger values
// cost ratio on the sparse planes of deltas).
constexpr int kBytePlaneAcceleration = 8;

struct CCtxFree {
  void operator()(ZSTD_CCtx* ctx) const { ZSTD_freeCCtx(ctx); }
};
struct DCtxFree {
  void operator()(ZSTD_DCtx* ctx) const { ZSTD_freeDCtx(ctx); }
};

ZSTD_CCtx* ThreadCCtx() {
  thread_local std::unique_ptr<ZSTD_CCtx, CCtxFree> ctx(ZSTD_createCCtx());
  return ctx.get();
}

ZSTD_DCtx* ThreadDCtx() {
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxFree> ctx(ZSTD_createDCtx());
  return ctx.get();
}

bool StartsWithFrameMagic(std::span<const std::byte> frame) {
  uint32_t magic = 0;
  if (frame.size() < sizeof magic) return false;
  std::memcpy(&magic, frame.data(), sizeof magic);  // little-endian host (byte_reader.cc)
  return magic == ZSTD_MAGICNUMBER;                 // not a skippable frame
}

// Advice only: a libzstd that refuses a parameter still makes a valid (if larger or slower) frame.
void TuneForBytePlane(ZSTD_CCtx* ctx, int level) {
  if (level > 1) return;
  ZSTD_CCtx_setParameter(ctx, ZSTD_c_literalCompressionMode, ZSTD_ps_enable);
  if (level == 1) ZSTD_CCtx_setParameter(ctx, ZSTD_c_targetLength, kBytePlaneAcceleration);
}

}  // namespace

size_t ZstdFrameBound(size_t raw_size) { return ZSTD_compressBound(raw_size); }

std::optional<size_t> ZstdCompressFrame(std::span<const std::byte> raw, int level, FrameHint hint,
                                        std::span<std::byte> out) {
  ZSTD_CCtx* ctx = ThreadCCtx();
  if (ctx == nullptr) return std::nullopt;
  ZSTD_CCtx_reset(ctx, ZSTD_reset_session_and_parameters);
  ZSTD_CCtx_setParameter(ctx, ZSTD_c_compressionLevel, level);
  if (hint == FrameHint::kBytePlane) TuneForBytePlane(ctx, level);
  const size_t n = ZSTD_compress2(ctx, out.data(), out.size(), raw.data(), raw.size());
  if (ZSTD_isError(n)) return std::nullopt;
  return n;
}

bool ZstdDecompressFrame(std::span<const std::byte> frame, std::span<std::byte> out) {
  if (!StartsWithFrameMagic(frame)) return false;
  if (ZSTD_getFrameContentSize(frame.data(), frame.size()) != out.size()) return false;
  if (ZSTD_findFrameCompressedSize(frame.data(), frame.size()) != frame.size()) return false;
  ZSTD_DCtx* ctx = ThreadDCtx();
  if (ctx == nullptr) return false;
  const size_t n = ZSTD_decompressDCtx(ctx, out.data(), out.size(), frame.data(), frame.size());
  return !ZSTD_isError(n) && n == out.size();
}

}  // namespace gitmodel
