// PlanAroundRegions with small limits: split regions, long gaps, overlaps; ChunkElementBytes.
#include "store/chunk_plan.h"

#include <gtest/gtest.h>

#include <random>

#include "store/manifest.h"

namespace gitmodel {
namespace {

std::vector<std::byte> RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::byte> out(n);
  for (std::byte& b : out) b = static_cast<std::byte>(rng());
  return out;
}

DataRegion Region(uint64_t offset, uint64_t length, std::string name, uint8_t element_bytes = 0) {
  DataRegion r;
  r.offset = offset;
  r.length = length;
  r.name = std::move(name);
  r.element_bytes = element_bytes;
  return r;
}

PlanLimits Limits(uint64_t max_chunk_bytes, const CdcOptions& cdc = {}) {
  PlanLimits limits;
  limits.max_chunk_bytes = max_chunk_bytes;
  limits.cdc = cdc;
  return limits;
}

void ExpectTiles(const std::vector<ChunkSpec>& chunks, uint64_t size) {
  uint64_t at = 0;
  for (const ChunkSpec& c : chunks) {
    ASSERT_EQ(c.offset, at);
    ASSERT_GT(c.length, 0u);
    at += c.length;
  }
  EXPECT_EQ(at, size);
}

TEST(PlanAroundRegions, RegionsBecomeNamedChunksAndGapsUnnamedOnes) {
  const auto bytes = RandomBytes(1000, 1);
  auto plan = PlanAroundRegions({Region(600, 100, "b", 2), Region(100, 200, "a", 4)}, bytes);
  ASSERT_TRUE(plan);
  ExpectTiles(*plan, 1000);
  ASSERT_EQ(plan->size(), 5u);
  EXPECT_EQ((*plan)[0].name, "");
  EXPECT_EQ((*plan)[1].name, "a");
  EXPECT_EQ((*plan)[1].element_bytes, 4);
  EXPECT_EQ((*plan)[2].length, 300u);
  EXPECT_EQ((*plan)[3].name, "b");
  EXPECT_EQ((*plan)[4].length, 300u);
  EXPECT_EQ((*plan)[4].element_bytes, 0);
}

TEST(PlanAroundRegions, AdjacentRegionsAndRegionsAtTheEndsLeaveNoEmptyGaps) {
  const auto bytes = RandomBytes(30, 2);
  auto plan = PlanAroundRegions({Region(0, 10, "a"), Region(10, 20, "b"), Region(20, 0, "empty")}, bytes);
  ASSERT_TRUE(plan);
  ExpectTiles(*plan, 30);
  EXPECT_EQ(plan->size(), 2u);
}

TEST(PlanAroundRegions, LargeRegionIsSplitAtFixedBoundariesIntoNumberedPieces) {
  const auto bytes = RandomBytes(300, 3);
  auto plan = PlanAroundRegions({Region(40, 200, "w", 8), Region(240, 64, "exact")}, bytes, Limits(64));
  EXPECT_FALSE(plan);  // 240 + 64 > 300
  plan = PlanAroundRegions({Region(40, 200, "w", 8), Region(240, 60, "fits")}, bytes, Limits(64));
  ASSERT_TRUE(plan);
  ExpectTiles(*plan, 300);
  const std::vector<std::pair<std::string, uint64_t>> expected = {
      {"", 40}, {"w#0", 64}, {"w#1", 64}, {"w#2", 64}, {"w#3", 8}, {"fits", 60}};
  ASSERT_EQ(plan->size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ((*plan)[i].name, expected[i].first) << i;
    EXPECT_EQ((*plan)[i].length, expected[i].second) << i;
  }
  EXPECT_EQ((*plan)[4].element_bytes, 8);
}

TEST(PlanAroundRegions, RegionOfExactlyTheLimitIsNotSplit) {
  const auto bytes = RandomBytes(128, 4);
  auto plan = PlanAroundRegions({Region(0, 128, "w")}, bytes, Limits(128));
  ASSERT_TRUE(plan);
  ASSERT_EQ(plan->size(), 1u);
  EXPECT_EQ((*plan)[0].name, "w");
}

TEST(PlanAroundRegions, LongGapIsCutContentDefined) {
  const auto bytes = RandomBytes(20000, 5);
  const PlanLimits limits = Limits(1000, {.min_bytes = 100, .avg_bytes = 400, .max_bytes = 1000});
  auto plan = PlanAroundRegions({Region(19000, 500, "w")}, bytes, limits);
  ASSERT_TRUE(plan);
  ExpectTiles(*plan, 20000);
  ASSERT_GT(plan->size(), 10u);
  for (size_t i = 0; i + 2 < plan->size(); ++i) {  // the gap before "w", content-defined
    EXPECT_EQ((*plan)[i].name, "");
    EXPECT_LE((*plan)[i].length, 1000u);
    if (i + 3 < plan->size()) EXPECT_GE((*plan)[i].length, 100u);  // all but the gap's last chunk
  }
  EXPECT_EQ((*plan)[plan->size() - 2].name, "w");
  EXPECT_EQ(plan->back().length, 500u);  // the short gap after it: one chunk
}

TEST(PlanAroundRegions, OverlappingOrOutOfFileRegionsAreNotTrusted) {
  const auto bytes = RandomBytes(100, 6);
  EXPECT_FALSE(PlanAroundRegions({Region(0, 50, "a"), Region(49, 10, "b")}, bytes));
  EXPECT_FALSE(PlanAroundRegions({Region(10, 5, "a"), Region(10, 5, "b")}, bytes));
  EXPECT_FALSE(PlanAroundRegions({Region(0, 50, "a"), Region(10, 5, "in")}, bytes));
  EXPECT_FALSE(PlanAroundRegions({Region(90, 11, "a")}, bytes));
  EXPECT_FALSE(PlanAroundRegions({Region(101, 1, "a")}, bytes));
  EXPECT_FALSE(PlanAroundRegions({Region(2, UINT64_MAX, "a")}, bytes));
  EXPECT_FALSE(PlanAroundRegions({Region(UINT64_MAX, 2, "a")}, bytes));
  EXPECT_TRUE(PlanAroundRegions({Region(90, 10, "a")}, bytes));
}

TEST(PlanAroundRegions, NamesTooLongForAManifestAreDropped) {
  const auto bytes = RandomBytes(100, 7);
  const std::string longest(kMaxManifestNameBytes, 'n');
  auto plan = PlanAroundRegions({Region(0, 10, longest), Region(10, 10, longest + "x"), Region(20, 80, std::string(kMaxManifestNameBytes - 2, 's'))}, bytes, Limits(40));
  ASSERT_TRUE(plan);
  ASSERT_EQ(plan->size(), 4u);
  EXPECT_EQ((*plan)[0].name, longest);
  EXPECT_EQ((*plan)[1].name, "");
  EXPECT_EQ((*plan)[2].name, std::string(kMaxManifestNameBytes - 2, 's') + "#0");
  EXPECT_EQ((*plan)[3].name, std::string(kMaxManifestNameBytes - 2, 's') + "#1");
}

TEST(ChunkElementBytes, FloatingPointPartsOnly) {
  EXPECT_EQ(ChunkElementBytes(DType::kFloat16), 2);
  EXPECT_EQ(ChunkElementBytes(DType::kBFloat16), 2);
  EXPECT_EQ(ChunkElementBytes(DType::kComplex32), 2);
  EXPECT_EQ(ChunkElementBytes(DType::kFloat32), 4);
  EXPECT_EQ(ChunkElementBytes(DType::kComplex64), 4);
  EXPECT_EQ(ChunkElementBytes(DType::kFloat64), 8);
  EXPECT_EQ(ChunkElementBytes(DType::kComplex128), 8);
  for (DType d : {DType::kInt64, DType::kInt32, DType::kUInt8, DType::kBool, DType::kQInt8, DType::kFloat8_e4m3fn,
                  DType::kFloat4_e2m1fn, DType::kBits16})
    EXPECT_EQ(ChunkElementBytes(d), 0) << Name(d);
}

}  // namespace
}  // namespace gitmodel
