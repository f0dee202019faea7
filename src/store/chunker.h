// Where a file is cut into store chunks (docs/formats.md, "Chunking"). Boundaries follow the
// file's structure so that an unchanged tensor is an unchanged chunk:
//   - torch zip (torch.save, TorchScript, .pt2): one chunk per storage record's data bytes;
//   - safetensors: one chunk per tensor's data bytes;
//   - torch legacy: one chunk per storage's data bytes;
//   - the bytes between (zip headers, pickles, central directory, safetensors header) as chunks
//     of their own;
//   - a data region larger than kMaxChunkBytes is split at fixed kMaxChunkBytes boundaries;
//   - any other file (or one whose structure cannot be read): content-defined chunks (FastCDC).
// Chunks tile the file exactly: in order, without gaps or overlaps.
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
  // For tensor data: the name of the first tensor viewing it ("layer1.weight"), with "#k" added
  // for the k-th piece of a split region (k >= 1); it finds the delta base in the previous version.
  // Empty for structure bytes and content-defined chunks.
  std::string name;
  uint8_t element_bytes = 0;  // 2, 4 or 8 for floating-point data (byte planes); 0 otherwise
};

// Plans the chunks of the file at `path`, whose bytes are `bytes` (the caller's mapping of it).
// Never fails on content: a file that is not a checkpoint, or a damaged one, gets content-defined
// chunks.
std::vector<ChunkSpec> PlanChunks(const std::string& path, std::span<const std::byte> bytes);

// FastCDC boundaries over `bytes` (gear hash, normalized chunking): chunk lengths in
// [min_bytes, max_bytes] except the last, averaging about avg_bytes. Deterministic.
struct CdcOptions {
  uint64_t min_bytes = 256 << 10;
  uint64_t avg_bytes = 1 << 20;
  uint64_t max_bytes = 4 << 20;
};
std::vector<ChunkSpec> ContentDefinedChunks(std::span<const std::byte> bytes, uint64_t base_offset = 0,
                                            const CdcOptions& options = {});

}  // namespace gitmodel
