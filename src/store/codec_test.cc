#include "store/codec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

namespace gitmodel {
namespace {

using Bytes = std::vector<std::byte>;

Bytes RandomBytes(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Bytes out(n);
  for (auto& b : out) b = static_cast<std::byte>(rng());
  return out;
}

uint16_t ToBf16(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return static_cast<uint16_t>((u + 0x7fff + ((u >> 16) & 1)) >> 16);
}

// Weights as training leaves them: N(0, 0.02), as bf16 (2 bytes) or f32 (4 bytes).
Bytes NormalWeights(size_t count, size_t width, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0.0f, 0.02f);
  Bytes out(count * width);
  for (size_t i = 0; i < count; ++i) {
    const float f = normal(rng);
    const uint16_t half = ToBf16(f);
    std::memcpy(out.data() + i * width, width == 2 ? static_cast<const void*>(&half) : &f, width);
  }
  return out;
}

std::span<const std::byte> PayloadOf(const EncodedChunk& chunk) { return std::as_bytes(std::span(chunk.payload)); }

EncodedChunk RoundTrip(const Bytes& raw, uint8_t element_bytes) {
  EncodedChunk chunk = EncodeChunk(raw, {.element_bytes = element_bytes});
  Bytes back(raw.size(), std::byte{0x5a});
  Status decoded = DecodeChunk(chunk.codec, chunk.element_bytes, PayloadOf(chunk), back);
  EXPECT_TRUE(decoded.ok()) << decoded.message();
  EXPECT_EQ(back, raw);
  EXPECT_LE(chunk.payload.size(), raw.size());
  return chunk;
}

TEST(CodecTest, RandomBytesStayRaw) {
  for (uint8_t width : {0, 2, 4, 8}) {
    EncodedChunk chunk = RoundTrip(RandomBytes(100000, width), width);
    EXPECT_EQ(chunk.codec, Codec::kRaw);
    EXPECT_EQ(chunk.element_bytes, 0);
  }
}

TEST(CodecTest, ZerosCompressWithEitherCodec) {
  EncodedChunk plain = RoundTrip(Bytes(1 << 20), 0);
  EXPECT_EQ(plain.codec, Codec::kZstd);
  EncodedChunk planes = RoundTrip(Bytes(1 << 20), 4);
  EXPECT_EQ(planes.codec, Codec::kBytePlanes);
  EXPECT_EQ(planes.element_bytes, 4);
  EXPECT_LT(planes.payload.size(), 1000u);
}

TEST(CodecTest, FloatWeightsUseBytePlanes) {
  EncodedChunk bf16 = RoundTrip(NormalWeights(200000, 2, 1), 2);
  EXPECT_EQ(bf16.codec, Codec::kBytePlanes);
  EXPECT_LT(bf16.payload.size(), 0.75 * 400000);  // the exponent plane compresses, the mantissa not
  EncodedChunk f32 = RoundTrip(NormalWeights(100000, 4, 2), 4);
  EXPECT_EQ(f32.codec, Codec::kBytePlanes);
  EXPECT_LT(f32.payload.size(), 0.9 * 400000);
  EncodedChunk as_f64 = RoundTrip(NormalWeights(100000, 4, 3), 8);  // any 8-byte grouping decodes
  EXPECT_EQ(as_f64.element_bytes, 8);
}

TEST(CodecTest, SizesThatAreNotAMultipleOfTheElementFallBackToZstd) {
  Bytes raw = NormalWeights(100000, 2, 4);
  raw.push_back(std::byte{1});
  EncodedChunk chunk = RoundTrip(raw, 2);
  EXPECT_EQ(chunk.codec, Codec::kZstd);
  EXPECT_EQ(chunk.element_bytes, 0);
  EXPECT_EQ(RoundTrip(Bytes(7, std::byte{3}), 4).codec, Codec::kRaw);  // too small to compress
}

TEST(CodecTest, EmptyChunkIsRaw) {
  for (uint8_t width : {0, 2}) {
    EncodedChunk chunk = RoundTrip({}, width);
    EXPECT_EQ(chunk.codec, Codec::kRaw);
    EXPECT_TRUE(chunk.payload.empty());
  }
}

TEST(CodecTest, EncodingIsDeterministic) {
  const Bytes raw = NormalWeights(50000, 2, 5);
  EXPECT_EQ(EncodeChunk(raw, {.element_bytes = 2}).payload, EncodeChunk(raw, {.element_bytes = 2}).payload);
}

Code DecodeCode(Codec codec, uint8_t width, std::string_view payload, size_t raw_size) {
  Bytes out(raw_size);
  Status status = DecodeChunk(codec, width, std::as_bytes(std::span(payload)), out);
  if (!status.ok()) {
    EXPECT_EQ(status.message().find('\n'), std::string::npos) << status.message();
  }
  return status.code();
}

TEST(CodecTest, TruncatedPayloadsAreCorrupt) {
  const Bytes raw = NormalWeights(20000, 2, 6);
  for (uint8_t width : {0, 2}) {
    EncodedChunk chunk = EncodeChunk(raw, {.element_bytes = width});
    ASSERT_NE(chunk.codec, Codec::kRaw);
    for (size_t keep : {size_t{0}, size_t{3}, size_t{8}, size_t{12}, chunk.payload.size() / 2, chunk.payload.size() - 1}) {
      EXPECT_EQ(DecodeCode(chunk.codec, chunk.element_bytes, std::string_view(chunk.payload).substr(0, keep), raw.size()),
                Code::kCorrupt)
          << "width " << int(width) << " keep " << keep;
    }
    EXPECT_EQ(DecodeCode(chunk.codec, chunk.element_bytes, chunk.payload + "x", raw.size()), Code::kCorrupt);
  }
  EXPECT_EQ(DecodeCode(Codec::kRaw, 0, "abc", 4), Code::kCorrupt);
}

TEST(CodecTest, WrongSizesAreCorrupt) {
  const Bytes raw = NormalWeights(20000, 2, 7);
  EncodedChunk chunk = EncodeChunk(raw, {.element_bytes = 2});
  ASSERT_EQ(chunk.codec, Codec::kBytePlanes);
  EXPECT_EQ(DecodeCode(chunk.codec, 2, chunk.payload, raw.size() - 2), Code::kCorrupt);
  EXPECT_EQ(DecodeCode(chunk.codec, 2, chunk.payload, raw.size() + 2), Code::kCorrupt);
  EXPECT_EQ(DecodeCode(chunk.codec, 4, chunk.payload, raw.size()), Code::kCorrupt);
  EXPECT_EQ(DecodeCode(chunk.codec, 3, chunk.payload, raw.size()), Code::kCorrupt);
  EXPECT_EQ(DecodeCode(chunk.codec, 2, chunk.payload, raw.size() + 1), Code::kCorrupt);
  EXPECT_EQ(DecodeCode(static_cast<Codec>(7), 0, chunk.payload, raw.size()), Code::kCorrupt);
  // Frame sizes that point past the payload, into the next frame, or at zero bytes.
  for (uint64_t frame_size : {uint64_t{0}, uint64_t{5}, uint64_t{chunk.payload.size()}, ~uint64_t{0}}) {
    std::string bad = chunk.payload;
    std::memcpy(bad.data(), &frame_size, 8);
    EXPECT_EQ(DecodeCode(chunk.codec, 2, bad, raw.size()), Code::kCorrupt) << frame_size;
  }
}

TEST(CodecTest, BitFlipsNeverDecodeSilentlyOrCrash) {
  const Bytes raw = NormalWeights(4000, 2, 8);
  for (uint8_t width : {0, 2}) {
    EncodedChunk chunk = EncodeChunk(raw, {.element_bytes = width});
    std::mt19937 rng(width);
    for (int trial = 0; trial < 300; ++trial) {
      std::string bad = chunk.payload;
      bad[rng() % bad.size()] ^= static_cast<char>(1 << (rng() % 8));
      Bytes out(raw.size());
      Status status = DecodeChunk(chunk.codec, chunk.element_bytes, std::as_bytes(std::span(bad)), out);
      // No zstd checksum: a flip in a literal can decode to other bytes. That is fine (the store
      // re-hashes); what is not fine is a crash, an overrun or a multi-line message.
      if (!status.ok()) {
        EXPECT_EQ(status.code(), Code::kCorrupt);
      }
    }
  }
}

TEST(CodecTest, XorIntoHandlesTailsAndIsItsOwnInverse) {
  for (size_t n : {0, 1, 7, 8, 9, 31, 1000}) {
    const Bytes a = RandomBytes(n, n);
    const Bytes b = RandomBytes(n, n + 100);
    Bytes x = a;
    XorInto(x, b);
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(x[i], a[i] ^ b[i]) << n << " " << i;
    XorInto(x, b);
    EXPECT_EQ(x, a);
  }
}

}  // namespace
}  // namespace gitmodel
