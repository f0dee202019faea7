// Element types of tensors, named as torch names them (`float32`, `bfloat16`, `qint8`...).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace gitmodel {

enum class DType : uint8_t {
  kFloat64, kFloat32, kFloat16, kBFloat16,
  kFloat8_e4m3fn, kFloat8_e5m2, kFloat8_e4m3fnuz, kFloat8_e5m2fnuz, kFloat8_e8m0fnu,
  kFloat4_e2m1fn,               // 4 bits per element, two per byte (safetensors F4)
  kFloat4_e2m1fn_x2,            // torch's packed form: one element = one byte of two values
  kFloat6_e2m3, kFloat6_e3m2,   // 6-bit floats, packed (safetensors F6_*)
  kComplex128, kComplex64, kComplex32,
  kInt64, kInt32, kInt16, kInt8,
  kUInt64, kUInt32, kUInt16, kUInt8,
  kBool,
  kQInt8, kQUInt8, kQInt32, kQUInt4x2, kQUInt2x4,
  kBits8, kBits16,
};

enum class DTypeKind : uint8_t { kFloat, kComplex, kSignedInt, kUnsignedInt, kBool, kQuantized, kBits };

struct DTypeInfo {
  std::string_view torch_name;        // "float32"
  std::string_view safetensors_name;  // "F32", or empty when safetensors has no such dtype
  uint32_t bits;                      // bits per element (float4_e2m1fn 4; its _x2 packed form 8)
  DTypeKind kind;
};

const DTypeInfo& Info(DType dtype);
inline std::string_view Name(DType dtype) { return Info(dtype).torch_name; }

// Bytes needed for `numel` elements (rounded up for sub-byte types); nullopt on overflow.
std::optional<uint64_t> ByteSize(DType dtype, uint64_t numel);

std::optional<DType> DTypeFromTorchName(std::string_view name);        // "float32", "half" aliases too
std::optional<DType> DTypeFromSafetensors(std::string_view name);      // "F32"
// torch storage class names: "FloatStorage" -> float32, "QInt8Storage" -> qint8.
std::optional<DType> DTypeFromStorageClass(std::string_view class_name);

}  // namespace gitmodel
