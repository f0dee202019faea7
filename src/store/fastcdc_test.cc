// ContentDefinedChunks: bounds, resynchronisation after an insertion, fixed boundaries (a change
// to them would stop new versions from sharing chunks with stored ones), speed.
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <set>

#include "base/sha256.h"
#include "store/chunker.h"

namespace gitmodel {
namespace {

// splitmix64 bytes: the same on every machine (unlike std::uniform_int_distribution).
std::vector<std::byte> RandomBytes(size_t n, uint64_t seed) {
  std::vector<std::byte> out(n);
  uint64_t state = seed;
  for (size_t i = 0; i < n; i += 8) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    std::memcpy(out.data() + i, &z, std::min<size_t>(8, n - i));
  }
  return out;
}

void ExpectTiles(const std::vector<ChunkSpec>& chunks, uint64_t base, uint64_t size) {
  uint64_t at = base;
  for (const ChunkSpec& c : chunks) {
    ASSERT_EQ(c.offset, at);
    ASSERT_GT(c.length, 0u);
    EXPECT_TRUE(c.name.empty());
    EXPECT_EQ(c.element_bytes, 0);
    at += c.length;
  }
  EXPECT_EQ(at, base + size);
}

void ExpectWithinBounds(const std::vector<ChunkSpec>& chunks, const CdcOptions& o) {
  for (size_t i = 0; i < chunks.size(); ++i) {
    EXPECT_LE(chunks[i].length, o.max_bytes) << i;
    if (i + 1 == chunks.size()) break;  // the last chunk may be short
    EXPECT_GE(chunks[i].length, o.min_bytes) << i;
  }
}

TEST(ContentDefinedChunks, TilesWithinMinAndMax) {
  const auto bytes = RandomBytes(8 << 20, 1);
  const CdcOptions o{.min_bytes = 16 << 10, .avg_bytes = 64 << 10, .max_bytes = 256 << 10};
  const auto chunks = ContentDefinedChunks(bytes, 1000, o);
  ExpectTiles(chunks, 1000, bytes.size());
  ExpectWithinBounds(chunks, o);
  const double mean = static_cast<double>(bytes.size()) / static_cast<double>(chunks.size());
  EXPECT_GT(mean, 0.7 * 64 * 1024);
  EXPECT_LT(mean, 1.5 * 64 * 1024);
}

TEST(ContentDefinedChunks, DefaultsAverageAboutOneMebibyte) {
  const auto bytes = RandomBytes(64 << 20, 2);
  const auto chunks = ContentDefinedChunks(bytes);
  ExpectTiles(chunks, 0, bytes.size());
  ExpectWithinBounds(chunks, {});
  const double mean = static_cast<double>(bytes.size()) / static_cast<double>(chunks.size());
  EXPECT_GT(mean, 0.7 * (1 << 20));
  EXPECT_LT(mean, 1.5 * (1 << 20));
}

TEST(ContentDefinedChunks, UniformDataIsCutAtMax) {
  const std::vector<std::byte> zeros(1 << 20, std::byte{0});
  const CdcOptions o{.min_bytes = 1 << 10, .avg_bytes = 4 << 10, .max_bytes = 16 << 10};
  const auto chunks = ContentDefinedChunks(zeros, 0, o);
  ExpectTiles(chunks, 0, zeros.size());
  ExpectWithinBounds(chunks, o);
}

TEST(ContentDefinedChunks, ShortInputIsOneChunk) {
  const auto bytes = RandomBytes(1000, 3);
  const auto chunks = ContentDefinedChunks(bytes, 7);
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].offset, 7u);
  EXPECT_EQ(chunks[0].length, 1000u);
}

TEST(ContentDefinedChunks, OddOptionsAreClampedNotTrustedToBeSane) {
  const auto bytes = RandomBytes(100000, 4);
  for (const CdcOptions& o : {CdcOptions{0, 0, 0}, CdcOptions{100, 50, 10}, CdcOptions{1, 1, 1},
                              CdcOptions{1 << 30, 1, 1 << 20}, CdcOptions{0, UINT64_MAX, UINT64_MAX}}) {
    const auto chunks = ContentDefinedChunks(bytes, 0, o);
    ExpectTiles(chunks, 0, bytes.size());
    for (const ChunkSpec& c : chunks) EXPECT_LE(c.length, std::max<uint64_t>(o.max_bytes, 1));
  }
}

// Bytes of `b`'s chunks whose content is also a chunk of `a`, as a fraction of b's size.
double SharedFraction(const std::vector<std::byte>& a, const std::vector<std::byte>& b) {
  std::set<Digest> in_a;
  for (const ChunkSpec& c : ContentDefinedChunks(a)) in_a.insert(Sha256Of(std::span(a).subspan(c.offset, c.length)));
  uint64_t shared = 0;
  for (const ChunkSpec& c : ContentDefinedChunks(b))
    if (in_a.contains(Sha256Of(std::span(b).subspan(c.offset, c.length)))) shared += c.length;
  return static_cast<double>(shared) / static_cast<double>(b.size());
}

TEST(ContentDefinedChunks, InsertionAtTheStartLeavesAlmostEveryChunkIntact) {
  const auto original = RandomBytes(16 << 20, 5);
  auto inserted = RandomBytes(100, 6);
  inserted.insert(inserted.end(), original.begin(), original.end());
  EXPECT_GE(SharedFraction(original, inserted), 0.9);
  auto edited = original;  // and a 100-byte overwrite in the middle
  std::memset(edited.data() + (8 << 20), 0x55, 100);
  EXPECT_GE(SharedFraction(original, edited), 0.9);
}

std::string Lengths(const std::vector<ChunkSpec>& chunks) {
  std::string out;
  for (const ChunkSpec& c : chunks) out += std::to_string(c.length) + ",";
  return out;
}

// The boundaries are part of the store's format in effect: stored chunks dedupe against new ones
// only while the same bytes are cut the same way. These values were computed once (and agree with
// an independent Python implementation); they must not change, nor differ between machines.
TEST(ContentDefinedChunks, BoundariesAreFixed) {
  const auto bytes = RandomBytes(16 << 20, 0x676D);
  const std::string defaults = Lengths(ContentDefinedChunks(bytes));
  EXPECT_EQ(defaults,
            "1080979,1052235,1299157,1325718,1312572,1260896,1630242,1239583,810645,1251554,1179550,1265486,"
            "1488315,580284,");
  const std::string small = Lengths(ContentDefinedChunks(std::span(bytes).first(1 << 20), 0,
                                                         {.min_bytes = 2 << 10, .avg_bytes = 8 << 10, .max_bytes = 64 << 10}));
  EXPECT_EQ(small.substr(0, 80), "2893,8630,11615,7039,9124,10176,9693,12755,10805,9643,8790,8405,4918,8637,8232,1");
  // The same as the reference implementation in docs/formats.md ("Chunking") gives.
  EXPECT_EQ(ToHex(Sha256Of(std::as_bytes(std::span(small)))), "82c441d0d63dcf2ff2d66c04d05200e945c0dd26a8233a1ca50bb02be1a4b124");
}

// Not run by default: --gtest_also_run_disabled_tests --gtest_filter='*ChunkingSpeed*'.
TEST(ContentDefinedChunks, DISABLED_ChunkingSpeed) {
  const auto bytes = RandomBytes(256 << 20, 7);
  const auto start = std::chrono::steady_clock::now();
  const auto chunks = ContentDefinedChunks(bytes);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("FastCDC: %zu chunks over 256 MiB in %.3f s: %.0f MB/s\n", chunks.size(), seconds,
              static_cast<double>(bytes.size()) / 1e6 / seconds);
  ExpectTiles(chunks, 0, bytes.size());
}

}  // namespace
}  // namespace gitmodel
