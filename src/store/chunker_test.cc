// PlanChunks on builder-made torch zips and safetensors files, on every real checkpoint of the
// corpus, and on files that are not checkpoints.
#include "store/chunker.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <map>
#include <set>

#include "formats/testing/corpus.h"
#include "formats/testing/safetensors_builder.h"
#include "formats/testing/zip_builder.h"
#include "git/testing/temp_repo.h"
#include "gitmodel/checkpoint.h"

namespace gitmodel {
namespace {

using Bytes = std::vector<std::byte>;

// Chunks in order, without gaps or overlaps, covering [0, size); none empty.
void ExpectTiles(const std::vector<ChunkSpec>& chunks, uint64_t size, const std::string& what) {
  uint64_t at = 0;
  for (const ChunkSpec& c : chunks) {
    ASSERT_EQ(c.offset, at) << what;
    ASSERT_GT(c.length, 0u) << what;
    at += c.length;
  }
  EXPECT_EQ(at, size) << what;
}

std::string_view Text(std::span<const std::byte> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

std::string_view ChunkBytes(const Bytes& file, const ChunkSpec& c) {
  return Text(std::span(file).subspan(c.offset, c.length));
}

std::map<std::string, ChunkSpec> Named(const std::vector<ChunkSpec>& chunks) {
  std::map<std::string, ChunkSpec> out;
  for (const ChunkSpec& c : chunks) {
    if (c.name.empty()) continue;
    EXPECT_TRUE(out.emplace(c.name, c).second) << "duplicate chunk name " << c.name;
  }
  return out;
}

// A tensor of float32 values viewing `numel` elements of storage `key` from `offset`.
struct TorchTensor {
  std::string name;
  std::string key;
  int64_t numel = 0;
  int64_t offset = 0;
};

// Pickle pieces, as torch.save's protocol-2 pickler writes them (without memo opcodes).
std::string PickleStr(std::string_view s) {
  std::string out = "X";
  for (int i = 0; i < 4; ++i) out += static_cast<char>((s.size() >> (8 * i)) & 0xFF);
  return out.append(s);
}
std::string PickleInt(int64_t v) {
  std::string out = "J";
  for (int i = 0; i < 4; ++i) out += static_cast<char>((static_cast<uint64_t>(v) >> (8 * i)) & 0xFF);
  return out;
}

// OrderedDict{name: _rebuild_tensor_v2(('storage', FloatStorage, key, 'cpu', storage numel),
// offset, (numel,), (1,), False, OrderedDict())} for each tensor.
std::string StateDictPickle(const std::vector<TorchTensor>& tensors, const std::map<std::string, int64_t>& storages) {
  const std::string ordered_dict = "ccollections\nOrderedDict\n)R";
  std::string p = "\x80\x02" + ordered_dict + "(";
  for (const TorchTensor& t : tensors) {
    p += PickleStr(t.name) + "ctorch._utils\n_rebuild_tensor_v2\n((" + PickleStr("storage") + "ctorch\nFloatStorage\n";
    p += PickleStr(t.key) + PickleStr("cpu") + PickleInt(storages.at(t.key)) + "tQ";
    p += PickleInt(t.offset) + "(" + PickleInt(t.numel) + "t(" + PickleInt(1) + "t\x89" + ordered_dict + "tR";
  }
  return p + "u.";
}

Bytes FloatBytes(int64_t numel, float first) {
  Bytes out(static_cast<size_t>(numel) * 4);
  for (int64_t i = 0; i < numel; ++i) {
    const float v = first + static_cast<float>(i);
    std::memcpy(out.data() + i * 4, &v, 4);
  }
  return out;
}

struct BuiltZip {
  Bytes file;
  std::map<std::string, std::pair<uint64_t, uint64_t>> storage_span;  // key -> [data, data_end)
};

// A torch.save zip: data.pkl, one stored record per storage (key -> float values), version.
BuiltZip TorchZip(const std::vector<TorchTensor>& tensors, const std::map<std::string, Bytes>& storages) {
  std::map<std::string, int64_t> numels;
  for (const auto& [key, data] : storages) numels[key] = static_cast<int64_t>(data.size() / 4);
  testutil::ZipBuilder zip;
  zip.Add("archive/data.pkl", StateDictPickle(tensors, numels));
  zip.Add("archive/byteorder", "little");
  for (const auto& [key, data] : storages) zip.Add("archive/data/" + key, data);
  zip.Add("archive/version", "3\n");
  BuiltZip out{zip.Finish(), {}};
  size_t entry = 2;
  for (const auto& [key, data] : storages) {
    const auto& e = zip.layout().entries[entry++];
    out.storage_span[key] = {e.data, e.data_end};
  }
  return out;
}

class PlanChunksTest : public testing::Test {
 protected:
  // Writes `bytes` to a file in the temp dir and plans it.
  std::vector<ChunkSpec> Plan(const Bytes& bytes, const std::string& name = "model.pt") {
    const std::string path = dir_ / name;
    testutil::WriteFile(path, Text(bytes));
    std::vector<ChunkSpec> chunks = PlanChunks(path, bytes);
    ExpectTiles(chunks, bytes.size(), name);
    return chunks;
  }

  testutil::TempDir dir_;
};

TEST_F(PlanChunksTest, TorchZipNamedChunksAreExactlyTheStorageRecords) {
  const BuiltZip zip = TorchZip({{"conv.weight", "0", 300}, {"conv.bias", "1", 7}, {"fc.weight", "2", 64}},
                                {{"0", FloatBytes(300, 1)}, {"1", FloatBytes(7, 2)}, {"2", FloatBytes(64, 3)}});
  const std::vector<ChunkSpec> chunks = Plan(zip.file);
  const auto named = Named(chunks);
  ASSERT_EQ(named.size(), 3u);
  for (const auto& [name, key] : std::map<std::string, std::string>{{"conv.weight", "0"}, {"conv.bias", "1"}, {"fc.weight", "2"}}) {
    const ChunkSpec& c = named.at(name);
    EXPECT_EQ(c.offset, zip.storage_span.at(key).first) << name;
    EXPECT_EQ(c.offset + c.length, zip.storage_span.at(key).second) << name;
    EXPECT_EQ(c.element_bytes, 4) << name;
  }
  // Structure between and around: local headers + pickle first, central directory last.
  EXPECT_TRUE(chunks.front().name.empty());
  EXPECT_TRUE(chunks.back().name.empty());
  EXPECT_EQ(chunks.size(), 7u);  // header+pickle, w, gap, b, gap, fc, descriptor+version+directory
}

TEST_F(PlanChunksTest, TensorsSharingAStorageShareOneChunkNamedAfterTheFirst) {
  const BuiltZip zip = TorchZip({{"encoder.embed", "0", 40, 0}, {"decoder.embed", "0", 40, 0}, {"tail", "0", 10, 30}},
                                {{"0", FloatBytes(40, 0)}});
  const auto named = Named(Plan(zip.file));
  ASSERT_EQ(named.size(), 1u);
  EXPECT_EQ(named.begin()->first, "encoder.embed");
  EXPECT_EQ(named.begin()->second.offset, zip.storage_span.at("0").first);
  EXPECT_EQ(named.begin()->second.length, 160u);
}

// The chunks of `a` that `b` does not have with the same offset, length and bytes.
std::vector<ChunkSpec> ChangedChunks(const Bytes& a, const std::vector<ChunkSpec>& plan_a, const Bytes& b,
                                     const std::vector<ChunkSpec>& plan_b) {
  std::set<std::tuple<uint64_t, uint64_t, std::string_view>> in_b;
  for (const ChunkSpec& c : plan_b) in_b.emplace(c.offset, c.length, ChunkBytes(b, c));
  std::vector<ChunkSpec> changed;
  for (const ChunkSpec& c : plan_a)
    if (!in_b.contains({c.offset, c.length, ChunkBytes(a, c)})) changed.push_back(c);
  return changed;
}

TEST_F(PlanChunksTest, ChangingOneTorchTensorLeavesTheOtherTensorsChunksAlone) {
  const std::vector<TorchTensor> tensors = {{"a", "0", 100}, {"b", "1", 100}, {"c", "2", 100}};
  const BuiltZip before = TorchZip(tensors, {{"0", FloatBytes(100, 1)}, {"1", FloatBytes(100, 2)}, {"2", FloatBytes(100, 3)}});
  const BuiltZip after = TorchZip(tensors, {{"0", FloatBytes(100, 1)}, {"1", FloatBytes(100, 9)}, {"2", FloatBytes(100, 3)}});
  ASSERT_EQ(before.file.size(), after.file.size());
  const auto plan_before = Plan(before.file, "before.pt");
  const auto plan_after = Plan(after.file, "after.pt");
  const std::vector<ChunkSpec> changed = ChangedChunks(after.file, plan_after, before.file, plan_before);
  // b's data, and the zip's CRC-32 of it: in b's data descriptor (the gap after b) and in the
  // central directory (the last chunk). Every other chunk, a's and c's data included, is unchanged.
  ASSERT_EQ(changed.size(), 3u);
  EXPECT_EQ(changed[0].name, "b");
  EXPECT_EQ(changed[1].offset, changed[0].offset + changed[0].length);
  EXPECT_TRUE(changed[1].name.empty());
  EXPECT_EQ(changed[2].offset + changed[2].length, after.file.size());
  EXPECT_TRUE(changed[2].name.empty());
}

Bytes Safetensors(float b_first) {
  testutil::SafetensorsBuilder st;
  st.Metadata("format", "pt");
  st.Add("a", "F32", {10, 10}, FloatBytes(100, 1));
  st.Add("b", "BF16", {64}, FloatBytes(32, b_first));
  st.Add("c", "F64", {3, 5}, FloatBytes(30, 3));
  st.Add("ids", "I64", {4});
  return st.Finish();
}

TEST_F(PlanChunksTest, SafetensorsNamedChunksAreExactlyTheTensorData) {
  const Bytes file = Safetensors(2);
  const std::vector<ChunkSpec> chunks = Plan(file, "model.safetensors");
  uint64_t header_length = 0;
  std::memcpy(&header_length, file.data(), 8);
  const uint64_t data_start = 8 + header_length;
  ASSERT_EQ(chunks.size(), 5u);
  EXPECT_EQ(chunks[0].offset, 0u);
  EXPECT_EQ(chunks[0].length, data_start);
  EXPECT_EQ(chunks[0].name, "");
  const std::vector<std::tuple<std::string, uint64_t, uint8_t>> expected = {
      {"a", 400, 4}, {"b", 128, 2}, {"c", 120, 8}, {"ids", 32, 0}};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(chunks[i + 1].name, std::get<0>(expected[i]));
    EXPECT_EQ(chunks[i + 1].length, std::get<1>(expected[i]));
    EXPECT_EQ(chunks[i + 1].element_bytes, std::get<2>(expected[i]));
  }
}

TEST_F(PlanChunksTest, ChangingOneSafetensorsTensorChangesOnlyItsChunk) {
  const Bytes before = Safetensors(2), after = Safetensors(77);
  const auto plan_before = Plan(before, "before.safetensors");
  const auto plan_after = Plan(after, "after.safetensors");
  const std::vector<ChunkSpec> changed = ChangedChunks(after, plan_after, before, plan_before);
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].name, "b");
}

TEST_F(PlanChunksTest, BytesOtherThanTheFilesGetContentDefinedChunks) {
  // The file on disk is a checkpoint, but the caller's bytes disagree with its tensor data: the
  // regions cannot be trusted, so the plan is content-defined.
  const Bytes file = Safetensors(2);
  const std::string path = dir_ / "x.safetensors";
  testutil::WriteFile(path, Text(file));
  Bytes other = Safetensors(5);
  EXPECT_EQ(other.size(), file.size());
  const std::vector<ChunkSpec> chunks = PlanChunks(path, other);
  ExpectTiles(chunks, other.size(), "other");
  EXPECT_TRUE(Named(chunks).empty());
}

TEST_F(PlanChunksTest, FilesThatAreNotCheckpointsGetContentDefinedChunks) {
  std::string text;
  for (int i = 0; text.size() < (3 << 20); ++i) text += "line " + std::to_string(i * 7919 % 100003) + " of a log\n";
  const Bytes bytes = testutil::ToBytes(text);
  const std::vector<ChunkSpec> chunks = Plan(bytes, "train.log");
  EXPECT_GT(chunks.size(), 1u);
  EXPECT_TRUE(Named(chunks).empty());
  const std::vector<ChunkSpec> cdc = ContentDefinedChunks(bytes);
  ASSERT_EQ(chunks.size(), cdc.size());
  for (size_t i = 0; i < cdc.size(); ++i) EXPECT_EQ(chunks[i].length, cdc[i].length);
  // A path that does not exist: the bytes are all there is.
  ExpectTiles(PlanChunks(dir_ / "missing.pt", bytes), bytes.size(), "missing");
}

TEST_F(PlanChunksTest, EmptyFileHasNoChunks) {
  EXPECT_TRUE(Plan({}, "empty.pt").empty());
  EXPECT_TRUE(ContentDefinedChunks({}).empty());
}

TEST_F(PlanChunksTest, DamagedCheckpointGetsContentDefinedChunks) {
  Bytes file = TorchZip({{"w", "0", 100}}, {{"0", FloatBytes(100, 1)}}).file;
  file.resize(file.size() - 30);  // the end records are gone
  EXPECT_TRUE(Named(Plan(file, "damaged.pt")).empty());
}

// A .pt2-style archive: an outer zip whose members are torch.save zips.
Bytes NestedArchive(bool deflate_member) {
  const BuiltZip inner = TorchZip({{"w", "0", 64}}, {{"0", FloatBytes(64, 1)}});
  testutil::ZipBuilder outer;
  outer.Add("model/version", "1\n");
  outer.Add("model/inner.pt", inner.file, {.deflate = deflate_member});
  return outer.Finish();
}

TEST_F(PlanChunksTest, StoredNestedArchiveGetsNamedChunks) {
  const Bytes file = NestedArchive(false);
  const auto named = Named(Plan(file, "model.pt2"));
  ASSERT_EQ(named.size(), 1u);
  EXPECT_EQ(ChunkBytes(file, named.begin()->second), Text(FloatBytes(64, 1)));
}

TEST_F(PlanChunksTest, DeflatedNestedArchiveIsNotCutAtInflatedOffsets) {
  // The tensor bytes exist only once inflated, so no chunk can be named after them; a plan that
  // trusted offsets into the inflated member would cut the file in the wrong places.
  const Bytes file = NestedArchive(true);
  const std::vector<ChunkSpec> chunks = Plan(file, "model.pt2");
  EXPECT_TRUE(Named(chunks).empty());
}

// Named chunks hold exactly the bytes of the storage of the tensor they are named after.
void ExpectNamedChunksAreTensorData(const std::string& name, const Bytes& file, const std::vector<ChunkSpec>& chunks) {
  auto checkpoint = Checkpoint::Open(testutil::CorpusPath(name));
  ASSERT_TRUE(checkpoint.ok()) << name;
  std::map<std::string, const TensorRef*> tensors;
  for (const TensorRef& t : (*checkpoint)->tensors()) tensors.emplace(t.name, &t);
  for (const ChunkSpec& c : chunks) {
    if (c.name.empty()) continue;
    ASSERT_TRUE(tensors.contains(c.name)) << name << ": " << c.name;
    EXPECT_EQ(Text(tensors.at(c.name)->storage), ChunkBytes(file, c)) << name << ": " << c.name;
  }
}

TEST(PlanChunksCorpus, EveryRealFileTilesAndCheckpointsGetNamedChunks) {
  const std::set<std::string> content_defined = {"ocamltorch_foo_jit_torch10_2019-01.pt",  // legacy TorchScript
                                                 "ocamltorch_foo_jit_torch11_2019-05.pt"};
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(testutil::CorpusDir())) {
    const std::string name = entry.path().filename().string();
    if (name == "MANIFEST.tsv") continue;
    ++files;
    const Bytes file = testutil::ReadCorpusFile(name);
    const std::vector<ChunkSpec> chunks = PlanChunks(entry.path().string(), file);
    ExpectTiles(chunks, file.size(), name);
    if (content_defined.contains(name)) {
      EXPECT_TRUE(Named(chunks).empty()) << name;
      continue;
    }
    EXPECT_FALSE(Named(chunks).empty()) << name;
    ExpectNamedChunksAreTensorData(name, file, chunks);
  }
  EXPECT_GE(files, 17u);
}

TEST(PlanChunksCorpus, SafetensorsSampleHasOneChunkPerTensor) {
  const std::string name = "silero_vad_16k.safetensors";
  const Bytes file = testutil::ReadCorpusFile(name);
  const std::vector<ChunkSpec> chunks = PlanChunks(testutil::CorpusPath(name), file);
  EXPECT_EQ(Named(chunks).size(), 15u);
  EXPECT_EQ(chunks.size(), 16u);  // the header, then the tensors back to back
}

}  // namespace
}  // namespace gitmodel
