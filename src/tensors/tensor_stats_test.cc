#include "tensors/tensor_stats.h"

#include <gtest/gtest.h>

#include "tensors/testing/tensor_views.h"

#include <cmath>
#include <cstring>
#include <vector>

namespace gitmodel {
namespace {

using testutil::BytesOf;
using testutil::View;


TensorRef Vector(DType dtype, std::span<const std::byte> storage, int64_t n) {
  return View(dtype, {n}, {1}, storage);
}

TensorStats Stats(const TensorRef& t) {
  auto s = ComputeStats(t);
  EXPECT_TRUE(s.ok()) << s.status().message();
  return s.ok() ? *s : TensorStats{};
}

TEST(TensorStatsTest, Float32Basics) {
  auto bytes = BytesOf<float>({1, 2, 3, 4});
  TensorStats s = Stats(Vector(DType::kFloat32, bytes, 4));
  EXPECT_EQ(s.count, 4u);
  EXPECT_EQ(s.nan, 0u);
  EXPECT_EQ(s.inf, 0u);
  EXPECT_EQ(s.min, 1.0);
  EXPECT_EQ(s.max, 4.0);
  EXPECT_DOUBLE_EQ(s.mean, 2.5);
  EXPECT_DOUBLE_EQ(s.std, std::sqrt(1.25));  // population std
}

TEST(TensorStatsTest, NonFiniteValuesAreCountedNotAveraged) {
  auto bytes = BytesOf<double>({1, NAN, INFINITY, -INFINITY, 3});
  TensorStats s = Stats(Vector(DType::kFloat64, bytes, 5));
  EXPECT_EQ(s.count, 5u);
  EXPECT_EQ(s.nan, 1u);
  EXPECT_EQ(s.inf, 2u);
  EXPECT_EQ(s.min, 1.0);
  EXPECT_EQ(s.max, 3.0);
  EXPECT_EQ(s.mean, 2.0);
  EXPECT_EQ(s.std, 1.0);
  auto nans = BytesOf<float>({NAN, NAN});
  s = Stats(Vector(DType::kFloat32, nans, 2));
  EXPECT_EQ(s.nan, 2u);
  EXPECT_TRUE(std::isnan(s.min) && std::isnan(s.max) && std::isnan(s.mean) && std::isnan(s.std));
  s = Stats(Vector(DType::kFloat32, nans, 0));
  EXPECT_EQ(s.count, 0u);
  EXPECT_TRUE(std::isnan(s.mean));
}

TEST(TensorStatsTest, BoolComplexAndQuantized) {
  auto flags = BytesOf<uint8_t>({1, 0, 1, 1});
  TensorStats s = Stats(Vector(DType::kBool, flags, 4));
  EXPECT_EQ(s.mean, 0.75);
  EXPECT_DOUBLE_EQ(s.std, std::sqrt(0.1875));
  auto complex = BytesOf<float>({3, 4, 0, 0});
  s = Stats(Vector(DType::kComplex64, complex, 2));
  EXPECT_EQ(s.count, 2u);
  EXPECT_EQ(s.mean, 2.5);
  EXPECT_EQ(s.std, 2.5);
  EXPECT_EQ(s.max, 5.0);
  auto q = BytesOf<uint8_t>({10, 12, 14});
  TensorRef qt = Vector(DType::kQUInt8, q, 3);
  qt.quant = QuantParams{.scheme = "per_tensor_affine", .scale = 0.5, .zero_point = 10};
  s = Stats(qt);
  EXPECT_EQ(s.min, 0.0);
  EXPECT_EQ(s.max, 2.0);
  EXPECT_EQ(s.mean, 1.0);
}

TEST(TensorStatsTest, StridedBigEndianAndPackedTensors) {
  // Transposed 2x3 int32 stored big-endian: values 0..5 whatever the order.
  std::vector<std::byte> big;
  for (int v : {0, 1, 2, 3, 4, 5}) {
    for (int shift : {24, 16, 8, 0}) big.push_back(static_cast<std::byte>(v >> shift));
  }
  TensorRef t = View(DType::kInt32, {2, 3}, {1, 2}, big);
  t.big_endian = true;
  TensorStats s = Stats(t);
  EXPECT_EQ(s.min, 0.0);
  EXPECT_EQ(s.max, 5.0);
  EXPECT_EQ(s.mean, 2.5);
  // Three float4 values 1, 2, 3 (codes 2, 4, 5); the padding nibble (6.0) is not a value.
  std::vector<std::byte> f4 = {std::byte{0x42}, std::byte{0x75}};
  s = Stats(Vector(DType::kFloat4_e2m1fn, f4, 3));
  EXPECT_EQ(s.count, 3u);
  EXPECT_EQ(s.max, 3.0);
  EXPECT_EQ(s.mean, 2.0);
  // The same bytes as torch's float4_e2m1fn_x2: two elements, four values.
  s = Stats(Vector(DType::kFloat4_e2m1fn_x2, f4, 2));
  EXPECT_EQ(s.count, 4u);
  EXPECT_EQ(s.max, 6.0);
  EXPECT_EQ(s.mean, 3.0);
}

TEST(TensorStatsTest, AccurateForLargeOffsetsAcrossChunks) {
  // 400k values 1e9 + (i % 2): crosses blocks and 1 MiB chunks; naive sum of squares loses it all.
  std::vector<double> v(400000);
  for (size_t i = 0; i < v.size(); ++i) v[i] = 1e9 + static_cast<double>(i % 2);
  auto bytes = BytesOf(v);
  TensorStats s = Stats(Vector(DType::kFloat64, bytes, static_cast<int64_t>(v.size())));
  EXPECT_EQ(s.count, v.size());
  EXPECT_NEAR(s.mean, 1e9 + 0.5, 1e-6);
  EXPECT_NEAR(s.std, 0.5, 1e-9);
}

TEST(TensorStatsTest, MetaAndOutOfBoundsAreErrors) {
  auto bytes = BytesOf<float>({1});
  TensorRef meta = Vector(DType::kFloat32, {}, 3);
  meta.has_storage = false;
  EXPECT_EQ(ComputeStats(meta).status().message(), "meta tensor has no data");
  EXPECT_EQ(ComputeStats(Vector(DType::kFloat32, bytes, 2)).status().message(),
            "tensor needs 8 bytes of storage data/0, which has 4");
}

void ExpectSameStats(const TensorStats& a, const TensorStats& b) {
  EXPECT_EQ(a.count, b.count);
  EXPECT_EQ(a.nan, b.nan);
  EXPECT_EQ(a.inf, b.inf);
  EXPECT_EQ(a.min, b.min);
  EXPECT_EQ(a.max, b.max);
  EXPECT_NEAR(a.mean, b.mean, 1e-9 * (1 + std::abs(b.mean)));
  EXPECT_NEAR(a.std, b.std, 1e-9 * (1 + b.std));
}

TEST(TensorStatsTest, AllSplitsLargeTensorsAndKeepsOrder) {
  std::vector<float> ramp(10007);
  for (size_t i = 0; i < ramp.size(); ++i) ramp[i] = static_cast<float>(i % 97) - 40.0f;
  ramp[5000] = NAN;
  auto ramp_bytes = BytesOf(ramp);
  std::vector<std::byte> be(ramp_bytes.size());
  for (size_t i = 0; i < be.size(); ++i) be[i] = ramp_bytes[i / 4 * 4 + 3 - i % 4];
  std::vector<std::byte> packed(1001);
  for (size_t i = 0; i < packed.size(); ++i) packed[i] = static_cast<std::byte>(i * 37);

  std::vector<TensorRef> tensors = {
      Vector(DType::kFloat32, ramp_bytes, 10007),
      Vector(DType::kFloat32, ramp_bytes, 3),
      Vector(DType::kFloat32, be, 10007),
      Vector(DType::kFloat4_e2m1fn, packed, 2001),
      View(DType::kFloat32, {100, 100}, {1, 100}, ramp_bytes),  // transposed: not split
      Vector(DType::kFloat32, ramp_bytes, 20000),               // out of bounds
  };
  tensors[2].big_endian = true;
  tensors[5].storage_key = "data/5";
  auto all = ComputeStatsAll(tensors, {.threads = 4, .split_bytes = 1000, .piece_bytes = 100});
  ASSERT_EQ(all.size(), tensors.size());
  for (size_t i = 0; i + 1 < tensors.size(); ++i) {
    ASSERT_TRUE(all[i].ok()) << i << ": " << all[i].status().message();
    ExpectSameStats(*all[i], Stats(tensors[i]));
  }
  EXPECT_EQ(all[0]->nan, 1u);
  EXPECT_EQ(all[3]->count, 2001u);
  ExpectSameStats(*all[2], *all[0]);
  EXPECT_EQ(all[5].status().message(), "tensor needs 80000 bytes of storage data/5, which has 40028");
}

TEST(TensorStatsTest, AllHandlesATensorOverSixtyFourMegabytes) {
  std::vector<uint8_t> values((size_t{64} << 20) + 12345);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<uint8_t>(i % 251);
  auto bytes = std::as_bytes(std::span(values));
  std::vector<TensorRef> tensors = {Vector(DType::kUInt8, bytes, static_cast<int64_t>(values.size()))};
  auto all = ComputeStatsAll(tensors);
  ASSERT_TRUE(all[0].ok());
  ExpectSameStats(*all[0], Stats(tensors[0]));
  EXPECT_EQ(all[0]->count, values.size());
  EXPECT_EQ(all[0]->max, 250.0);
  EXPECT_NEAR(all[0]->mean, 125.0, 0.01);
}

}  // namespace
}  // namespace gitmodel
