// PlanAroundRegions (chunk_plan.h): tiling a file around its tensor data.
#include <algorithm>

#include <fmt/core.h>

#include "store/chunk_plan.h"
#include "store/manifest.h"

namespace gitmodel {
namespace {

// Sorted regions that neither overlap nor leave a file of `file_size` bytes.
bool TileInOrder(const std::vector<DataRegion>& sorted, uint64_t file_size) {
  uint64_t end = 0;
  for (const DataRegion& r : sorted) {
    if (r.offset < end || r.length > file_size || r.offset > file_size - r.length) return false;
    end = r.offset + r.length;
  }
  return true;
}

// A name the manifest can hold, else none (the chunk then has no delta base, nothing worse).
std::string ManifestName(std::string name) { return name.size() <= kMaxManifestNameBytes ? name : std::string(); }

void AppendGap(std::span<const std::byte> bytes, uint64_t begin, uint64_t end, const PlanLimits& limits,
               std::vector<ChunkSpec>& out) {
  if (begin == end) return;
  if (end - begin <= limits.max_chunk_bytes) {
    out.push_back({.offset = begin, .length = end - begin, .name = {}, .element_bytes = 0});
    return;
  }
  std::vector<ChunkSpec> cut = ContentDefinedChunks(bytes.subspan(begin, end - begin), begin, limits.cdc);
  out.insert(out.end(), cut.begin(), cut.end());
}

// Pieces of at most `max_bytes`, at fixed offsets from the region's start, so that a changed
// tensor of the same size keeps its pieces' names and lengths (the delta bases' keys).
void AppendRegion(const DataRegion& r, uint64_t max_bytes, std::vector<ChunkSpec>& out) {
  if (r.length <= max_bytes) {
    out.push_back({.offset = r.offset, .length = r.length, .name = ManifestName(r.name), .element_bytes = r.element_bytes});
    return;
  }
  for (uint64_t at = 0, k = 0; at < r.length; at += max_bytes, ++k) {
    out.push_back({.offset = r.offset + at,
                   .length = std::min(max_bytes, r.length - at),
                   .name = ManifestName(fmt::format("{}#{}", r.name, k)),
                   .element_bytes = r.element_bytes});
  }
}

}  // namespace

std::optional<std::vector<ChunkSpec>> PlanAroundRegions(std::vector<DataRegion> regions,
                                                        std::span<const std::byte> bytes,
                                                        const PlanLimits& limits) {
  std::erase_if(regions, [](const DataRegion& r) { return r.length == 0; });
  std::stable_sort(regions.begin(), regions.end(),
                   [](const DataRegion& a, const DataRegion& b) { return a.offset < b.offset; });
  if (!TileInOrder(regions, bytes.size())) return std::nullopt;
  PlanLimits safe = limits;
  safe.max_chunk_bytes = std::max<uint64_t>(limits.max_chunk_bytes, 1);
  std::vector<ChunkSpec> chunks;
  uint64_t at = 0;
  for (const DataRegion& r : regions) {
    AppendGap(bytes, at, r.offset, safe, chunks);
    AppendRegion(r, safe.max_chunk_bytes, chunks);
    at = r.offset + r.length;
  }
  AppendGap(bytes, at, bytes.size(), safe, chunks);
  return chunks;
}

}  // namespace gitmodel
