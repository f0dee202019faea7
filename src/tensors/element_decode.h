// Decoding stored elements to double, for statistics and display.
//
// Input is contiguous little-endian bytes as ForEachContiguousChunk delivers them. Values are
// exact (every supported dtype but int64/uint64 beyond 2^53 fits a double), with each format's own
// NaN and infinity rules:
//   float16, bfloat16, float8_e5m2: IEEE-style, all-ones exponent is inf (mantissa 0) or NaN.
//   float8_e4m3fn: no infinities; 0x7f and 0xff are NaN.
//   float8_e4m3fnuz, float8_e5m2fnuz: no infinities, no -0; 0x80 is the only NaN.
//   float8_e8m0fnu: 2^(e - 127), unsigned; 0xff is NaN.
//   float4_e2m1fn, float6_e2m3, float6_e3m2: finite only (no inf, no NaN).
//
// "Values" differ from torch elements in one case: a float4_e2m1fn_x2 element is a byte holding
// two float4 values, and decodes to two values (low nibble first).
// Sub-byte values (float4, float6, quint4x2, quint2x4) are packed little-endian first: value i
// occupies bits [i*bits, (i+1)*bits) of the byte string read as one little-endian number, i.e. the
// first value sits in the lowest bits of the first byte. This is torch's packing for quint4x2,
// quint2x4 and float4_e2m1fn_x2; safetensors does not specify one for F4/F6 and this follows the
// same convention.
//
// Complex values decode to their magnitude |z|. bool decodes to 0 or 1 (any non-zero byte is 1).
// bits8/bits16 decode as unsigned integers. Quantized tensors decode as (q - zero_point) * scale
// when per-tensor affine; other schemes (per-channel) decode as the stored integer q, because the
// per-channel scales live in another tensor.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "gitmodel/checkpoint.h"
#include "gitmodel/dtype.h"
#include "gitmodel/status.h"

namespace gitmodel {

struct AffineQuant {
  double scale = 1.0;
  int64_t zero_point = 0;
};

// What decoding needs to know about a tensor.
struct DecodeSpec {
  DType dtype = DType::kFloat32;
  std::optional<AffineQuant> affine;  // set for per-tensor affine quantized tensors only
};

DecodeSpec DecodeSpecFor(const TensorRef& t);

// Values one element holds: 2 for float4_e2m1fn_x2, 1 for every other dtype.
uint32_t ValuesPerElement(DType dtype);
// Bits of one value: Info(dtype).bits / ValuesPerElement(dtype).
uint32_t ValueBits(DType dtype);

// Decodes the first out.size() values of `bytes` into `out`. Error (kInvalidArgument) when
// `bytes` is too short to hold them. Thread-safe.
Status DecodeValues(const DecodeSpec& spec, std::span<const std::byte> bytes, std::span<double> out);

// Decodes value `index` of `bytes`; error when `bytes` does not hold it.
Result<double> DecodeValue(const DecodeSpec& spec, std::span<const std::byte> bytes, uint64_t index);

}  // namespace gitmodel
