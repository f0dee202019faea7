#include "gitmodel/dtype.h"

#include <gtest/gtest.h>

namespace gitmodel {
namespace {

TEST(DtypeTest, InfoMatchesTorchAndSafetensorsNames) {
  EXPECT_EQ(Info(DType::kFloat32).torch_name, "float32");
  EXPECT_EQ(Info(DType::kFloat32).safetensors_name, "F32");
  EXPECT_EQ(Info(DType::kBFloat16).bits, 16u);
  EXPECT_EQ(Info(DType::kFloat8_e4m3fn).safetensors_name, "F8_E4M3");
  EXPECT_EQ(Info(DType::kFloat4_e2m1fn).bits, 4u);
  EXPECT_EQ(Info(DType::kFloat4_e2m1fn_x2).bits, 8u);
  EXPECT_EQ(Info(DType::kFloat6_e3m2).bits, 6u);
  EXPECT_EQ(Info(DType::kComplex128).bits, 128u);
  EXPECT_EQ(Info(DType::kComplex128).kind, DTypeKind::kComplex);
  EXPECT_EQ(Info(DType::kQInt32).kind, DTypeKind::kQuantized);
  EXPECT_EQ(Info(DType::kBits16).kind, DTypeKind::kBits);
  EXPECT_EQ(Name(DType::kFloat8_e8m0fnu), "float8_e8m0fnu");
  EXPECT_EQ(Name(DType::kQUInt4x2), "quint4x2");
}

TEST(DtypeTest, EveryTorchNameRoundTrips) {
  for (int i = 0; i <= static_cast<int>(DType::kBits16); ++i) {
    const auto d = static_cast<DType>(i);
    EXPECT_EQ(DTypeFromTorchName(Name(d)), d) << Name(d);
    const std::string_view st = Info(d).safetensors_name;
    if (!st.empty()) {
      EXPECT_EQ(DTypeFromSafetensors(st), d) << st;
    }
  }
}

TEST(DtypeTest, TorchAliases) {
  EXPECT_EQ(DTypeFromTorchName("float"), DType::kFloat32);
  EXPECT_EQ(DTypeFromTorchName("double"), DType::kFloat64);
  EXPECT_EQ(DTypeFromTorchName("half"), DType::kFloat16);
  EXPECT_EQ(DTypeFromTorchName("long"), DType::kInt64);
  EXPECT_EQ(DTypeFromTorchName("int"), DType::kInt32);
  EXPECT_EQ(DTypeFromTorchName("short"), DType::kInt16);
  EXPECT_EQ(DTypeFromTorchName("cfloat"), DType::kComplex64);
  EXPECT_EQ(DTypeFromTorchName("cdouble"), DType::kComplex128);
  EXPECT_EQ(DTypeFromTorchName("chalf"), DType::kComplex32);
  EXPECT_EQ(DTypeFromTorchName("torch.bfloat16"), DType::kBFloat16);
  EXPECT_EQ(DTypeFromTorchName("float128"), std::nullopt);
  EXPECT_EQ(DTypeFromTorchName(""), std::nullopt);
  EXPECT_EQ(DTypeFromTorchName("F32"), std::nullopt);
}

TEST(DtypeTest, SafetensorsNames) {
  EXPECT_EQ(DTypeFromSafetensors("BOOL"), DType::kBool);
  EXPECT_EQ(DTypeFromSafetensors("U8"), DType::kUInt8);
  EXPECT_EQ(DTypeFromSafetensors("I8"), DType::kInt8);
  EXPECT_EQ(DTypeFromSafetensors("C64"), DType::kComplex64);
  EXPECT_EQ(DTypeFromSafetensors("F8_E4M3"), DType::kFloat8_e4m3fn);
  EXPECT_EQ(DTypeFromSafetensors("F8_E5M2FNUZ"), DType::kFloat8_e5m2fnuz);
  EXPECT_EQ(DTypeFromSafetensors("F8_E8M0"), DType::kFloat8_e8m0fnu);
  EXPECT_EQ(DTypeFromSafetensors("F4"), DType::kFloat4_e2m1fn);
  EXPECT_EQ(DTypeFromSafetensors("F6_E2M3"), DType::kFloat6_e2m3);
  EXPECT_EQ(DTypeFromSafetensors("f32"), std::nullopt);
  EXPECT_EQ(DTypeFromSafetensors(""), std::nullopt);
  EXPECT_EQ(DTypeFromSafetensors("float32"), std::nullopt);
}

TEST(DtypeTest, StorageClasses) {
  EXPECT_EQ(DTypeFromStorageClass("FloatStorage"), DType::kFloat32);
  EXPECT_EQ(DTypeFromStorageClass("CharStorage"), DType::kInt8);
  EXPECT_EQ(DTypeFromStorageClass("ByteStorage"), DType::kUInt8);
  EXPECT_EQ(DTypeFromStorageClass("BFloat16Storage"), DType::kBFloat16);
  EXPECT_EQ(DTypeFromStorageClass("ComplexDoubleStorage"), DType::kComplex128);
  EXPECT_EQ(DTypeFromStorageClass("QUInt2x4Storage"), DType::kQUInt2x4);
  EXPECT_EQ(DTypeFromStorageClass("UntypedStorage"), std::nullopt);
  EXPECT_EQ(DTypeFromStorageClass("TypedStorage"), std::nullopt);
  EXPECT_EQ(DTypeFromStorageClass("torch.FloatStorage"), std::nullopt);  // caller strips modules
}

TEST(DtypeTest, ByteSizeRoundsUpAndChecksOverflow) {
  EXPECT_EQ(ByteSize(DType::kFloat32, 3), 12u);
  EXPECT_EQ(ByteSize(DType::kComplex128, 2), 32u);
  EXPECT_EQ(ByteSize(DType::kFloat4_e2m1fn, 3), 2u);
  EXPECT_EQ(ByteSize(DType::kFloat6_e2m3, 4), 3u);
  EXPECT_EQ(ByteSize(DType::kFloat6_e2m3, 5), 4u);
  EXPECT_EQ(ByteSize(DType::kQUInt2x4, 5), 2u);
  EXPECT_EQ(ByteSize(DType::kFloat32, 0), 0u);
  EXPECT_EQ(ByteSize(DType::kUInt8, UINT64_MAX), UINT64_MAX);
  EXPECT_EQ(ByteSize(DType::kFloat4_e2m1fn, UINT64_MAX), UINT64_MAX / 2 + 1);
  EXPECT_EQ(ByteSize(DType::kInt16, UINT64_MAX / 2 + 1), std::nullopt);
  EXPECT_EQ(ByteSize(DType::kFloat32, UINT64_MAX / 4), UINT64_MAX - 3);
  EXPECT_EQ(ByteSize(DType::kFloat32, UINT64_MAX / 4 + 1), std::nullopt);
  EXPECT_EQ(ByteSize(DType::kFloat64, uint64_t{1} << 61), std::nullopt);
  EXPECT_EQ(ByteSize(DType::kFloat64, (uint64_t{1} << 59)), uint64_t{1} << 62);
}

}  // namespace
}  // namespace gitmodel
