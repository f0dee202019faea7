// PlanChunks (chunker.h): structure-following chunks for checkpoints, FastCDC for the rest.
#include "store/chunker.h"

#include <algorithm>
#include <cstring>
#include <set>
#include <utility>

#include "store/chunk_plan.h"

namespace gitmodel {
namespace {

bool FollowsStructure(Format format) {
  switch (format) {
    case Format::kTorchZip:
    case Format::kTorchScript:
    case Format::kPt2:
    case Format::kSafetensors:
    case Format::kTorchLegacy:
      return true;
    case Format::kTorchScriptLegacy:
    case Format::kShardedIndex:
    case Format::kPickle:
      return false;
  }
  return false;
}

bool HasFileBytes(const TensorRef& t) {
  return t.file_index == 0 && t.has_storage && !t.deflated && !t.storage.empty();
}

// The first and last few bytes of `region` in `bytes` equal the checkpoint's.
bool EndsMatch(const DataRegion& r, std::span<const std::byte> bytes) {
  if (r.length != r.mapped.size() || r.length > bytes.size() || r.offset > bytes.size() - r.length) return false;
  const size_t n = std::min<size_t>(16, r.length);
  const std::byte* in_file = bytes.data() + r.offset;
  return std::memcmp(in_file, r.mapped.data(), n) == 0 &&
         std::memcmp(in_file + r.length - n, r.mapped.data() + r.length - n, n) == 0;
}

// The structure-following plan, or nullopt when the file's structure cannot be used.
std::optional<std::vector<ChunkSpec>> StructuredPlan(const std::string& path, std::span<const std::byte> bytes) {
  auto checkpoint = Checkpoint::Open(path);
  if (!checkpoint.ok()) return std::nullopt;
  std::optional<std::vector<DataRegion>> regions = DataRegionsOf(**checkpoint);
  if (!regions || !RegionsMatchFile(*regions, bytes)) return std::nullopt;
  return PlanAroundRegions(std::move(*regions), bytes);
}

}  // namespace

uint8_t ChunkElementBytes(DType dtype) {
  switch (dtype) {
    case DType::kFloat16:
    case DType::kBFloat16:
    case DType::kComplex32:
      return 2;
    case DType::kFloat32:
    case DType::kComplex64:
      return 4;
    case DType::kFloat64:
    case DType::kComplex128:
      return 8;
    default:
      return 0;
  }
}

std::optional<std::vector<DataRegion>> DataRegionsOf(const Checkpoint& checkpoint) {
  if (!FollowsStructure(checkpoint.format())) return std::nullopt;
  std::vector<DataRegion> regions;
  std::set<std::pair<uint64_t, uint64_t>> seen;  // (offset, length): tensors sharing a storage
  for (const TensorRef& t : checkpoint.tensors()) {
    if (!HasFileBytes(t) || !seen.emplace(t.storage_file_offset, t.storage.size()).second) continue;
    regions.push_back({.offset = t.storage_file_offset,
                       .length = t.storage.size(),
                       .name = t.name,
                       .element_bytes = ChunkElementBytes(t.dtype),
                       .mapped = t.storage});
  }
  return regions;
}

bool RegionsMatchFile(const std::vector<DataRegion>& regions, std::span<const std::byte> bytes) {
  return std::all_of(regions.begin(), regions.end(), [&](const DataRegion& r) { return EndsMatch(r, bytes); });
}

std::vector<ChunkSpec> PlanChunks(const std::string& path, std::span<const std::byte> bytes) {
  if (bytes.empty()) return {};
  if (auto plan = StructuredPlan(path, bytes)) return std::move(*plan);
  return ContentDefinedChunks(bytes);
}

}  // namespace gitmodel
