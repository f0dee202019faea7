#include "tensors/element_decode.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

namespace gitmodel {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// How a small float format spends its top codes.
enum class Special {
  kIeee,    // all-ones exponent: inf (mantissa 0) or NaN
  kFn,      // no inf; all-ones exponent and mantissa is NaN
  kFnuz,    // no inf, no -0; sign bit alone (0x80) is NaN
  kFinite,  // every code is a finite number
};

struct Minifloat {
  int exp_bits;
  int man_bits;
  int bias;
  Special special;
};

double DecodeMinifloat(uint32_t code, Minifloat f) {
  const uint32_t man_mask = (1u << f.man_bits) - 1;
  const uint32_t exp_max = (1u << f.exp_bits) - 1;
  const bool negative = (code >> (f.exp_bits + f.man_bits)) & 1;
  const uint32_t e = (code >> f.man_bits) & exp_max;
  const uint32_t m = code & man_mask;
  if (f.special == Special::kFnuz && negative && e == 0 && m == 0) return kNaN;
  if (f.special == Special::kIeee && e == exp_max) return m ? kNaN : (negative ? -kInf : kInf);
  if (f.special == Special::kFn && e == exp_max && m == man_mask) return kNaN;
  const double v = e == 0 ? std::ldexp(m, 1 - f.bias - f.man_bits)
                          : std::ldexp(man_mask + 1 + m, static_cast<int>(e) - f.bias - f.man_bits);
  return negative ? -v : v;
}

template <size_t N>
std::array<double, N> MinifloatTable(Minifloat f) {
  std::array<double, N> t{};
  for (uint32_t c = 0; c < N; ++c) t[c] = DecodeMinifloat(c, f);
  return t;
}

template <size_t N>
std::array<double, N> IdentityTable() {
  std::array<double, N> t{};
  for (uint32_t c = 0; c < N; ++c) t[c] = c;
  return t;
}

// Every 8-bit and smaller format decodes by table lookup.
struct Tables {
  std::array<double, 256> e4m3fn = MinifloatTable<256>({4, 3, 7, Special::kFn});
  std::array<double, 256> e5m2 = MinifloatTable<256>({5, 2, 15, Special::kIeee});
  std::array<double, 256> e4m3fnuz = MinifloatTable<256>({4, 3, 8, Special::kFnuz});
  std::array<double, 256> e5m2fnuz = MinifloatTable<256>({5, 2, 16, Special::kFnuz});
  std::array<double, 256> e8m0 = E8m0Table();
  std::array<double, 16> e2m1 = MinifloatTable<16>({2, 1, 1, Special::kFinite});
  std::array<double, 64> e2m3 = MinifloatTable<64>({2, 3, 1, Special::kFinite});
  std::array<double, 64> e3m2 = MinifloatTable<64>({3, 2, 3, Special::kFinite});
  std::array<double, 16> uint4 = IdentityTable<16>();
  std::array<double, 4> uint2 = IdentityTable<4>();

  static std::array<double, 256> E8m0Table() {
    std::array<double, 256> t{};
    for (int c = 0; c < 255; ++c) t[c] = std::ldexp(1.0, c - 127);
    t[255] = kNaN;
    return t;
  }
};

const Tables& GetTables() {
  static const Tables tables;
  return tables;
}

template <typename T>
T Load(const std::byte* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// kHalfScale[e] = 2^(max(e, 1) - 25): a half with exponent field e is (mantissa with its implicit
// bit) * kHalfScale[e]. Integer-to-double conversion and one multiply, both exact, with no branch
// on the data (random signs and zeros would mispredict) and no subnormal float operands (slow).
constexpr std::array<double, 32> HalfScales() {
  std::array<double, 32> t{};
  for (int e = 0; e < 32; ++e) t[e] = 0x1p-24 * static_cast<double>(1u << (std::max(e, 1) - 1));
  return t;
}
constexpr std::array<double, 32> kHalfScale = HalfScales();

[[gnu::always_inline]] inline double HalfToDouble(uint16_t h) {
  const uint32_t e = (h >> 10) & 31u;
  const uint32_t m = h & 1023u;
  const uint64_t sign = static_cast<uint64_t>(h & 0x8000u) << 48;
  if (e == 31) [[unlikely]] {
    return std::bit_cast<double>(sign | (m ? 0x7ff8000000000000u : 0x7ff0000000000000u));
  }
  const uint32_t mantissa = m | static_cast<uint32_t>(e != 0) << 10;
  const double magnitude = static_cast<double>(mantissa) * kHalfScale[e];
  return std::bit_cast<double>(std::bit_cast<uint64_t>(magnitude) | sign);
}

[[gnu::always_inline]] inline double BFloat16ToDouble(uint16_t h) {
  return std::bit_cast<float>(static_cast<uint32_t>(h) << 16);
}

// out[i] = fn(p + i * width): one tight loop per dtype.
template <size_t Width, typename Fn>
void MapFixed(const std::byte* p, std::span<double> out, Fn fn) {
  for (size_t i = 0; i < out.size(); ++i) out[i] = fn(p + i * Width);
}

template <typename T>
void MapInt(const std::byte* p, std::span<double> out) {
  MapFixed<sizeof(T)>(p, out, [](const std::byte* q) { return static_cast<double>(Load<T>(q)); });
}

void MapTable8(const std::byte* p, std::span<double> out, const std::array<double, 256>& table) {
  const auto* u = reinterpret_cast<const uint8_t*>(p);
  for (size_t i = 0; i < out.size(); ++i) out[i] = table[u[i]];
}

// The code of packed value `index`, lowest bits first. Bits is 2, 4 or 6; only 6-bit values
// straddle bytes.
template <uint32_t Bits>
uint32_t PackedCode(const uint8_t* p, uint64_t index) {
  const uint64_t bit = index * Bits;
  const uint32_t shift = bit % 8;
  uint32_t v = p[bit / 8] >> shift;
  if (Bits == 6 && shift > 2) v |= static_cast<uint32_t>(p[bit / 8 + 1]) << (8 - shift);
  return v & ((1u << Bits) - 1);
}

uint32_t PackedCode(const uint8_t* p, uint64_t index, uint32_t bits) {
  switch (bits) {
    case 2: return PackedCode<2>(p, index);
    case 4: return PackedCode<4>(p, index);
    default: return PackedCode<6>(p, index);
  }
}

template <uint32_t Bits>
void MapPacked(const uint8_t* p, std::span<double> out, const double* table) {
  for (size_t i = 0; i < out.size(); ++i) out[i] = table[PackedCode<Bits>(p, i)];
}

void MapPacked(const std::byte* p, std::span<double> out, uint32_t bits, const double* table) {
  const auto* u = reinterpret_cast<const uint8_t*>(p);
  switch (bits) {
    case 2: return MapPacked<2>(u, out, table);
    case 4: return MapPacked<4>(u, out, table);
    default: return MapPacked<6>(u, out, table);
  }
}

// The table for a sub-byte dtype, or nullptr.
const double* PackedTable(DType dtype) {
  const Tables& t = GetTables();
  switch (dtype) {
    case DType::kFloat4_e2m1fn:
    case DType::kFloat4_e2m1fn_x2: return t.e2m1.data();
    case DType::kFloat6_e2m3: return t.e2m3.data();
    case DType::kFloat6_e3m2: return t.e3m2.data();
    case DType::kQUInt4x2: return t.uint4.data();
    case DType::kQUInt2x4: return t.uint2.data();
    default: return nullptr;
  }
}

// The 8-bit float table for dtype, or nullptr.
const std::array<double, 256>* Table8(DType dtype) {
  const Tables& t = GetTables();
  switch (dtype) {
    case DType::kFloat8_e4m3fn: return &t.e4m3fn;
    case DType::kFloat8_e5m2: return &t.e5m2;
    case DType::kFloat8_e4m3fnuz: return &t.e4m3fnuz;
    case DType::kFloat8_e5m2fnuz: return &t.e5m2fnuz;
    case DType::kFloat8_e8m0fnu: return &t.e8m0;
    default: return nullptr;
  }
}

double Complex128Abs(const std::byte* q) { return std::hypot(Load<double>(q), Load<double>(q + 8)); }
double Complex64Abs(const std::byte* q) {
  return std::hypot(double{Load<float>(q)}, double{Load<float>(q + 4)});
}
double Complex32Abs(const std::byte* q) {
  return std::hypot(HalfToDouble(Load<uint16_t>(q)), HalfToDouble(Load<uint16_t>(q + 2)));
}

void MapFloat(DType dtype, const std::byte* p, std::span<double> out) {
  switch (dtype) {
    case DType::kFloat64: return MapFixed<8>(p, out, [](const std::byte* q) { return Load<double>(q); });
    case DType::kFloat32:
      return MapFixed<4>(p, out, [](const std::byte* q) { return double{Load<float>(q)}; });
    case DType::kFloat16:
      return MapFixed<2>(p, out, [](const std::byte* q) { return HalfToDouble(Load<uint16_t>(q)); });
    case DType::kBFloat16:
      return MapFixed<2>(p, out, [](const std::byte* q) { return BFloat16ToDouble(Load<uint16_t>(q)); });
    case DType::kComplex128: return MapFixed<16>(p, out, Complex128Abs);
    case DType::kComplex64: return MapFixed<8>(p, out, Complex64Abs);
    case DType::kComplex32: return MapFixed<4>(p, out, Complex32Abs);
    default: return;
  }
}

void MapInteger(DType dtype, const std::byte* p, std::span<double> out) {
  switch (dtype) {
    case DType::kInt64: return MapInt<int64_t>(p, out);
    case DType::kInt32:
    case DType::kQInt32: return MapInt<int32_t>(p, out);
    case DType::kInt16: return MapInt<int16_t>(p, out);
    case DType::kInt8:
    case DType::kQInt8: return MapInt<int8_t>(p, out);
    case DType::kUInt64: return MapInt<uint64_t>(p, out);
    case DType::kUInt32: return MapInt<uint32_t>(p, out);
    case DType::kUInt16:
    case DType::kBits16: return MapInt<uint16_t>(p, out);
    case DType::kUInt8:
    case DType::kQUInt8:
    case DType::kBits8: return MapInt<uint8_t>(p, out);
    case DType::kBool:
      return MapFixed<1>(p, out, [](const std::byte* q) { return *q != std::byte{0} ? 1.0 : 0.0; });
    default: return;
  }
}

// Dispatches on dtype; bytes are known to hold out.size() values.
void MapValues(DType dtype, const std::byte* p, std::span<double> out) {
  if (const double* table = PackedTable(dtype)) return MapPacked(p, out, ValueBits(dtype), table);
  if (const auto* table = Table8(dtype)) return MapTable8(p, out, *table);
  const DTypeKind kind = Info(dtype).kind;
  if (kind == DTypeKind::kFloat || kind == DTypeKind::kComplex) return MapFloat(dtype, p, out);
  MapInteger(dtype, p, out);
}

void ApplyAffine(const AffineQuant& q, std::span<double> out) {
  const auto zero = static_cast<double>(q.zero_point);
  for (double& v : out) v = (v - zero) * q.scale;
}

}  // namespace

DecodeSpec DecodeSpecFor(const TensorRef& t) {
  DecodeSpec spec{t.dtype, std::nullopt};
  if (Info(t.dtype).kind == DTypeKind::kQuantized && t.quant &&
      t.quant->scheme.find("per_tensor") != std::string::npos) {
    spec.affine = AffineQuant{t.quant->scale, t.quant->zero_point};
  }
  return spec;
}

uint32_t ValuesPerElement(DType dtype) { return dtype == DType::kFloat4_e2m1fn_x2 ? 2 : 1; }

uint32_t ValueBits(DType dtype) { return Info(dtype).bits / ValuesPerElement(dtype); }

Status DecodeValues(const DecodeSpec& spec, std::span<const std::byte> bytes, std::span<double> out) {
  const uint64_t bits = ValueBits(spec.dtype);
  if (out.size() > bytes.size() * 8 / bits) {
    return InvalidArgument("{} bytes hold fewer than {} {} values", bytes.size(), out.size(),
                           Name(spec.dtype));
  }
  if (out.empty()) return OkStatus();
  MapValues(spec.dtype, bytes.data(), out);
  if (spec.affine) ApplyAffine(*spec.affine, out);
  return OkStatus();
}

Result<double> DecodeValue(const DecodeSpec& spec, std::span<const std::byte> bytes, uint64_t index) {
  const uint64_t bits = ValueBits(spec.dtype);
  if (index >= bytes.size() * 8 / bits) {
    return InvalidArgument("{} bytes hold no {} value {}", bytes.size(), Name(spec.dtype), index);
  }
  double value = 0;
  if (bits % 8 == 0) {
    GM_RETURN_IF_ERROR(DecodeValues(spec, bytes.subspan(index * bits / 8), std::span(&value, 1)));
    return value;
  }
  const auto* u = reinterpret_cast<const uint8_t*>(bytes.data());
  value = PackedTable(spec.dtype)[PackedCode(u, index, bits)];
  if (spec.affine) ApplyAffine(*spec.affine, std::span(&value, 1));
  return value;
}

}  // namespace gitmodel
