// Where a file is cut into store chunks (docs/formats.md, "Chunking"). Boundaries follow the
// file's structure so that an unchanged tensor is an unchanged chunk:
//   - torch zip (torch.save, TorchScript, .pt2), safetensors, torch legacy: one chunk per data
//     region, i.e. per distinct storage that Checkpoint::Open maps in the file (stored, not
//     deflated; non-empty); tensors viewing one storage share its chunk;
//   - the bytes between regions (zip headers, pickles, central directory, safetensors header) as
//     chunks of their own; such a gap longer than kMaxChunkBytes is cut with FastCDC;
//   - a region longer than kMaxChunkBytes is split at fixed kMaxChunkBytes boundaries from its
//     start (the last piece shorter);
//   - any other file (plain pickle, sharded index, legacy TorchScript, not a checkpoint, one that
//     fails to open, or one whose regions overlap or leave the file): FastCDC over the whole file.
// Chunks tile the file exactly: in order, without gaps or overlaps. An empty file has no chunks.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "gitmodel/status.h"

namespace gitmodel {

inline constexpr uint64_t kMaxChunkBytes = uint64_t{64} << 20;

struct ChunkSpec {
  uint64_t offset = 0;
  uint64_t length = 0;
  // For tensor data: the name of the first tensor (in Checkpoint::tensors() order) viewing the
  // storage ("layer1.weight"). The pieces of a split region are "NAME#0", "NAME#1", ... in file
  // order; a region that is not split has the bare name. (name, length) finds the delta base in
  // the previous version. Empty for structure bytes, content-defined chunks, and names longer than
  // kMaxManifestNameBytes (manifest.h).
  std::string name;
  // The width of the data's floating-point parts, for byte-plane coding: 2 (float16, bfloat16,
  // complex32), 4 (float32, complex64), 8 (float64, complex128); 0 for other data and structure.
  uint8_t element_bytes = 0;
};

// Plans the chunks of the file at `path`, whose bytes are `bytes` (the caller's mapping of it).
// Opens `path` with Checkpoint::Open (structure only) and compares 16 bytes at each end of every
// storage with `bytes`, so it is cheap for large files. Never fails on content: a file that is not
// a checkpoint, or a damaged one, gets content-defined chunks, and so does one whose tensor data
// does not match `bytes` at its ends (a file changed since the caller mapped it, or a reader's
// wrong offset).
std::vector<ChunkSpec> PlanChunks(const std::string& path, std::span<const std::byte> bytes);

// FastCDC boundaries over `bytes` (gear hash, normalized chunking): chunk lengths in
// [min_bytes, max_bytes] except the last (which may be shorter), averaging about avg_bytes;
// offsets start at `base_offset`. Deterministic: the same bytes and options give the same chunks
// on every machine. Options are clamped so that 1 <= min <= avg <= max. No bytes, no chunks.
struct CdcOptions {
  uint64_t min_bytes = 256 << 10;
  uint64_t avg_bytes = 1 << 20;
  uint64_t max_bytes = 4 << 20;
};
std::vector<ChunkSpec> ContentDefinedChunks(std::span<const std::byte> bytes, uint64_t base_offset = 0,
                                            const CdcOptions& options = {});

}  // namespace gitmodel
