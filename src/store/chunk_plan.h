// Internal to the chunker (chunker.h): the steps of PlanChunks, exposed for tests.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "gitmodel/checkpoint.h"
#include "gitmodel/dtype.h"
#include "store/chunker.h"

namespace gitmodel {

// Bytes of one tensor storage in the file.
struct DataRegion {
  uint64_t offset = 0;
  uint64_t length = 0;
  std::string name;           // the first tensor (in tensors() order) viewing the storage
  uint8_t element_bytes = 0;  // ChunkElementBytes of that tensor's dtype
  std::span<const std::byte> mapped;  // the storage's bytes in the checkpoint's own mapping
};

struct PlanLimits {
  uint64_t max_chunk_bytes = kMaxChunkBytes;  // data regions are split at this size
  CdcOptions cdc;                             // for gaps longer than max_chunk_bytes
};

// The byte-plane width of `dtype`'s floating-point parts: 2 (float16, bfloat16, complex32), 4
// (float32, complex64), 8 (float64, complex128); 0 for everything else.
uint8_t ChunkElementBytes(DType dtype);

// The data regions of `checkpoint` in tensors() order, one per distinct (offset, length): the
// mapped, non-empty storages of its first file. nullopt for formats whose structure the chunker
// does not follow (plain pickle, sharded index, legacy TorchScript). Spans in the result are
// valid while `checkpoint` is open.
std::optional<std::vector<DataRegion>> DataRegionsOf(const Checkpoint& checkpoint);

// Whether every region lies in `bytes` and the bytes at its ends there equal the checkpoint's own
// (`mapped`): a cheap guard against a reader reporting a wrong file offset.
bool RegionsMatchFile(const std::vector<DataRegion>& regions, std::span<const std::byte> bytes);

// The chunks of a file of `file_size` bytes around `regions` (any order): regions sorted by
// offset, each split at max_chunk_bytes into "NAME#0", "NAME#1"...; the gaps between them as
// unnamed chunks, content-defined (over `bytes`) where longer than max_chunk_bytes. nullopt when
// regions overlap or leave the file. `bytes` holds the file (bytes.size() == file_size).
std::optional<std::vector<ChunkSpec>> PlanAroundRegions(std::vector<DataRegion> regions,
                                                        std::span<const std::byte> bytes,
                                                        const PlanLimits& limits = {});

}  // namespace gitmodel
