#include "store/codec_difference.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "base/testing/pseudo_random_bytes.h"
#include "store/codec.h"
#include "store/codec_store.h"

namespace gitmodel {
namespace {

using Bytes = std::vector<std::byte>;

Bytes RandomBytes(size_t n, uint32_t seed) { return testutil::PseudoRandomBytes(n, seed); }

// `base` with every element moved by a small signed step (wrapping at the integer's ends).
Bytes Moved(const Bytes& base, size_t width, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> step(-40, 40);
  Bytes out = base;
  for (size_t at = 0; at < out.size(); at += width) {
    uint64_t value = 0;
    std::memcpy(&value, out.data() + at, width);
    value += static_cast<uint64_t>(static_cast<int64_t>(step(rng)));
    std::memcpy(out.data() + at, &value, width);
  }
  return out;
}

TEST(CodecDifferenceTest, ZigzagMapsSmallMovesEitherWayToSmallNumbers) {
  EXPECT_EQ(Zigzag<uint16_t>(0), 0);
  EXPECT_EQ(Zigzag<uint16_t>(static_cast<uint16_t>(-1)), 1);
  EXPECT_EQ(Zigzag<uint16_t>(1), 2);
  EXPECT_EQ(Zigzag<uint16_t>(static_cast<uint16_t>(-2)), 3);
  EXPECT_EQ(Zigzag<uint16_t>(0x7fff), 0xfffe);
  EXPECT_EQ(Zigzag<uint16_t>(0x8000), 0xffff);
  EXPECT_EQ(Zigzag<uint64_t>(static_cast<uint64_t>(-3)), 5u);
  for (uint32_t v = 0; v <= 0xffff; ++v) {
    ASSERT_EQ(Unzigzag<uint16_t>(Zigzag<uint16_t>(static_cast<uint16_t>(v))), v);
  }
}

TEST(CodecDifferenceTest, AddDifferenceInvertsDifferenceForEveryWidthWithWrapAround) {
  for (size_t width : {2u, 4u, 8u}) {
    Bytes base = RandomBytes(width * 4099, width);
    std::memset(base.data(), 0xff, width);        // the top value: a step up wraps to 0
    std::memset(base.data() + width, 0, width);   // zero: a step down wraps to the top
    const Bytes raw = Moved(base, width, 7 + width);
    Bytes delta = base;
    DifferenceInto(delta, raw, width);
    Bytes rebuilt = base;
    AddDifferenceInto(rebuilt, delta, width);
    EXPECT_EQ(rebuilt, raw) << width;
    // Moves of at most 40 either way zigzag to at most 80: every high byte is zero.
    for (size_t at = 0; at < delta.size(); at += width) {
      for (size_t k = 1; k < width; ++k) ASSERT_EQ(delta[at + k], std::byte{0}) << width << " at " << at;
    }
  }
}

TEST(CodecDifferenceTest, DeltaDecodingAppliesTheDifferenceThroughEveryCodec) {
  const Bytes base = RandomBytes(2 * 30000, 1);
  const Bytes raw = Moved(base, 2, 2);
  Bytes delta = base;
  DifferenceInto(delta, raw, 2);
  const EncodedChunk planes = EncodeChunk(delta, {.element_bytes = 2});
  const EncodedChunk zstd = EncodeChunk(delta, {.element_bytes = 0});
  const EncodedChunk raw_codec{Codec::kRaw, 0, std::string(reinterpret_cast<const char*>(delta.data()), delta.size())};
  EXPECT_EQ(planes.codec, Codec::kBytePlanes);
  EXPECT_EQ(zstd.codec, Codec::kZstd);
  for (const EncodedChunk& chunk : {planes, zstd, raw_codec}) {
    Bytes out = base;
    Status decoded = DecodeChunkDelta(chunk.codec, chunk.element_bytes, std::as_bytes(std::span(chunk.payload)),
                                      DeltaOp::kDifference, 2, out);
    ASSERT_TRUE(decoded.ok()) << decoded.message();
    EXPECT_EQ(out, raw) << static_cast<int>(chunk.codec);
  }
}

TEST(CodecDifferenceTest, MismatchedElementSizesAreCorrupt) {
  const Bytes delta(4 * 1000);
  const EncodedChunk planes = EncodeChunk(delta, {.element_bytes = 4});
  Bytes out(delta.size());
  const auto payload = std::as_bytes(std::span(planes.payload));
  EXPECT_EQ(DecodeChunkDelta(planes.codec, 4, payload, DeltaOp::kDifference, 2, out).code(), Code::kCorrupt);
  EXPECT_EQ(DecodeChunkDelta(planes.codec, 4, payload, DeltaOp::kDifference, 3, out).code(), Code::kCorrupt);
  Bytes odd(4 * 1000 + 1);
  EXPECT_EQ(DecodeChunkDelta(Codec::kRaw, 0, std::as_bytes(std::span(odd)), DeltaOp::kDifference, 2, odd).code(),
            Code::kCorrupt);
  EXPECT_TRUE(DecodeChunkDelta(planes.codec, 4, payload, DeltaOp::kDifference, 4, out).ok());
}

}  // namespace
}  // namespace gitmodel
