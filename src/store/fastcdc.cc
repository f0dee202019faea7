// ContentDefinedChunks (chunker.h): FastCDC, Xia et al., "FastCDC: a Fast and Efficient
// Content-Defined Chunking Approach for Data Deduplication" (USENIX ATC 2016).
//
// A gear hash h = (h << 1) + kGear[byte] runs over each chunk from min_bytes on; a cut follows
// the first byte where the hash's top bits (a mask) are all zero. Top bits, because bit k of a
// gear hash depends on the last k + 1 bytes only: the top bits see a 64-byte window. Normalized
// chunking (level 2): before avg_bytes the mask has two bits more than log2(avg), after it two
// bits fewer, which pulls chunk sizes towards the average. Only 64-bit integer arithmetic and a
// fixed table, so boundaries are the same on every machine and run.
#include <algorithm>
#include <array>
#include <bit>

#include "store/chunker.h"

namespace gitmodel {
namespace {

// splitmix64 (Vigna): a fixed seed gives the same 256 gear values everywhere.
constexpr uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

constexpr std::array<uint64_t, 256> MakeGearTable() {
  std::array<uint64_t, 256> table{};
  uint64_t state = 0x6769742D6D6F6465ull;  // "git-mode"
  for (uint64_t& value : table) value = SplitMix64(state);
  return table;
}

constexpr std::array<uint64_t, 256> kGear = MakeGearTable();

// The top `bits` bits set.
constexpr uint64_t TopBitsMask(int bits) { return ~uint64_t{0} << (64 - bits); }

struct Cutter {
  uint64_t min_bytes, avg_bytes, max_bytes;
  uint64_t strict_mask, loose_mask;  // before and after avg_bytes
};

// Options made safe to use: 1 <= min <= avg <= max.
Cutter MakeCutter(const CdcOptions& options) {
  Cutter c;
  c.max_bytes = std::max<uint64_t>(options.max_bytes, 1);
  c.min_bytes = std::clamp<uint64_t>(options.min_bytes, 1, c.max_bytes);
  c.avg_bytes = std::clamp<uint64_t>(options.avg_bytes, c.min_bytes, c.max_bytes);
  const int bits = std::bit_width(c.avg_bytes) - 1;  // floor(log2(avg))
  c.strict_mask = TopBitsMask(std::clamp(bits + 2, 1, 63));
  c.loose_mask = TopBitsMask(std::clamp(bits - 2, 1, 63));
  return c;
}

// Runs the gear hash over data[i, end) and returns the position after the first byte at which
// (hash & mask) == 0, or 0 if there is none (`hash` then holds the hash so far). Two bytes a step:
// the second hash comes straight from the one before the pair, (h << 2) + (g0 << 1) + g1, which
// equals (((h << 1) + g0) << 1) + g1 and halves the dependency chain.
uint64_t FindCut(const uint8_t* data, uint64_t i, uint64_t end, uint64_t mask, uint64_t& hash) {
  uint64_t h = hash;
  for (; i + 2 <= end; i += 2) {
    const uint64_t g0 = kGear[data[i]], g1 = kGear[data[i + 1]];
    const uint64_t first = (h << 1) + g0;
    h = (h << 2) + ((g0 << 1) + g1);
    if ((first & mask) == 0) return i + 1;
    if ((h & mask) == 0) return i + 2;
  }
  if (i < end) {
    h = (h << 1) + kGear[data[i]];
    if ((h & mask) == 0) return i + 1;
  }
  hash = h;
  return 0;
}

// The length of the chunk that starts at `data` (`size` bytes left, size > 0).
uint64_t NextChunkLength(const Cutter& c, const uint8_t* data, uint64_t size) {
  if (size <= c.min_bytes) return size;
  const uint64_t end = std::min(size, c.max_bytes);
  const uint64_t normal_end = std::min(end, c.avg_bytes);
  uint64_t hash = 0;
  if (uint64_t cut = FindCut(data, c.min_bytes, normal_end, c.strict_mask, hash)) return cut;
  if (uint64_t cut = FindCut(data, std::max(c.min_bytes, normal_end), end, c.loose_mask, hash)) return cut;
  return end;
}

}  // namespace

std::vector<ChunkSpec> ContentDefinedChunks(std::span<const std::byte> bytes, uint64_t base_offset,
                                            const CdcOptions& options) {
  const Cutter cutter = MakeCutter(options);
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  std::vector<ChunkSpec> chunks;
  for (uint64_t at = 0; at < bytes.size();) {
    const uint64_t length = NextChunkLength(cutter, data + at, bytes.size() - at);
    chunks.push_back({.offset = base_offset + at, .length = length, .name = {}, .element_bytes = 0});
    at += length;
  }
  return chunks;
}

}  // namespace gitmodel
