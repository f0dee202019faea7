#include "tensors/element_decode.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

namespace gitmodel {
namespace {

std::vector<std::byte> Hex(std::initializer_list<int> bytes) {
  std::vector<std::byte> out;
  for (int b : bytes) out.push_back(static_cast<std::byte>(b));
  return out;
}

template <typename T>
std::vector<std::byte> BytesOf(std::initializer_list<T> values) {
  std::vector<std::byte> out(values.size() * sizeof(T));
  std::memcpy(out.data(), values.begin(), out.size());
  return out;
}

std::vector<double> DecodeAll(DecodeSpec spec, const std::vector<std::byte>& bytes, size_t n) {
  std::vector<double> out(n);
  Status s = DecodeValues(spec, bytes, out);
  EXPECT_TRUE(s.ok()) << s.message();
  return out;
}

// Each byte of `codes` decoded alone as a `dtype` value.
std::vector<double> DecodeBytes(DType dtype, std::initializer_list<int> codes) {
  return DecodeAll({dtype, std::nullopt}, Hex(codes), codes.size());
}

std::vector<double> DecodeU16(DType dtype, std::initializer_list<uint16_t> codes) {
  return DecodeAll({dtype, std::nullopt}, BytesOf(codes), codes.size());
}

TEST(DecodeTest, Float16) {
  auto v = DecodeU16(DType::kFloat16, {0x3C00, 0xC000, 0x7BFF, 0x0001, 0x0400, 0x3555, 0x7C00, 0xFC00});
  EXPECT_EQ(v, (std::vector<double>{1.0, -2.0, 65504.0, 0x1p-24, 0x1p-14, 0.333251953125,
                                    INFINITY, -INFINITY}));
  v = DecodeU16(DType::kFloat16, {0x7E00, 0xFC01, 0x8000});
  EXPECT_TRUE(std::isnan(v[0]));
  EXPECT_TRUE(std::isnan(v[1]));
  EXPECT_EQ(v[2], 0.0);
  EXPECT_TRUE(std::signbit(v[2]));
}

// A plain reference decoder to check the bit trick against every code.
double ReferenceHalf(uint16_t h) {
  const int e = (h >> 10) & 31, m = h & 1023;
  double v = e == 31 ? (m ? NAN : INFINITY) : e == 0 ? std::ldexp(m, -24) : std::ldexp(1024 + m, e - 25);
  return (h & 0x8000) ? -v : v;
}

TEST(DecodeTest, Float16AllCodesMatchReference) {
  std::vector<uint16_t> codes(65536);
  for (size_t i = 0; i < codes.size(); ++i) codes[i] = static_cast<uint16_t>(i);
  std::vector<std::byte> bytes(codes.size() * 2);
  std::memcpy(bytes.data(), codes.data(), bytes.size());
  auto v = DecodeAll({DType::kFloat16, std::nullopt}, bytes, codes.size());
  for (size_t i = 0; i < codes.size(); ++i) {
    const double want = ReferenceHalf(codes[i]);
    if (std::isnan(want)) {
      EXPECT_TRUE(std::isnan(v[i])) << i;
    } else {
      ASSERT_EQ(v[i], want) << i;
      ASSERT_EQ(std::signbit(v[i]), std::signbit(want)) << i;
    }
  }
}

TEST(DecodeTest, BFloat16) {
  auto v = DecodeU16(DType::kBFloat16, {0x3F80, 0xC040, 0x7F80, 0x0001, 0x4049});
  EXPECT_EQ(v, (std::vector<double>{1.0, -3.0, INFINITY, 0x1p-133, 3.140625}));
  EXPECT_TRUE(std::isnan(DecodeU16(DType::kBFloat16, {0x7FC0})[0]));
}

TEST(DecodeTest, Float8E4m3fnHasNoInfinity) {
  auto v = DecodeBytes(DType::kFloat8_e4m3fn, {0x7E, 0xFE, 0x38, 0x78, 0x01, 0x80});
  EXPECT_EQ(v, (std::vector<double>{448.0, -448.0, 1.0, 256.0, 0x1p-9, -0.0}));
  EXPECT_TRUE(std::signbit(v[5]));
  for (double nan : DecodeBytes(DType::kFloat8_e4m3fn, {0x7F, 0xFF})) EXPECT_TRUE(std::isnan(nan));
}

TEST(DecodeTest, Float8E5m2IsIeeeLike) {
  auto v = DecodeBytes(DType::kFloat8_e5m2, {0x7C, 0xFC, 0x7B, 0x3C, 0x01, 0xC0});
  EXPECT_EQ(v, (std::vector<double>{INFINITY, -INFINITY, 57344.0, 1.0, 0x1p-16, -2.0}));
  for (double nan : DecodeBytes(DType::kFloat8_e5m2, {0x7D, 0x7F, 0xFE})) EXPECT_TRUE(std::isnan(nan));
}

TEST(DecodeTest, Float8FnuzOnlyNaNIsNegativeZero) {
  auto v = DecodeBytes(DType::kFloat8_e4m3fnuz, {0x00, 0x7F, 0xFF, 0x40, 0x01});
  EXPECT_EQ(v, (std::vector<double>{0.0, 240.0, -240.0, 1.0, 0x1p-10}));
  EXPECT_TRUE(std::isnan(DecodeBytes(DType::kFloat8_e4m3fnuz, {0x80})[0]));
  v = DecodeBytes(DType::kFloat8_e5m2fnuz, {0x7F, 0x7C, 0x40, 0xC0, 0x01});
  EXPECT_EQ(v, (std::vector<double>{57344.0, 32768.0, 1.0, -1.0, 0x1p-17}));
  EXPECT_TRUE(std::isnan(DecodeBytes(DType::kFloat8_e5m2fnuz, {0x80})[0]));
}

TEST(DecodeTest, Float8E8m0IsAPowerOfTwo) {
  auto v = DecodeBytes(DType::kFloat8_e8m0fnu, {0x7F, 0x80, 0x00, 0xFE});
  EXPECT_EQ(v, (std::vector<double>{1.0, 2.0, 0x1p-127, 0x1p127}));
  EXPECT_TRUE(std::isnan(DecodeBytes(DType::kFloat8_e8m0fnu, {0xFF})[0]));
}

TEST(DecodeTest, Float4PacksLowNibbleFirst) {
  // Codes 0..7: 0, 0.5, 1, 1.5, 2, 3, 4, 6; the sign is bit 3.
  auto v = DecodeAll({DType::kFloat4_e2m1fn, std::nullopt}, Hex({0x10, 0x32, 0x54, 0x76, 0xF8}), 10);
  EXPECT_EQ(v, (std::vector<double>{0, 0.5, 1, 1.5, 2, 3, 4, 6, -0.0, -6}));
  EXPECT_TRUE(std::signbit(v[8]));
  // torch's float4_e2m1fn_x2: one element, two values.
  EXPECT_EQ(ValuesPerElement(DType::kFloat4_e2m1fn_x2), 2u);
  EXPECT_EQ(ValueBits(DType::kFloat4_e2m1fn_x2), 4u);
  EXPECT_EQ(DecodeAll({DType::kFloat4_e2m1fn_x2, std::nullopt}, Hex({0x72}), 2),
            (std::vector<double>{1.0, 6.0}));
}

TEST(DecodeTest, Float6PacksFourValuesInThreeBytes) {
  // e2m3 codes 0x08 (1.0), 0x1F (7.5), 0x01 (0.125), 0x3F (-7.5): 0x08 | 0x1F<<6 | 0x01<<12 | 0x3F<<18.
  auto bytes = Hex({0xC8, 0x17, 0xFC});
  EXPECT_EQ(DecodeAll({DType::kFloat6_e2m3, std::nullopt}, bytes, 4),
            (std::vector<double>{1.0, 7.5, 0.125, -7.5}));
  // e3m2 of the same codes: 0x08 = 0 010 00 (0.5), 0x1F = 28, 0x01 = 2^-4, 0x3F = -28.
  EXPECT_EQ(DecodeAll({DType::kFloat6_e3m2, std::nullopt}, bytes, 4),
            (std::vector<double>{0.5, 28.0, 0.0625, -28.0}));
  EXPECT_EQ(*DecodeValue({DType::kFloat6_e2m3, std::nullopt}, bytes, 1), 7.5);
  EXPECT_EQ(*DecodeValue({DType::kFloat6_e2m3, std::nullopt}, bytes, 3), -7.5);
}

TEST(DecodeTest, IntegersAndBool) {
  EXPECT_EQ(DecodeBytes(DType::kInt8, {0xFF, 0x80, 0x7F}), (std::vector<double>{-1, -128, 127}));
  EXPECT_EQ(DecodeBytes(DType::kUInt8, {0xFF, 0x80}), (std::vector<double>{255, 128}));
  EXPECT_EQ(DecodeBytes(DType::kBool, {0, 1, 2}), (std::vector<double>{0, 1, 1}));
  EXPECT_EQ(DecodeU16(DType::kInt16, {0x8000, 0x0102}), (std::vector<double>{-32768, 258}));
  EXPECT_EQ(DecodeU16(DType::kUInt16, {0x8000}), (std::vector<double>{32768}));
  EXPECT_EQ(DecodeAll({DType::kInt32, std::nullopt}, BytesOf<int32_t>({-7, 1 << 30}), 2),
            (std::vector<double>{-7, 1 << 30}));
  EXPECT_EQ(DecodeAll({DType::kInt64, std::nullopt}, BytesOf<int64_t>({-(int64_t{1} << 40)}), 1),
            (std::vector<double>{-0x1p40}));
  EXPECT_EQ(DecodeAll({DType::kUInt64, std::nullopt}, BytesOf<uint64_t>({~uint64_t{0}}), 1),
            (std::vector<double>{0x1p64}));
  EXPECT_EQ(DecodeAll({DType::kUInt32, std::nullopt}, BytesOf<uint32_t>({0xFFFFFFFFu}), 1),
            (std::vector<double>{4294967295.0}));
}

TEST(DecodeTest, ComplexDecodesToMagnitude) {
  EXPECT_EQ(DecodeAll({DType::kComplex64, std::nullopt}, BytesOf<float>({3, 4, 0, -2}), 2),
            (std::vector<double>{5, 2}));
  EXPECT_EQ(DecodeAll({DType::kComplex128, std::nullopt}, BytesOf<double>({-5, 12}), 1),
            (std::vector<double>{13}));
  EXPECT_EQ(DecodeAll({DType::kComplex32, std::nullopt}, BytesOf<uint16_t>({0x4200, 0x4400}), 1),
            (std::vector<double>{5}));  // 3 + 4i in halves
}

TEST(DecodeTest, QuantizedPerTensorAffine) {
  TensorRef t;
  t.dtype = DType::kQInt8;
  t.quant = QuantParams{.scheme = "per_tensor_affine", .scale = 0.5, .zero_point = -2};
  DecodeSpec spec = DecodeSpecFor(t);
  ASSERT_TRUE(spec.affine.has_value());
  EXPECT_EQ(DecodeAll(spec, Hex({0x04, 0xFE, 0x80}), 3), (std::vector<double>{3.0, 0.0, -63.0}));
  // Per-channel scales live in another tensor: the stored integers are returned.
  t.quant->scheme = "per_channel_affine";
  EXPECT_FALSE(DecodeSpecFor(t).affine.has_value());
  EXPECT_EQ(DecodeAll(DecodeSpecFor(t), Hex({0x04, 0xFE}), 2), (std::vector<double>{4, -2}));
  // Plain int8 ignores stray quant params.
  t.dtype = DType::kInt8;
  t.quant->scheme = "per_tensor_affine";
  EXPECT_FALSE(DecodeSpecFor(t).affine.has_value());
}

TEST(DecodeTest, QuantizedSubByteAndWideTypes) {
  EXPECT_EQ(DecodeAll({DType::kQUInt4x2, std::nullopt}, Hex({0x3A}), 2), (std::vector<double>{10, 3}));
  EXPECT_EQ(DecodeAll({DType::kQUInt2x4, std::nullopt}, Hex({0xE4}), 4),
            (std::vector<double>{0, 1, 2, 3}));
  EXPECT_EQ(DecodeAll({DType::kQUInt4x2, AffineQuant{0.25, 8}}, Hex({0x3A}), 2),
            (std::vector<double>{0.5, -1.25}));
  EXPECT_EQ(DecodeAll({DType::kQInt32, AffineQuant{2.0, 0}}, BytesOf<int32_t>({-3}), 1),
            (std::vector<double>{-6}));
  EXPECT_EQ(DecodeBytes(DType::kQUInt8, {0xFF}), (std::vector<double>{255}));
  EXPECT_EQ(DecodeU16(DType::kBits16, {0xFFFF}), (std::vector<double>{65535}));
}

TEST(DecodeTest, ShortInputIsAnError) {
  std::vector<double> out(3);
  Status s = DecodeValues({DType::kFloat32, std::nullopt}, Hex({0, 0, 0, 0, 0, 0, 0, 0}), out);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "8 bytes hold fewer than 3 float32 values");
  // 3 bytes hold exactly four float6 values, not five.
  std::vector<double> five(5);
  EXPECT_FALSE(DecodeValues({DType::kFloat6_e3m2, std::nullopt}, Hex({0, 0, 0}), five).ok());
  EXPECT_FALSE(DecodeValue({DType::kFloat6_e3m2, std::nullopt}, Hex({0, 0, 0}), 4).ok());
  EXPECT_EQ(*DecodeValue({DType::kFloat32, std::nullopt}, BytesOf<float>({1.5f, -2.5f}), 1), -2.5);
}

}  // namespace
}  // namespace gitmodel
