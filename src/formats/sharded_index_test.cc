#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "formats/testing/corpus.h"
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "formats/checkpoint_impl.h"
#include "formats/testing/safetensors_builder.h"
#include "tensors/tensor_view.h"

namespace gitmodel {
namespace {

using testing::HasSubstr;
using testutil::SafetensorsBuilder;
namespace fs = std::filesystem;

std::string CorpusFile(std::string_view name) { return testutil::CorpusPath(name); }

std::string Detail(const Checkpoint& c, std::string_view key) {
  for (const FormatDetail& d : c.details())
    if (d.key == key) return d.value;
  return "<none>";
}

class ShardedIndexTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "gm-sharded-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& name, std::string_view text) {
    std::ofstream(dir_ / name, std::ios::binary).write(text.data(), static_cast<std::streamsize>(text.size()));
  }
  void Write(const std::string& name, const std::vector<std::byte>& bytes) {
    Write(name, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  }
  // Two shards: a, b (F32 [2], [3]) in shard-1 and c (I64 [4]) in shard-2.
  void WriteTwoShards() {
    SafetensorsBuilder one, two;
    one.Metadata("format", "pt").Add("a", "F32", {2}).Add("b", "F32", {3});
    two.Add("c", "I64", {4});
    Write("shard-1.safetensors", one.Finish());
    Write("shard-2.safetensors", two.Finish());
  }
  Result<std::unique_ptr<Checkpoint>> OpenIndex(std::string_view json) {
    Write("model.safetensors.index.json", json);
    return Checkpoint::Open((dir_ / "model.safetensors.index.json").string());
  }
  std::string IndexError(std::string_view json) {
    auto c = OpenIndex(json);
    EXPECT_FALSE(c.ok());
    EXPECT_EQ(c.status().message().find('\n'), std::string::npos) << c.status().message();
    return c.status().message();
  }

  fs::path dir_;
};

constexpr std::string_view kTwoShardIndex = R"({
  "metadata": {"total_size": 52},
  "weight_map": {"a": "shard-1.safetensors", "c": "shard-2.safetensors", "b": "shard-1.safetensors"}
})";

TEST_F(ShardedIndexTest, TwoSafetensorsShards) {
  WriteTwoShards();
  auto c = OpenIndex(kTwoShardIndex);
  ASSERT_TRUE(c.ok()) << c.status().message();
  const Checkpoint& ck = **c;
  EXPECT_EQ(ck.format(), Format::kShardedIndex);
  ASSERT_EQ(ck.files().size(), 3u);
  EXPECT_EQ(ck.files()[1], (dir_ / "shard-1.safetensors").string());
  EXPECT_EQ(ck.files()[2], (dir_ / "shard-2.safetensors").string());
  const auto& t = ck.tensors();
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].name, "a");
  EXPECT_EQ(t[0].file_index, 1);
  EXPECT_EQ(t[1].name, "b");
  EXPECT_EQ(t[1].file_index, 1);
  EXPECT_EQ(t[2].name, "c");
  EXPECT_EQ(t[2].file_index, 2);
  EXPECT_EQ(t[2].dtype, DType::kInt64);
  EXPECT_EQ(t[2].shape, (std::vector<int64_t>{4}));
  for (const TensorRef& tensor : t) EXPECT_TRUE(CheckViewBounds(tensor).ok()) << tensor.name;
  // c's bytes are the builder's counter pattern, read zero-copy from shard-2.
  ASSERT_EQ(t[2].storage.size(), 32u);
  EXPECT_EQ(t[2].storage[5], std::byte{5});
  EXPECT_EQ(Detail(ck, "shards"), "2");
  EXPECT_EQ(Detail(ck, "tensors"), "3");
  EXPECT_EQ(Detail(ck, "total_size"), "52");
  EXPECT_TRUE(ck.notes().empty()) << ck.notes()[0];
  const Node* root = ck.root();
  ASSERT_EQ(root->kind, NodeKind::kDict);
  ASSERT_EQ(root->entries.size(), 3u);
  EXPECT_EQ(root->entries[2].first->text, "c");
  EXPECT_EQ(root->entries[2].second->int_value, 2);
}

TEST_F(ShardedIndexTest, NotesTotalSizeMismatchAndUnlistedTensors) {
  WriteTwoShards();
  auto c = OpenIndex(R"({"metadata": {"total_size": 1e3}, "weight_map": {"a": "shard-1.safetensors", "c": "shard-2.safetensors"}})");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(Detail(**c, "total_size"), "1000");
  EXPECT_EQ((*c)->notes(), (std::vector<std::string>{
                               "shard 'shard-1.safetensors' holds 1 tensors the index does not list: 'b'",
                               "index metadata.total_size is 1000 but the shards' tensors hold 52 bytes"}));
}

TEST_F(ShardedIndexTest, MetadataIsOptional) {
  WriteTwoShards();
  auto c = OpenIndex(R"({"weight_map": {"c": "shard-2.safetensors"}, "extra": [1]})");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ((*c)->files().size(), 2u);
  EXPECT_EQ(Detail(**c, "total_size"), "<none>");
  auto empty = OpenIndex(R"({"metadata": {}, "weight_map": {}})");
  ASSERT_TRUE(empty.ok()) << empty.status().message();
  EXPECT_TRUE((*empty)->tensors().empty());
}

TEST_F(ShardedIndexTest, RejectsShardNamesOutsideTheDirectory) {
  WriteTwoShards();
  fs::create_directory(dir_ / "sub");
  fs::copy_file(dir_ / "shard-1.safetensors", dir_ / "sub" / "shard-1.safetensors");
  for (std::string shard : {"../shard-1.safetensors", "sub/shard-1.safetensors", "/etc/passwd", "..", ".", "",
                            "sub\\\\shard-1.safetensors", "a\\u0000b"}) {
    std::string message = IndexError(fmt::format(R"({{"weight_map": {{"a": "{}"}}}})", shard));
    EXPECT_THAT(message, HasSubstr("index maps tensor 'a' to shard '")) << shard;
    EXPECT_THAT(message, HasSubstr("which is not a plain file name in the index's directory")) << shard;
  }
}

TEST_F(ShardedIndexTest, MissingShard) {
  WriteTwoShards();
  std::string message = IndexError(R"({"weight_map": {"a": "shard-1.safetensors", "z": "shard-3.safetensors"}})");
  EXPECT_THAT(message, HasSubstr("shard 'shard-3.safetensors': "));
  EXPECT_THAT(message, HasSubstr("cannot open: No such file or directory"));
}

TEST_F(ShardedIndexTest, TensorMissingFromItsShard) {
  WriteTwoShards();
  EXPECT_THAT(IndexError(R"({"weight_map": {"a": "shard-1.safetensors", "x": "shard-2.safetensors"}})"),
              HasSubstr("index names tensor 'x' in shard-2.safetensors, which does not contain it"));
  EXPECT_THAT(IndexError(R"({"weight_map": {"a": "shard-2.safetensors"}})"),
              HasSubstr("index names tensor 'a' in shard-2.safetensors, which does not contain it"));
}

TEST_F(ShardedIndexTest, TensorNamesMustBeUniqueAcrossShards) {
  WriteTwoShards();
  SafetensorsBuilder three;
  three.Add("b", "U8", {1});
  Write("shard-3.safetensors", three.Finish());
  EXPECT_THAT(IndexError(R"({"weight_map": {"a": "shard-1.safetensors", "z": "shard-3.safetensors"}})"),
              HasSubstr("tensor 'b' is in both shard 'shard-1.safetensors' and shard 'shard-3.safetensors'"));
}

TEST_F(ShardedIndexTest, IndexJsonAndTypes) {
  WriteTwoShards();
  EXPECT_THAT(IndexError(R"({"weight_map": {"a": "shard-1.safetensors")"), HasSubstr("index file is not valid JSON: "));
  EXPECT_THAT(IndexError(R"([1, 2])"), HasSubstr("index file is an array, not a JSON object"));
  EXPECT_THAT(IndexError(R"({"metadata": {"total_size": 1}})"),
              HasSubstr("JSON file has no weight_map: not a sharded checkpoint index"));
  EXPECT_THAT(IndexError(R"({"weight_map": ["a"]})"), HasSubstr("index weight_map is an array, not an object"));
  EXPECT_THAT(IndexError(R"({"weight_map": {"a": 1}})"),
              HasSubstr("index weight_map value for tensor 'a' is an integer, not a string"));
  EXPECT_THAT(IndexError(R"({"weight_map": {"a": "shard-1.safetensors", "a": "shard-1.safetensors"}})"),
              HasSubstr("index file has duplicate key 'a'"));
  EXPECT_THAT(IndexError(R"({"metadata": [], "weight_map": {}})"), HasSubstr("index metadata is an array, not an object"));
  EXPECT_THAT(IndexError(R"({"metadata": {"total_size": "52"}, "weight_map": {}})"),
              HasSubstr("index metadata.total_size is a string, not a non-negative integer"));
  EXPECT_THAT(IndexError(R"({"metadata": {"total_size": -1}, "weight_map": {}})"), HasSubstr("total_size is an integer, not a"));
  EXPECT_THAT(IndexError(R"({"metadata": {"total_size": 1.5}, "weight_map": {}})"), HasSubstr("total_size is a float, not a"));
}

TEST_F(ShardedIndexTest, WeightMapEntryLimit) {
  std::string json = R"({"weight_map": {)";
  for (int i = 0; i <= 100'000; ++i) json += fmt::format(R"({}"t{}": "s.safetensors")", i ? "," : "", i);
  json += "}}";
  auto c = OpenIndex(json);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Code::kLimit);
  EXPECT_THAT(c.status().message(), HasSubstr("index weight_map has more than 100000 entries"));
}

TEST_F(ShardedIndexTest, CorruptShardNamesTheShard) {
  WriteTwoShards();
  SafetensorsBuilder bad;
  bad.Add("z", "F32", {4}, std::vector<std::byte>(12));
  Write("shard-2.safetensors", bad.Finish());
  EXPECT_THAT(IndexError(kTwoShardIndex),
              HasSubstr("shard 'shard-2.safetensors': safetensors tensor 'z' has data_offsets [0, 12) but F32 [4] needs 16 bytes"));
  Write("shard-2.safetensors", std::string_view("not a checkpoint"));
  EXPECT_THAT(IndexError(kTwoShardIndex), HasSubstr("shard 'shard-2.safetensors': not a safetensors or torch file"));
}

TEST_F(ShardedIndexTest, TorchZipShard) {
  std::string pth = CorpusFile("pyribs_mnist_classifier.pth");
  fs::copy_file(pth, dir_ / "pytorch_model-00001-of-00002.bin");
  SafetensorsBuilder two;
  two.Add("head.weight", "F32", {2, 2});
  Write("pytorch_model-00002-of-00002.bin", two.Finish());
  std::string map;
  for (std::string_view name : {"0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "9.weight", "9.bias",
                                "11.weight", "11.bias"})
    map += fmt::format(R"("{}": "pytorch_model-00001-of-00002.bin", )", name);
  Write("pytorch_model.bin.index.json", fmt::format(R"({{"weight_map": {{{} "head.weight": "pytorch_model-00002-of-00002.bin"}}}})", map));
  auto c = Checkpoint::Open((dir_ / "pytorch_model.bin.index.json").string());
  ASSERT_TRUE(c.ok()) << c.status().message();
  const auto& t = (*c)->tensors();
  ASSERT_EQ(t.size(), 11u);
  EXPECT_EQ((*c)->files().size(), 3u);
  for (size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(t[i].file_index, 1) << t[i].name;
    EXPECT_EQ(t[i].dtype, DType::kFloat32) << t[i].name;
    EXPECT_TRUE(CheckViewBounds(t[i]).ok()) << t[i].name;
  }
  EXPECT_EQ(t[10].name, "head.weight");
  EXPECT_EQ(t[10].file_index, 2);
  EXPECT_EQ((*c)->root()->entries.size(), 11u);
  EXPECT_EQ(Detail(**c, "shards"), "2");
}

}  // namespace
}  // namespace gitmodel
