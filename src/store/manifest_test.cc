// Manifests: the byte layout, round trips, and refusal of every truncation and malformed variant.
#include "store/manifest.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include <fmt/core.h>

#include "base/sha256.h"

namespace gitmodel {
namespace {

Digest Filled(uint8_t value) {
  Digest d;
  d.fill(value);
  return d;
}

Manifest Sample() {
  Manifest m;
  m.file_size = 10 + 400 + 3 + 5;
  m.file_sha256 = Filled(0xAB);
  m.chunks = {{Filled(1), 10, 0, ""},
              {Filled(2), 400, 4, "layer1.weight"},
              {Filled(3), 3, 2, "emb#1"},
              {Filled(4), 5, 8, "名前"}};
  return m;
}

void ExpectEqual(const Manifest& a, const Manifest& b) {
  EXPECT_EQ(a.file_size, b.file_size);
  EXPECT_EQ(a.file_sha256, b.file_sha256);
  ASSERT_EQ(a.chunks.size(), b.chunks.size());
  for (size_t i = 0; i < a.chunks.size(); ++i) {
    EXPECT_EQ(a.chunks[i].id, b.chunks[i].id) << i;
    EXPECT_EQ(a.chunks[i].length, b.chunks[i].length) << i;
    EXPECT_EQ(a.chunks[i].element_bytes, b.chunks[i].element_bytes) << i;
    EXPECT_EQ(a.chunks[i].name, b.chunks[i].name) << i;
  }
}

void ExpectCorrupt(std::string_view bytes, const std::string& what) {
  auto decoded = DecodeManifest(bytes);
  ASSERT_FALSE(decoded.ok()) << what;
  EXPECT_EQ(decoded.status().code(), Code::kCorrupt) << what;
  EXPECT_EQ(decoded.status().message().find('\n'), std::string::npos) << what;
  EXPECT_NE(decoded.status().message().find("manifest"), std::string::npos) << decoded.status().message();
}

void PutU32(std::string& bytes, size_t at, uint32_t v) { std::memcpy(bytes.data() + at, &v, 4); }
void PutU64(std::string& bytes, size_t at, uint64_t v) { std::memcpy(bytes.data() + at, &v, 8); }

constexpr size_t kHeader = 8 + 8 + 32 + 4;  // magic, size, sha, count
constexpr size_t kChunk0 = kHeader;        // the first chunk: id, length, element_bytes, name

TEST(Manifest, LayoutIsAsDocumented) {
  const std::string bytes = EncodeManifest(Sample());
  ASSERT_EQ(bytes.size(), kHeader + 4 * 45 + 0 + 13 + 5 + 6);
  EXPECT_EQ(bytes.substr(0, 8), "GMMANIF1");
  uint64_t size = 0;
  std::memcpy(&size, bytes.data() + 8, 8);
  EXPECT_EQ(size, 418u);
  EXPECT_EQ(static_cast<uint8_t>(bytes[16]), 0xAB);
  EXPECT_EQ(bytes.substr(48, 4), std::string("\x04\0\0\0", 4));
  // Second chunk: id 02..., length 400, element_bytes 4, name.
  const size_t second = kChunk0 + 45;
  EXPECT_EQ(bytes.substr(second, 32), std::string(32, '\x02'));
  EXPECT_EQ(bytes.substr(second + 32, 8), std::string("\x90\x01\0\0\0\0\0\0", 8));
  EXPECT_EQ(bytes[second + 40], '\x04');
  EXPECT_EQ(bytes.substr(second + 41, 4 + 13), std::string("\x0d\0\0\0layer1.weight", 17));
}

// The example in docs/formats.md ("Manifest"): the 6-byte file "hello\n", one unnamed chunk.
TEST(Manifest, DocumentedExample) {
  const std::string hello = "hello\n";
  const Digest sha = Sha256Of(std::as_bytes(std::span(hello)));
  const std::string bytes = EncodeManifest({6, sha, {{sha, 6, 0, ""}}});
  EXPECT_EQ(ToHex(sha), "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
  std::string hex;
  for (unsigned char c : bytes) hex += fmt::format("{:02x}", c);
  EXPECT_EQ(hex,
            "474d4d414e494631" "0600000000000000"
            "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03" "01000000"
            "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03" "0600000000000000" "00" "00000000");
  EXPECT_EQ(ToHex(Sha256Of(std::as_bytes(std::span(bytes)))),
            "362f04ecea866187875bbcc3559d512852dca7c18fa6d29104a8bfe8fb42fc33");
}

TEST(Manifest, RoundTrips) {
  const std::string bytes = EncodeManifest(Sample());
  auto decoded = DecodeManifest(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  ExpectEqual(*decoded, Sample());
  EXPECT_EQ(EncodeManifest(*decoded), bytes);
}

TEST(Manifest, EmptyFileHasNoChunks) {
  Manifest empty;
  empty.file_sha256 = Filled(0xE3);
  const std::string bytes = EncodeManifest(empty);
  EXPECT_EQ(bytes.size(), kHeader);
  auto decoded = DecodeManifest(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  ExpectEqual(*decoded, empty);
}

TEST(Manifest, LongestNameAndEveryElementSizeRoundTrip) {
  Manifest m;
  for (uint8_t eb : {0, 2, 4, 8}) m.chunks.push_back({Filled(eb), 1, eb, std::string(kMaxManifestNameBytes, 'x')});
  m.file_size = 4;
  auto decoded = DecodeManifest(EncodeManifest(m));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  ExpectEqual(*decoded, m);
}

TEST(Manifest, EveryTruncationIsRefused) {
  const std::string bytes = EncodeManifest(Sample());
  for (size_t n = 0; n < bytes.size(); ++n) ExpectCorrupt(bytes.substr(0, n), "first " + std::to_string(n) + " bytes");
}

TEST(Manifest, TrailingBytesAreRefused) {
  ExpectCorrupt(EncodeManifest(Sample()) + '\0', "one trailing byte");
  ExpectCorrupt(EncodeManifest(Manifest{}) + "x", "after an empty manifest");
}

TEST(Manifest, MagicAndVersionAreChecked) {
  std::string bytes = EncodeManifest(Sample());
  std::string other = bytes;
  other[7] = '2';
  auto decoded = DecodeManifest(other);
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.status().message().find("unknown format version"), std::string::npos) << decoded.status().message();
  other = bytes;
  other[0] = 'g';
  ExpectCorrupt(other, "lowercase magic");
  ExpectCorrupt("GMMANIF", "magic family only");
  ExpectCorrupt("version https://git-model.dev/spec/pointer/v1\n", "a pointer");
}

TEST(Manifest, LengthsMustAddUpToTheFileSize) {
  std::string bytes = EncodeManifest(Sample());
  std::string more = bytes, less = bytes;
  PutU64(more, 8, 419);
  PutU64(less, 8, 417);
  ExpectCorrupt(more, "file bigger than its chunks");
  ExpectCorrupt(less, "file smaller than its chunks");
}

TEST(Manifest, LengthSumOverflowIsRefused) {
  Manifest m;
  m.file_size = 5;
  m.chunks = {{Filled(1), UINT64_MAX - 1, 0, ""}, {Filled(2), 7, 0, ""}};  // wraps to 5
  ExpectCorrupt(EncodeManifest(m), "sum wraps around");
  m.file_size = UINT64_MAX;
  m.chunks = {{Filled(1), UINT64_MAX, 0, ""}, {Filled(2), 1, 0, ""}};
  ExpectCorrupt(EncodeManifest(m), "sum past 2^64");
}

TEST(Manifest, BadChunkFieldsAreRefused) {
  const std::string bytes = EncodeManifest(Sample());
  for (uint8_t eb : {1, 3, 5, 16, 255}) {
    std::string bad = bytes;
    bad[kChunk0 + 40] = static_cast<char>(eb);
    ExpectCorrupt(bad, "element_bytes " + std::to_string(eb));
  }
  Manifest empty_chunk;
  empty_chunk.chunks = {{Filled(1), 0, 0, "x"}};
  ExpectCorrupt(EncodeManifest(empty_chunk), "zero-length chunk");
  Manifest long_name;
  long_name.file_size = 1;
  long_name.chunks = {{Filled(1), 1, 0, std::string(kMaxManifestNameBytes + 1, 'n')}};
  ExpectCorrupt(EncodeManifest(long_name), "name of 4097 bytes");
}

TEST(Manifest, CountsAndNameLengthsBeyondTheInputAreRefused) {
  const std::string bytes = EncodeManifest(Sample());
  for (uint32_t count : {5u, 1000u, 0xFFFFFFFFu}) {
    std::string bad = bytes;
    PutU32(bad, 48, count);
    ExpectCorrupt(bad, "count " + std::to_string(count));
  }
  std::string fewer = bytes;
  PutU32(fewer, 48, 3);
  ExpectCorrupt(fewer, "count one short (the rest is trailing, lengths do not add up)");
  for (uint32_t length : {1u, 0x7FFFFFFFu, 0xFFFFFFFFu}) {
    std::string bad = bytes;
    PutU32(bad, kChunk0 + 41, length);
    ExpectCorrupt(bad, "name length " + std::to_string(length));
  }
}

// gguf-style: seeded random damage to a valid manifest either fails cleanly or decodes to
// something that encodes back to the same bytes.
TEST(Manifest, RandomDamageFailsCleanlyOrRoundTrips) {
  const std::string bytes = EncodeManifest(Sample());
  std::mt19937 rng(20240611);
  for (int trial = 0; trial < 5000; ++trial) {
    std::string damaged = bytes;
    const int flips = 1 + static_cast<int>(rng() % 3);
    for (int f = 0; f < flips; ++f) damaged[rng() % damaged.size()] = static_cast<char>(rng());
    auto decoded = DecodeManifest(damaged);
    if (decoded.ok()) {
      EXPECT_EQ(EncodeManifest(*decoded), damaged) << trial;
    } else {
      EXPECT_EQ(decoded.status().code(), Code::kCorrupt);
      EXPECT_EQ(decoded.status().message().find('\n'), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace gitmodel
