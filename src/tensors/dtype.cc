#include "gitmodel/dtype.h"

#include <array>
#include <cstddef>

namespace gitmodel {
namespace {

using K = DTypeKind;

// Indexed by DType; the static_assert below keeps it in step with the enum.
constexpr std::array kInfo = {
    DTypeInfo{"float64", "F64", 64, K::kFloat},
    DTypeInfo{"float32", "F32", 32, K::kFloat},
    DTypeInfo{"float16", "F16", 16, K::kFloat},
    DTypeInfo{"bfloat16", "BF16", 16, K::kFloat},
    DTypeInfo{"float8_e4m3fn", "F8_E4M3", 8, K::kFloat},
    DTypeInfo{"float8_e5m2", "F8_E5M2", 8, K::kFloat},
    DTypeInfo{"float8_e4m3fnuz", "F8_E4M3FNUZ", 8, K::kFloat},
    DTypeInfo{"float8_e5m2fnuz", "F8_E5M2FNUZ", 8, K::kFloat},
    DTypeInfo{"float8_e8m0fnu", "F8_E8M0", 8, K::kFloat},
    DTypeInfo{"float4_e2m1fn", "F4", 4, K::kFloat},
    DTypeInfo{"float4_e2m1fn_x2", "", 8, K::kFloat},
    DTypeInfo{"float6_e2m3", "F6_E2M3", 6, K::kFloat},
    DTypeInfo{"float6_e3m2", "F6_E3M2", 6, K::kFloat},
    DTypeInfo{"complex128", "", 128, K::kComplex},
    DTypeInfo{"complex64", "C64", 64, K::kComplex},
    DTypeInfo{"complex32", "", 32, K::kComplex},
    DTypeInfo{"int64", "I64", 64, K::kSignedInt},
    DTypeInfo{"int32", "I32", 32, K::kSignedInt},
    DTypeInfo{"int16", "I16", 16, K::kSignedInt},
    DTypeInfo{"int8", "I8", 8, K::kSignedInt},
    DTypeInfo{"uint64", "U64", 64, K::kUnsignedInt},
    DTypeInfo{"uint32", "U32", 32, K::kUnsignedInt},
    DTypeInfo{"uint16", "U16", 16, K::kUnsignedInt},
    DTypeInfo{"uint8", "U8", 8, K::kUnsignedInt},
    DTypeInfo{"bool", "BOOL", 8, K::kBool},
    DTypeInfo{"qint8", "", 8, K::kQuantized},
    DTypeInfo{"quint8", "", 8, K::kQuantized},
    DTypeInfo{"qint32", "", 32, K::kQuantized},
    // torch packs these flat, first value in the lowest bits; shapes count values.
    DTypeInfo{"quint4x2", "", 4, K::kQuantized},
    DTypeInfo{"quint2x4", "", 2, K::kQuantized},
    DTypeInfo{"bits8", "", 8, K::kBits},
    DTypeInfo{"bits16", "", 16, K::kBits},
};
static_assert(kInfo.size() == static_cast<size_t>(DType::kBits16) + 1);

struct Alias {
  std::string_view name;
  DType dtype;
};
// torch's attribute aliases (torch.float is torch.float32, ...).
constexpr Alias kTorchAliases[] = {
    {"float", DType::kFloat32},   {"double", DType::kFloat64},     {"half", DType::kFloat16},
    {"long", DType::kInt64},      {"int", DType::kInt32},          {"short", DType::kInt16},
    {"cfloat", DType::kComplex64}, {"cdouble", DType::kComplex128}, {"chalf", DType::kComplex32},
};

// torch's typed storage classes (torch.FloatStorage ...); UntypedStorage has no dtype.
constexpr Alias kStorageClasses[] = {
    {"DoubleStorage", DType::kFloat64},         {"FloatStorage", DType::kFloat32},
    {"HalfStorage", DType::kFloat16},           {"BFloat16Storage", DType::kBFloat16},
    {"LongStorage", DType::kInt64},             {"IntStorage", DType::kInt32},
    {"ShortStorage", DType::kInt16},            {"CharStorage", DType::kInt8},
    {"ByteStorage", DType::kUInt8},             {"BoolStorage", DType::kBool},
    {"ComplexDoubleStorage", DType::kComplex128}, {"ComplexFloatStorage", DType::kComplex64},
    {"QInt8Storage", DType::kQInt8},            {"QUInt8Storage", DType::kQUInt8},
    {"QInt32Storage", DType::kQInt32},          {"QUInt4x2Storage", DType::kQUInt4x2},
    {"QUInt2x4Storage", DType::kQUInt2x4},
};

template <typename Field>
std::optional<DType> FindInfo(std::string_view name, Field field) {
  if (name.empty()) return std::nullopt;
  for (size_t i = 0; i < kInfo.size(); ++i) {
    if (kInfo[i].*field == name) return static_cast<DType>(i);
  }
  return std::nullopt;
}

template <size_t N>
std::optional<DType> FindAlias(const Alias (&table)[N], std::string_view name) {
  for (const Alias& a : table) {
    if (a.name == name) return a.dtype;
  }
  return std::nullopt;
}

}  // namespace

const DTypeInfo& Info(DType dtype) {
  const auto i = static_cast<size_t>(dtype);
  // An out-of-range enum value can only come from a cast bug; fall back to bytes, not UB.
  return i < kInfo.size() ? kInfo[i] : kInfo[static_cast<size_t>(DType::kUInt8)];
}

std::optional<uint64_t> ByteSize(DType dtype, uint64_t numel) {
  // Whole groups of 8 elements take exactly `bits` bytes; splitting this way overflows only
  // when the answer itself does not fit.
  const uint64_t bits = Info(dtype).bits;
  const uint64_t groups = numel / 8;
  const uint64_t tail = (numel % 8 * bits + 7) / 8;
  if (groups > (UINT64_MAX - tail) / bits) return std::nullopt;
  return groups * bits + tail;
}

std::optional<DType> DTypeFromTorchName(std::string_view name) {
  if (name.starts_with("torch.")) name.remove_prefix(6);
  if (auto d = FindInfo(name, &DTypeInfo::torch_name)) return d;
  return FindAlias(kTorchAliases, name);
}

std::optional<DType> DTypeFromSafetensors(std::string_view name) {
  return FindInfo(name, &DTypeInfo::safetensors_name);
}

std::optional<DType> DTypeFromStorageClass(std::string_view class_name) {
  return FindAlias(kStorageClasses, class_name);
}

}  // namespace gitmodel
