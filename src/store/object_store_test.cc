#include "store/object_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <random>

#include "git/testing/temp_repo.h"

namespace gitmodel {
namespace {

using Bytes = std::vector<std::byte>;
using testutil::ReadFile;
using testutil::TempDir;

uint16_t ToBf16(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return static_cast<uint16_t>((u + 0x7fff + ((u >> 16) & 1)) >> 16);
}

// A bf16 tensor as training sees it: fp32 master weights, saved rounded to bf16.
struct Tensor {
  std::vector<float> master;
  Bytes Bf16() const {
    Bytes out(master.size() * 2);
    for (size_t i = 0; i < master.size(); ++i) {
      const uint16_t half = ToBf16(master[i]);
      std::memcpy(out.data() + 2 * i, &half, 2);
    }
    return out;
  }
  // One round of training: every weight moves by N(0, 1e-2) of itself.
  void Step(std::mt19937_64& rng) {
    std::normal_distribution<float> unit(0.0f, 1.0f);
    for (float& w : master) w += 1e-2f * std::fabs(w) * unit(rng);
  }
};

Tensor NormalTensor(size_t count, std::mt19937_64& rng) {
  std::normal_distribution<float> normal(0.0f, 0.02f);
  Tensor t{std::vector<float>(count)};
  for (float& w : t.master) w = normal(rng);
  return t;
}

PutOptions Bf16Options(std::optional<ObjectId> base = std::nullopt) {
  return {.encode = {.element_bytes = 2}, .delta_base = base};
}

// Rewrites an object file in place (they are read-only).
void Overwrite(const std::string& path, std::string_view bytes) {
  ::chmod(path.c_str(), 0644);
  testutil::WriteFile(path, bytes);
}

class ObjectStoreTest : public ::testing::Test {
 protected:
  PutResult MustPut(const Bytes& raw, const PutOptions& options = {}) {
    Result<PutResult> put = store_.Put(raw, options);
    EXPECT_TRUE(put.ok()) << put.status().message();
    return put.ok() ? *put : PutResult{};
  }
  void ExpectReads(const ObjectId& id, const Bytes& raw) {
    Result<Bytes> back = store_.Read(id);
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_TRUE(*back == raw);
    Bytes into(raw.size());
    ASSERT_TRUE(store_.ReadInto(id, into).ok());
    EXPECT_TRUE(into == raw);
  }
  Code ReadCode(const ObjectId& id) {
    Result<Bytes> back = store_.Read(id);
    if (!back.ok()) {
      EXPECT_EQ(back.status().message().find('\n'), std::string::npos) << back.status().message();
    }
    return back.status().code();
  }

  TempDir dir_;
  ObjectStore store_{dir_ / "git-model"};
  std::mt19937_64 rng_{42};
};

TEST_F(ObjectStoreTest, TextRoundTripsAndNamesBySha256) {
  auto id = store_.Put(std::string_view("hello\n"));
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ(*id, "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
  EXPECT_TRUE(std::filesystem::exists(dir_ / "git-model/objects/58/91/" + *id));
  auto back = store_.Get(*id);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, "hello\n");
  EXPECT_TRUE(store_.Put(std::string_view("hello\n")).ok());  // idempotent
  EXPECT_EQ(store_.Get("xyz").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(store_.Get(std::string(64, 'A')).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(store_.Get(std::string(64, 'a')).status().code(), Code::kNotFound);
}

TEST_F(ObjectStoreTest, PutIsIdempotentAndWritesReadOnlyFiles) {
  const Bytes raw = NormalTensor(50000, rng_).Bf16();
  PutResult first = MustPut(raw, Bf16Options());
  EXPECT_FALSE(first.existed);
  EXPECT_EQ(first.depth, 0);
  EXPECT_LT(first.stored_bytes, raw.size() * 3 / 4);
  const std::string path = store_.ObjectPath(first.id);
  EXPECT_EQ(std::filesystem::file_size(path), first.stored_bytes);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0444u);
  PutResult again = MustPut(raw, Bf16Options());
  EXPECT_TRUE(again.existed);
  EXPECT_EQ(again.stored_bytes, first.stored_bytes);
  EXPECT_TRUE(store_.Contains(first.id));
  ExpectReads(first.id, raw);
  ExpectReads(MustPut({}).id, {});
}

TEST_F(ObjectStoreTest, StatReportsTheHeader) {
  const Bytes raw = NormalTensor(30000, rng_).Bf16();
  PutResult put = MustPut(raw, Bf16Options());
  Result<ObjectHeader> header = store_.Stat(put.id);
  ASSERT_TRUE(header.ok()) << header.status().message();
  EXPECT_EQ(header->codec, Codec::kBytePlanes);
  EXPECT_EQ(header->element_bytes, 2);
  EXPECT_EQ(header->depth, 0);
  EXPECT_EQ(header->raw_size, raw.size());
  EXPECT_FALSE(header->base);
  EXPECT_EQ(header->header_bytes, 16u);
  EXPECT_EQ(store_.Stat(ObjectId{}).status().code(), Code::kNotFound);
}

TEST_F(ObjectStoreTest, PerturbedTensorIsStoredAsADelta) {
  Tensor tensor = NormalTensor(100000, rng_);
  const Bytes v0 = tensor.Bf16();
  PutResult base = MustPut(v0, Bf16Options());
  tensor.Step(rng_);
  const Bytes v1 = tensor.Bf16();
  PutResult delta = MustPut(v1, Bf16Options(base.id));
  EXPECT_EQ(delta.depth, 1);
  EXPECT_LT(delta.stored_bytes, base.stored_bytes / 2);
  Result<ObjectHeader> header = store_.Stat(delta.id);
  ASSERT_TRUE(header.ok());
  ASSERT_TRUE(header->base);
  EXPECT_EQ(*header->base, base.id);
  EXPECT_EQ(header->delta_op, DeltaOp::kDifference);  // bf16 weights: the difference of their bits
  EXPECT_EQ(header->delta_element_bytes, 2);
  EXPECT_EQ(header->header_bytes, 50u);
  ExpectReads(delta.id, v1);
  ExpectReads(base.id, v0);
}

// Stores written before difference deltas hold XOR deltas; new difference deltas build on them
// (and the other way round), so a chain resolves bottom-up whatever its ops.
TEST_F(ObjectStoreTest, ChainsMixingXorAndDifferenceDeltasResolve) {
  Tensor tensor = NormalTensor(60000, rng_);
  std::vector<Bytes> versions;
  std::optional<ObjectId> base;
  for (int v = 0; v < 4; ++v) {
    versions.push_back(tensor.Bf16());
    PutOptions options = Bf16Options(base);
    if (v == 1 || v == 3) options.encode.element_bytes = 0;  // zstd: a XOR delta
    PutResult put = MustPut(versions.back(), options);
    EXPECT_EQ(put.depth, v);
    EXPECT_EQ(store_.Stat(put.id)->delta_op, v == 0 || v == 1 || v == 3 ? DeltaOp::kXor : DeltaOp::kDifference) << v;
    base = put.id;
    tensor.Step(rng_);
  }
  for (const Bytes& version : versions) ExpectReads(Sha256Of(version), version);
}

TEST_F(ObjectStoreTest, DeltasResolveOverBasesOfEveryCodec) {
  Bytes random(30000);
  for (auto& b : random) b = static_cast<std::byte>(rng_());
  Bytes text(30000);
  for (size_t i = 0; i < text.size(); ++i) text[i] = static_cast<std::byte>("model weights "[i % 14]);
  for (const Bytes& base_bytes : {random, text}) {
    PutResult base = MustPut(base_bytes);
    Bytes edited = base_bytes;
    for (size_t i = 0; i < edited.size(); i += 997) edited[i] ^= std::byte{0x40};
    PutOptions options;
    options.delta_base = base.id;
    PutResult delta = MustPut(edited, options);
    EXPECT_EQ(delta.depth, 1);
    ExpectReads(delta.id, edited);
  }
  EXPECT_EQ(store_.Stat(Sha256Of(random))->codec, Codec::kRaw);
  EXPECT_EQ(store_.Stat(Sha256Of(text))->codec, Codec::kZstd);
}

TEST_F(ObjectStoreTest, DeltaIsNotUsedWhenItDoesNotPayOrCannot) {
  const Bytes a = NormalTensor(50000, rng_).Bf16();
  const Bytes b = NormalTensor(50000, rng_).Bf16();  // unrelated weights: the delta is larger
  PutResult base = MustPut(a, Bf16Options());
  EXPECT_EQ(MustPut(b, Bf16Options(base.id)).depth, 0);
  Bytes shorter(a.begin(), a.end() - 2);  // another size
  EXPECT_EQ(MustPut(shorter, Bf16Options(base.id)).depth, 0);
  Bytes missing_base = NormalTensor(50000, rng_).Bf16();
  EXPECT_EQ(MustPut(missing_base, Bf16Options(ObjectId{})).depth, 0);
  ExpectReads(Sha256Of(b), b);
}

TEST_F(ObjectStoreTest, DeltaChainsStopAtTheMaximumDepth) {
  Tensor tensor = NormalTensor(50000, rng_);
  std::optional<ObjectId> previous;
  std::vector<std::pair<ObjectId, Bytes>> versions;
  std::vector<int> depths;
  for (int version = 0; version < 7; ++version) {
    const Bytes raw = tensor.Bf16();
    PutResult put = MustPut(raw, Bf16Options(previous));
    depths.push_back(put.depth);
    versions.emplace_back(put.id, raw);
    previous = put.id;
    tensor.Step(rng_);
  }
  EXPECT_EQ(depths, (std::vector<int>{0, 1, 2, 3, 4, 0, 1}));  // the 5th delta in a row is whole
  for (const auto& [id, raw] : versions) ExpectReads(id, raw);
}

TEST_F(ObjectStoreTest, MissingDeltaBaseIsNotFoundNamingBoth) {
  Tensor tensor = NormalTensor(50000, rng_);
  PutResult base = MustPut(tensor.Bf16(), Bf16Options());
  tensor.Step(rng_);
  PutResult delta = MustPut(tensor.Bf16(), Bf16Options(base.id));
  ASSERT_EQ(delta.depth, 1);
  std::filesystem::remove(store_.ObjectPath(base.id));
  Result<Bytes> back = store_.Read(delta.id);
  EXPECT_EQ(back.status().code(), Code::kNotFound);
  EXPECT_NE(back.status().message().find(ObjectHex(delta.id)), std::string::npos) << back.status().message();
  EXPECT_NE(back.status().message().find(ObjectHex(base.id)), std::string::npos) << back.status().message();
}

TEST_F(ObjectStoreTest, DamagedObjectOrBaseIsCorrupt) {
  Tensor tensor = NormalTensor(50000, rng_);
  const Bytes v0 = tensor.Bf16();
  PutResult base = MustPut(v0, Bf16Options());
  tensor.Step(rng_);
  PutResult delta = MustPut(tensor.Bf16(), Bf16Options(base.id));
  ASSERT_EQ(delta.depth, 1);
  const std::string path = store_.ObjectPath(base.id);
  const std::string good = ReadFile(path);
  std::string damaged = good;
  damaged[20] ^= 0x01;  // the mantissa plane's first frame header or bytes
  damaged[damaged.size() - 100] ^= 0x10;
  Overwrite(path, damaged);
  EXPECT_EQ(ReadCode(base.id), Code::kCorrupt);
  EXPECT_EQ(ReadCode(delta.id), Code::kCorrupt);
  Overwrite(path, good.substr(0, 10));
  EXPECT_EQ(ReadCode(base.id), Code::kCorrupt);
  EXPECT_EQ(ReadCode(delta.id), Code::kCorrupt);
  Overwrite(path, "GMO1\x09");
  EXPECT_EQ(ReadCode(base.id), Code::kCorrupt);
  // Put repairs an object whose header does not parse.
  EXPECT_FALSE(MustPut(v0, Bf16Options()).existed);
  EXPECT_EQ(ReadCode(base.id), Code::kOk);
  EXPECT_EQ(ReadCode(delta.id), Code::kOk);
}

TEST_F(ObjectStoreTest, LegacyGmo1FilesStillRead) {
  const std::string text(5000, 'x');
  const Bytes raw(reinterpret_cast<const std::byte*>(text.data()), reinterpret_cast<const std::byte*>(text.data()) + text.size());
  EncodedChunk chunk = EncodeChunk(raw, {});
  ASSERT_EQ(chunk.codec, Codec::kZstd);
  std::string file("GMO1\x01\0\0\0", 8);
  const uint64_t size = raw.size();
  file.append(reinterpret_cast<const char*>(&size), 8);
  const ObjectId id = Sha256Of(raw);
  testutil::WriteFile(store_.ObjectPath(id), file + chunk.payload);
  Result<std::string> back = store_.Get(ObjectHex(id));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, text);
  Result<ObjectHeader> header = store_.Stat(id);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header->codec, Codec::kZstd);
  EXPECT_EQ(header->header_bytes, 16u);
}

TEST_F(ObjectStoreTest, ListFindsWellFormedObjectsOnly) {
  Result<std::vector<ObjectId>> empty = store_.List();
  ASSERT_TRUE(empty.ok()) << empty.status().message();
  EXPECT_TRUE(empty->empty());
  std::vector<ObjectId> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(MustPut(NormalTensor(100, rng_).Bf16()).id);
  const std::string fan_out = std::filesystem::path(store_.ObjectPath(ids[0])).parent_path().string();
  testutil::WriteFile(fan_out + "/.tmp-object", "x");
  testutil::WriteFile(fan_out + "/" + std::string(64, 'f'), "wrong fan-out");
  testutil::WriteFile(store_.root() + "/objects/zz/zz/" + std::string(64, '0'), "bad directory");
  testutil::WriteFile(store_.root() + "/objects/README", "x");
  Result<std::vector<ObjectId>> listed = store_.List();
  ASSERT_TRUE(listed.ok()) << listed.status().message();
  std::sort(ids.begin(), ids.end());
  std::sort(listed->begin(), listed->end());
  EXPECT_EQ(*listed, ids);
}

TEST_F(ObjectStoreTest, AdoptInstallsVerifiedFilesOnly) {
  ObjectStore remote(dir_ / "remote");
  Tensor tensor = NormalTensor(20000, rng_);
  const Bytes v0 = tensor.Bf16();
  tensor.Step(rng_);
  const Bytes v1 = tensor.Bf16();
  Result<PutResult> base = remote.Put(v0, Bf16Options());
  Result<PutResult> delta = remote.Put(v1, Bf16Options(base->id));
  ASSERT_TRUE(base.ok() && delta.ok());
  ASSERT_EQ(delta->depth, 1);
  auto fetched = [&](const ObjectId& id) {
    const std::string temp = dir_ / ("fetched-" + ObjectHex(id));
    std::filesystem::copy_file(remote.ObjectPath(id), temp);
    return temp;
  };
  // The delta needs its base: not installed until the base is.
  const std::string delta_file = fetched(delta->id);
  EXPECT_EQ(store_.Adopt(delta->id, delta_file).code(), Code::kNotFound);
  EXPECT_FALSE(store_.Contains(delta->id));
  // Content that is not the id it claims: rejected, left where it was.
  const std::string base_file = fetched(base->id);
  EXPECT_EQ(store_.Adopt(delta->id, base_file).code(), Code::kCorrupt);
  EXPECT_FALSE(store_.Contains(delta->id));
  EXPECT_TRUE(std::filesystem::exists(base_file));
  // Good files: moved in, read-only, readable.
  ASSERT_TRUE(store_.Adopt(base->id, base_file).ok());
  ASSERT_TRUE(store_.Adopt(delta->id, delta_file).ok());
  EXPECT_FALSE(std::filesystem::exists(base_file));
  struct stat st {};
  ASSERT_EQ(::stat(store_.ObjectPath(delta->id).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0444u);
  ExpectReads(base->id, v0);
  ExpectReads(delta->id, v1);
  // Already there: nothing to do, the fetched file is consumed.
  const std::string again = fetched(base->id);
  EXPECT_TRUE(store_.Adopt(base->id, again).ok());
  EXPECT_FALSE(std::filesystem::exists(again));
}

std::span<const std::byte> AsBytes(std::string_view text) { return std::as_bytes(std::span(text.data(), text.size())); }

TEST(ObjectHeaderTest, EncodesAndParsesBothDepths) {
  ObjectHeader plain;
  plain.codec = Codec::kBytePlanes;
  plain.element_bytes = 4;
  plain.raw_size = 123456;
  std::string bytes = EncodeObjectHeader(plain);
  ASSERT_EQ(bytes.size(), 16u);
  EXPECT_EQ(bytes.substr(0, 8), std::string("GMOB\x01\x02\x04\x00", 8));
  Result<ObjectHeader> parsed = ParseObjectHeader(AsBytes(bytes));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->raw_size, 123456u);
  ObjectId base{};
  base[0] = 0xab;
  ObjectHeader delta;
  delta.codec = Codec::kZstd;
  delta.depth = 3;
  delta.raw_size = 9;
  delta.base = base;
  bytes = EncodeObjectHeader(delta);
  ASSERT_EQ(bytes.size(), 48u);
  parsed = ParseObjectHeader(AsBytes(bytes + "payload"));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->depth, 3);
  EXPECT_EQ(parsed->base, base);
  EXPECT_EQ(parsed->header_bytes, 48u);
}

TEST(ObjectHeaderTest, RejectsBadHeaders) {
  ObjectHeader header;
  header.codec = Codec::kBytePlanes;
  header.element_bytes = 2;
  header.raw_size = 10;
  const std::string good = EncodeObjectHeader(header);
  auto code = [](std::string bytes) {
    Result<ObjectHeader> parsed = ParseObjectHeader(AsBytes(bytes));
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().message().find('\n'), std::string::npos);
    }
    return parsed.status().code();
  };
  auto with = [&](size_t at, char value) {
    std::string bytes = good;
    bytes[at] = value;
    return bytes;
  };
  EXPECT_EQ(code(good), Code::kOk);
  EXPECT_EQ(code(good.substr(0, 15)), Code::kCorrupt);
  EXPECT_EQ(code(with(0, 'X')), Code::kCorrupt);
  EXPECT_EQ(code(with(4, 3)), Code::kUnsupported);  // a newer format version
  EXPECT_EQ(code(with(4, 2)), Code::kCorrupt);      // version 2 for what version 1 says
  EXPECT_EQ(code(with(4, 0)), Code::kCorrupt);
  EXPECT_EQ(code(with(5, 3)), Code::kCorrupt);  // unknown codec
  EXPECT_EQ(code(with(6, 3)), Code::kCorrupt);  // element size
  EXPECT_EQ(code(with(5, 0)), Code::kCorrupt);  // raw with an element size
  EXPECT_EQ(code(with(7, 17)), Code::kCorrupt);  // depth over kMaxDeltaDepth
  EXPECT_EQ(code(with(7, 1)), Code::kCorrupt);  // depth 1 without a base id
  EXPECT_EQ(code(with(12, 1)), Code::kCorrupt);  // raw size 2^32 + 10
  EXPECT_EQ(code(std::string("GMO1\x02\0\0\0", 8) + good.substr(8)), Code::kCorrupt);  // legacy, not zstd
  EXPECT_EQ(code(std::string("GMO1\x01\0\0\x01", 8) + good.substr(8)), Code::kCorrupt);
  EXPECT_EQ(code(std::string("GMO1\x01\0\0\0", 8) + good.substr(8)), Code::kOk);
}

TEST_F(ObjectStoreTest, ChainsGrowToTheConfiguredDepth) {
  Tensor tensor = NormalTensor(40000, rng_);
  std::vector<Bytes> versions;
  std::optional<ObjectId> base;
  for (int v = 0; v <= 10; ++v) {
    versions.push_back(tensor.Bf16());
    PutOptions options = Bf16Options(base);
    options.max_delta_depth = 9;
    PutResult put = MustPut(versions.back(), options);
    EXPECT_EQ(put.depth, v % 10) << v;  // the tenth in a row is whole again
    base = put.id;
    tensor.Step(rng_);
  }
  for (const Bytes& version : versions) ExpectReads(Sha256Of(version), version);
  PutOptions none = Bf16Options(base);
  none.max_delta_depth = 0;
  tensor.Step(rng_);
  EXPECT_EQ(MustPut(tensor.Bf16(), none).depth, 0);
}

TEST(ObjectHeaderTest, XorChainsDeeperThanVersion1AllowedUseVersion2) {
  ObjectHeader delta;
  delta.codec = Codec::kZstd;
  delta.depth = 5;
  delta.raw_size = 10;
  delta.base = ObjectId{};
  const std::string bytes = EncodeObjectHeader(delta);
  ASSERT_EQ(bytes.size(), 50u);
  EXPECT_EQ(bytes[4], 2);
  Result<ObjectHeader> parsed = ParseObjectHeader(AsBytes(bytes));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->delta_op, DeltaOp::kXor);
  EXPECT_EQ(parsed->depth, 5);
  delta.depth = 4;
  EXPECT_EQ(EncodeObjectHeader(delta)[4], 1);
  std::string v1_too_deep = EncodeObjectHeader(delta);
  v1_too_deep[7] = 5;
  EXPECT_EQ(ParseObjectHeader(AsBytes(v1_too_deep)).status().code(), Code::kCorrupt);
  std::string too_deep = bytes;
  too_deep[7] = 17;
  EXPECT_EQ(ParseObjectHeader(AsBytes(too_deep)).status().code(), Code::kCorrupt);
}

TEST(ObjectHeaderTest, DifferenceDeltasUseFormatVersion2) {
  ObjectHeader delta;
  delta.codec = Codec::kBytePlanes;
  delta.element_bytes = 4;
  delta.depth = 2;
  delta.raw_size = 400;
  delta.base = ObjectId{};
  delta.delta_op = DeltaOp::kDifference;
  delta.delta_element_bytes = 4;
  const std::string good = EncodeObjectHeader(delta);
  ASSERT_EQ(good.size(), 50u);
  EXPECT_EQ(good.substr(0, 8), std::string("GMOB\x02\x02\x04\x02", 8));
  EXPECT_EQ(good.substr(16, 2), std::string("\x01\x04", 2));
  Result<ObjectHeader> parsed = ParseObjectHeader(AsBytes(good));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->delta_op, DeltaOp::kDifference);
  EXPECT_EQ(parsed->delta_element_bytes, 4);
  EXPECT_EQ(parsed->header_bytes, 50u);
  auto code = [&](size_t at, char value) {
    std::string bytes = good;
    bytes[at] = value;
    return ParseObjectHeader(AsBytes(bytes)).status().code();
  };
  EXPECT_EQ(code(16, 0), Code::kCorrupt);  // XOR is written as version 1
  EXPECT_EQ(code(16, 2), Code::kCorrupt);  // unknown op
  EXPECT_EQ(code(17, 2), Code::kCorrupt);  // planes of 4 bytes, differences of 2
  EXPECT_EQ(code(17, 3), Code::kCorrupt);
  EXPECT_EQ(code(8, 2), Code::kCorrupt);   // raw size 402: not a multiple of 4
  EXPECT_EQ(ParseObjectHeader(AsBytes(good.substr(0, 49))).status().code(), Code::kCorrupt);
  delta.codec = Codec::kZstd;  // a difference in another codec keeps its own element size
  delta.element_bytes = 0;
  parsed = ParseObjectHeader(AsBytes(EncodeObjectHeader(delta)));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->delta_element_bytes, 4);
}

TEST(ObjectIdTest, ParsesLowercaseHexOnly) {
  const std::string hex = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
  std::optional<ObjectId> id = ParseObjectHex(hex);
  ASSERT_TRUE(id);
  EXPECT_EQ(ObjectHex(*id), hex);
  EXPECT_TRUE(IsObjectId(hex));
  std::string upper = hex;
  upper[0] = 'A';
  upper[1] = 'B';
  EXPECT_FALSE(ParseObjectHex(upper));
  EXPECT_FALSE(ParseObjectHex(hex.substr(1)));
  EXPECT_FALSE(ParseObjectHex(hex + "0"));
  EXPECT_FALSE(ParseObjectHex(std::string(63, '0') + "g"));
}

}  // namespace
}  // namespace gitmodel
