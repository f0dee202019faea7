#include "formats/safetensors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "formats/testing/corpus.h"
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <random>

#include "formats/testing/safetensors_builder.h"
#include "tensors/tensor_view.h"

namespace gitmodel {
namespace {

using testing::HasSubstr;
using testutil::SafetensorsAddOptions;
using testutil::SafetensorsBuilder;
using testutil::SafetensorsFinishOptions;
namespace fs = std::filesystem;

std::string CorpusFile(std::string_view name) { return testutil::CorpusPath(name); }

SafetensorsAddOptions At(uint64_t begin, uint64_t end) {
  SafetensorsAddOptions o;
  o.data_offsets = std::pair(begin, end);
  return o;
}
SafetensorsAddOptions Raw(std::string entry) {
  SafetensorsAddOptions o;
  o.raw_entry = std::move(entry);
  return o;
}
SafetensorsFinishOptions WithHeader(std::string header, uint32_t pad_to = 8) {
  SafetensorsFinishOptions o;
  o.header = std::move(header);
  o.pad_to = pad_to;
  return o;
}
SafetensorsFinishOptions WithLength(uint64_t n) {
  SafetensorsFinishOptions o;
  o.header_length = n;
  return o;
}
SafetensorsFinishOptions WithTrailing(size_t n) {
  SafetensorsFinishOptions o;
  o.trailing.resize(n);
  return o;
}

class SafetensorsTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "gm-safetensors-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::vector<std::byte>& bytes, std::string name = "model.safetensors") {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return path;
  }
  Result<std::unique_ptr<Checkpoint>> Open(const std::vector<std::byte>& bytes) { return Checkpoint::Open(Write(bytes)); }
  // The error opening `bytes`, which must fail; checks it is one line.
  Status Error(const std::vector<std::byte>& bytes) {
    auto c = Open(bytes);
    EXPECT_FALSE(c.ok());
    EXPECT_EQ(c.status().message().find('\n'), std::string::npos) << c.status().message();
    return c.status();
  }
  Status Error(const SafetensorsBuilder& b, const SafetensorsFinishOptions& o = {}) { return Error(b.Finish(o)); }
  // The reader's own error, for files Checkpoint::Open's format sniffing would not send to it.
  Status ReaderError(const std::vector<std::byte>& bytes) {
    Checkpoint::Impl impl;
    impl.path = Write(bytes);
    auto mapping = MappedFile::Open(impl.path);
    EXPECT_TRUE(mapping.ok());
    if (!mapping.ok()) return mapping.status();
    impl.mappings.push_back(std::move(*mapping));
    Status s = ReadSafetensors(impl, 0);
    EXPECT_FALSE(s.ok());
    return s;
  }

  fs::path dir_;
};

std::string Detail(const Checkpoint& c, std::string_view key) {
  for (const FormatDetail& d : c.details())
    if (d.key == key) return d.value;
  return "<none>";
}

// The file's own bytes, read without the library, to compare spans against.
std::vector<std::byte> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::byte> out(chars.size());
  std::memcpy(out.data(), chars.data(), chars.size());
  return out;
}

void ExpectSpansMatchFile(const std::vector<TensorRef>& tensors, const std::vector<std::byte>& file) {
  for (const TensorRef& t : tensors) {
    ASSERT_LE(t.storage_file_offset + t.storage.size(), file.size()) << t.name;
    EXPECT_EQ(0, std::memcmp(t.storage.data(), file.data() + t.storage_file_offset, t.storage.size())) << t.name;
    EXPECT_TRUE(CheckViewBounds(t).ok()) << t.name;
    EXPECT_TRUE(t.is_contiguous()) << t.name;
    EXPECT_EQ(t.storage.size(), t.nbytes()) << t.name;
  }
}

TEST_F(SafetensorsTest, RealOverallSample) {
  std::string path = CorpusFile("hf_safetensors_samples_overall.safetensors");
  auto c = Checkpoint::Open(path);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ((*c)->format(), Format::kSafetensors);
  const std::vector<std::pair<std::string, DType>> expected = {
      {"B", DType::kUInt8}, {"H", DType::kUInt16}, {"I", DType::kUInt32}, {"b", DType::kInt8},   {"d", DType::kFloat64},
      {"e", DType::kFloat16}, {"f", DType::kFloat32}, {"h", DType::kInt16}, {"i", DType::kInt32}};
  const auto& tensors = (*c)->tensors();
  ASSERT_EQ(tensors.size(), expected.size());
  uint64_t offset = 8 + 526;
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(tensors[i].name, expected[i].first);
    EXPECT_EQ(tensors[i].storage_key, expected[i].first);
    EXPECT_EQ(tensors[i].dtype, expected[i].second) << tensors[i].name;
    EXPECT_EQ(tensors[i].shape, std::vector<int64_t>{6});
    EXPECT_EQ(tensors[i].strides, std::vector<int64_t>{1});
    EXPECT_EQ(tensors[i].storage_file_offset, offset);
    offset += tensors[i].nbytes();
  }
  EXPECT_EQ(offset, 702u);
  EXPECT_EQ(Detail(**c, "metadata.test"), "a");
  EXPECT_EQ(Detail(**c, "header_bytes"), "526");
  EXPECT_EQ(Detail(**c, "tensors"), "9");
  ExpectSpansMatchFile((*c)->tensors(), ReadAll(path));

  const Node* root = (*c)->root();
  ASSERT_EQ(root->kind, NodeKind::kDict);
  ASSERT_EQ(root->entries.size(), 9u);
  EXPECT_EQ(root->entries[3].first->text, "b");
  EXPECT_EQ(root->entries[3].second->kind, NodeKind::kTensor);
  EXPECT_EQ(root->entries[3].second->int_value, 3);
}

TEST_F(SafetensorsTest, RealSileroVad) {
  std::string path = CorpusFile("silero_vad_16k.safetensors");
  auto c = Checkpoint::Open(path);
  ASSERT_TRUE(c.ok()) << c.status().message();
  const auto& tensors = (*c)->tensors();
  ASSERT_EQ(tensors.size(), 15u);
  for (const TensorRef& t : tensors) EXPECT_EQ(t.dtype, DType::kFloat32) << t.name;
  EXPECT_EQ(tensors[0].name, "stft_conv.weight");
  EXPECT_EQ(tensors[0].shape, (std::vector<int64_t>{258, 1, 256}));
  EXPECT_EQ(tensors[0].strides, (std::vector<int64_t>{256, 256, 1}));
  EXPECT_EQ(tensors[9].name, "lstm_cell.weight_ih");
  EXPECT_EQ(tensors[9].shape, (std::vector<int64_t>{512, 128}));
  EXPECT_EQ(tensors[14].name, "final_conv.bias");
  EXPECT_EQ(tensors[14].storage_file_offset + 4, 1239748u);
  EXPECT_EQ(Detail(**c, "metadata.format"), "<none>");
  ExpectSpansMatchFile((*c)->tensors(), ReadAll(path));
}

TEST_F(SafetensorsTest, EveryDtype) {
  const std::vector<std::pair<std::string, DType>> dtypes = {
      {"BOOL", DType::kBool},          {"U8", DType::kUInt8},
      {"I8", DType::kInt8},            {"I16", DType::kInt16},
      {"U16", DType::kUInt16},         {"F16", DType::kFloat16},
      {"BF16", DType::kBFloat16},      {"I32", DType::kInt32},
      {"U32", DType::kUInt32},         {"F32", DType::kFloat32},
      {"C64", DType::kComplex64},      {"F64", DType::kFloat64},
      {"I64", DType::kInt64},          {"U64", DType::kUInt64},
      {"F8_E5M2", DType::kFloat8_e5m2}, {"F8_E4M3", DType::kFloat8_e4m3fn},
      {"F8_E4M3FNUZ", DType::kFloat8_e4m3fnuz}, {"F8_E5M2FNUZ", DType::kFloat8_e5m2fnuz},
      {"F8_E8M0", DType::kFloat8_e8m0fnu}, {"F4", DType::kFloat4_e2m1fn},
      {"F6_E2M3", DType::kFloat6_e2m3}, {"F6_E3M2", DType::kFloat6_e3m2}};
  SafetensorsBuilder b;
  for (const auto& [name, dtype] : dtypes) b.Add("t." + name, name, {2, 4});
  std::vector<std::byte> file = b.Finish();
  auto c = Open(file);
  ASSERT_TRUE(c.ok()) << c.status().message();
  ASSERT_EQ((*c)->tensors().size(), dtypes.size());
  for (size_t i = 0; i < dtypes.size(); ++i) {
    const TensorRef& t = (*c)->tensors()[i];
    EXPECT_EQ(t.name, "t." + dtypes[i].first);
    EXPECT_EQ(t.dtype, dtypes[i].second) << t.name;
    EXPECT_EQ(t.shape, (std::vector<int64_t>{2, 4}));
    EXPECT_EQ(t.strides, (std::vector<int64_t>{4, 1}));
    EXPECT_EQ(t.storage.size(), Info(dtypes[i].second).bits) << t.name;  // 8 elements
    EXPECT_EQ(t.file_index, 0);
  }
  ExpectSpansMatchFile((*c)->tensors(), file);
}

TEST_F(SafetensorsTest, EmptyAndRankZeroTensors) {
  SafetensorsBuilder b;
  b.Add("scalar", "F32", {}).Add("empty", "F32", {0, 3}).Add("empty2", "I64", {4, 0}).Add("tail", "U8", {2});
  auto c = Open(b.Finish());
  ASSERT_TRUE(c.ok()) << c.status().message();
  const auto& t = (*c)->tensors();
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0].name, "scalar");
  EXPECT_TRUE(t[0].shape.empty());
  EXPECT_EQ(t[0].storage.size(), 4u);
  // Both empty tensors sit at offset 4 and keep their header order.
  EXPECT_EQ(t[1].name, "empty");
  EXPECT_EQ(t[1].strides, (std::vector<int64_t>{3, 1}));
  EXPECT_EQ(t[2].name, "empty2");
  EXPECT_EQ(t[2].strides, (std::vector<int64_t>{1, 1}));
  EXPECT_TRUE(t[1].storage.empty() && t[2].storage.empty());
  EXPECT_EQ(t[3].storage_file_offset, t[0].storage_file_offset + 4);
}

TEST_F(SafetensorsTest, NoTensors) {
  auto c = Open(SafetensorsBuilder().Metadata("format", "pt").Finish());
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_TRUE((*c)->tensors().empty());
  EXPECT_EQ(Detail(**c, "metadata.format"), "pt");
  EXPECT_EQ((*c)->root()->kind, NodeKind::kDict);
  EXPECT_TRUE(Open(SafetensorsBuilder().Finish(WithHeader("{}", 1))).ok());
}

TEST_F(SafetensorsTest, TensorsComeInOffsetOrder) {
  // Header order b, a; data order a, b (as older writers sorted by name).
  SafetensorsBuilder b;
  b.Add("b", "F32", {2}, At(4, 12));
  b.Add("a", "F32", {1}, At(0, 4));
  std::vector<std::byte> file = b.Finish();
  auto c = Open(file);
  ASSERT_TRUE(c.ok()) << c.status().message();
  ASSERT_EQ((*c)->tensors().size(), 2u);
  EXPECT_EQ((*c)->tensors()[0].name, "a");
  EXPECT_EQ((*c)->tensors()[1].name, "b");
  EXPECT_EQ((*c)->root()->entries[0].first->text, "a");
  ExpectSpansMatchFile((*c)->tensors(), file);
}

TEST_F(SafetensorsTest, MetadataAndUnknownFields) {
  SafetensorsBuilder b;
  b.Metadata("format", "pt").Metadata("note", "x\ny");
  b.Add("a", "F32", {1}, Raw(R"({"dtype":"F32","shape":[1],"data_offsets":[0,4],"extra":{"k":[1,2]}})"));
  auto c = Open(b.Finish());
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(Detail(**c, "metadata.format"), "pt");
  EXPECT_EQ(Detail(**c, "metadata.note"), "x\ny");
  EXPECT_EQ(Detail(**c, "tensors"), "1");
  EXPECT_TRUE(Open(SafetensorsBuilder().MetadataRaw("__dummy", "\"v\"").Finish()).ok());
}

TEST_F(SafetensorsTest, NullMetadataIsAccepted) {
  auto c = Open(SafetensorsBuilder().Finish(WithHeader(R"({"__metadata__":null})")));
  ASSERT_TRUE(c.ok()) << c.status().message();
}

TEST_F(SafetensorsTest, LargeSparseFileOpensWithoutReadingData) {
  SafetensorsBuilder b;
  b.Add("big", "U8", {5'000'000'000}, std::span<const std::byte>{},
        At(0, 5'000'000'000));
  std::string path = Write(b.Finish());
  fs::resize_file(path, fs::file_size(path) + 5'000'000'000);
  auto c = Checkpoint::Open(path);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ((*c)->tensors()[0].storage.size(), 5'000'000'000u);
}

// --- The reference's checks, one failing file each ---

TEST_F(SafetensorsTest, TooShortForHeaderLength) {
  std::vector<std::byte> file(7);
  file[0] = std::byte{1};
  EXPECT_THAT(ReaderError(file).message(), HasSubstr("safetensors file is 7 bytes, too short for the 8-byte header length"));
}

TEST_F(SafetensorsTest, HeaderLengthLimits) {
  SafetensorsBuilder b;
  b.Add("a", "F32", {4});
  std::vector<std::byte> file = b.Finish(WithLength(99'999'999));
  file.resize(512);
  EXPECT_THAT(Error(file).message(), HasSubstr("safetensors header length 99999999 exceeds the file's 512 bytes"));
  Status too_big = Error(b, WithLength(100'000'001));
  EXPECT_EQ(too_big.code(), Code::kLimit);
  EXPECT_THAT(too_big.message(), HasSubstr("safetensors header length 100000001 exceeds the limit of 100000000 bytes"));
  EXPECT_THAT(Error(b, WithLength(5)).message(), HasSubstr("not valid JSON"));
}

TEST_F(SafetensorsTest, HeaderMustBeJsonObject) {
  SafetensorsBuilder b;
  EXPECT_THAT(ReaderError(b.Finish(WithHeader(" {}"))).message(), HasSubstr("safetensors header does not start with '{'"));
  EXPECT_THAT(Error(b, WithHeader(R"({"a": )")).message(), HasSubstr("safetensors header is not valid JSON: "));
  EXPECT_THAT(Error(b, WithHeader("{} x")).message(), HasSubstr("not valid JSON"));
  EXPECT_THAT(Error(b, WithHeader("{}\x01", 1)).message(), HasSubstr("not valid JSON"));
  EXPECT_THAT(Error(b, WithHeader("{\"\xff\": 1}")).message(), HasSubstr("not valid JSON"));
  EXPECT_THAT(Error(b, WithHeader(R"({"a": "\ud800"})")).message(), HasSubstr("not valid JSON"));
}

TEST_F(SafetensorsTest, DeepNestingIsALimit) {
  std::string deep = std::string(300, '[') + std::string(300, ']');
  SafetensorsBuilder b;
  b.Add("a", "F32", {1}, Raw(R"({"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":)" + deep + "}"));
  Status s = Error(b);
  EXPECT_EQ(s.code(), Code::kLimit);
  EXPECT_THAT(s.message(), HasSubstr("safetensors header nests deeper than 128 levels"));
}

TEST_F(SafetensorsTest, DuplicateKeys) {
  SafetensorsBuilder b;
  b.Add("a", "F32", {1}).Add("a", "F32", {1});
  EXPECT_THAT(Error(b).message(), HasSubstr("safetensors header has duplicate key 'a'"));
  SafetensorsBuilder fields;
  fields.Add("a", "F32", {1}, Raw(R"({"dtype":"F32","dtype":"F16","shape":[1],"data_offsets":[0,4]})"));
  EXPECT_THAT(Error(fields).message(), HasSubstr("duplicate key 'dtype'"));
  SafetensorsBuilder metadata;
  metadata.Metadata("k", "1").Metadata("k", "2");
  EXPECT_THAT(Error(metadata).message(), HasSubstr("duplicate key 'k'"));
}

TEST_F(SafetensorsTest, EntryFieldsAndTypes) {
  auto entry_error = [&](std::string raw) {
    SafetensorsBuilder b;
    b.Add("a.weight", "F32", {1}, Raw(std::move(raw)));
    return Error(b).message();
  };
  EXPECT_THAT(entry_error("[]"), HasSubstr("safetensors tensor 'a.weight' is an array, not an object"));
  EXPECT_THAT(entry_error(R"({"shape":[1],"data_offsets":[0,4]})"), HasSubstr("safetensors tensor 'a.weight' has no dtype"));
  EXPECT_THAT(entry_error(R"({"dtype":"F32","data_offsets":[0,4]})"), HasSubstr("has no shape"));
  EXPECT_THAT(entry_error(R"({"dtype":"F32","shape":[1]})"), HasSubstr("has no data_offsets"));
  EXPECT_THAT(entry_error(R"({"dtype":32,"shape":[1],"data_offsets":[0,4]})"),
              HasSubstr("safetensors tensor 'a.weight' dtype is an integer, not a string"));
  EXPECT_THAT(entry_error(R"({"dtype":"F32","shape":1,"data_offsets":[0,4]})"), HasSubstr("shape is an integer, not an array"));
  EXPECT_THAT(entry_error(R"({"dtype":"F32","shape":[-1],"data_offsets":[0,4]})"),
              HasSubstr("shape holds a negative integer"));
  EXPECT_THAT(entry_error(R"({"dtype":"F32","shape":[1.0],"data_offsets":[0,4]})"), HasSubstr("shape holds a float"));
  EXPECT_THAT(entry_error(R"({"dtype":"F32","shape":[1],"data_offsets":[0,4,8]})"),
              HasSubstr("data_offsets must be two non-negative integers [begin, end]"));
  EXPECT_THAT(entry_error(R"({"dtype":"F32","shape":[1],"data_offsets":[-4,0]})"), HasSubstr("data_offsets must be"));
  EXPECT_THAT(entry_error(R"({"dtype":"F32","shape":[1],"data_offsets":"0,4"})"), HasSubstr("data_offsets must be"));
}

TEST_F(SafetensorsTest, UnknownDtype) {
  SafetensorsBuilder b;
  b.Add("a", "F128", {1}, std::vector<std::byte>(16));
  Status s = Error(b);
  EXPECT_EQ(s.code(), Code::kUnsupported);
  EXPECT_THAT(s.message(), HasSubstr("safetensors tensor 'a' has unknown dtype 'F128'"));
  SafetensorsBuilder lower;
  lower.Add("a", "f32", {1}, std::vector<std::byte>(4));
  EXPECT_THAT(Error(lower).message(), HasSubstr("unknown dtype 'f32'"));
}

TEST_F(SafetensorsTest, MetadataMustMapStringsToStrings) {
  EXPECT_THAT(Error(SafetensorsBuilder().MetadataRaw("epoch", "3")).message(),
              HasSubstr("safetensors __metadata__ value 'epoch' is an integer, not a string"));
  EXPECT_THAT(Error(SafetensorsBuilder().MetadataRaw("cfg", R"({"a":"b"})")).message(),
              HasSubstr("__metadata__ value 'cfg' is an object, not a string"));
  EXPECT_THAT(Error(SafetensorsBuilder(), WithHeader(R"({"__metadata__":["a"]})")).message(),
              HasSubstr("safetensors __metadata__ is an array, not an object"));
}

TEST_F(SafetensorsTest, Overlap) {
  SafetensorsBuilder b;
  b.Add("a", "F32", {16}).Add("b", "F32", {16}, At(32, 96));
  EXPECT_THAT(Error(b).message(), HasSubstr("safetensors tensors 'a' [0, 64) and 'b' [32, 96) overlap"));
  // An empty tensor inside another one overlaps it too.
  SafetensorsBuilder empty;
  empty.Add("a", "F32", {16}).Add("e", "F32", {0}, At(8, 8));
  EXPECT_THAT(Error(empty).message(), HasSubstr("'a' [0, 64) and 'e' [8, 8) overlap"));
}

TEST_F(SafetensorsTest, Gaps) {
  SafetensorsBuilder start;
  start.Add("a", "F32", {1}, std::vector<std::byte>(8), At(4, 8));
  EXPECT_THAT(Error(start).message(), HasSubstr("safetensors data buffer has a gap: [0, 4) before tensor 'a' belongs to no tensor"));
  SafetensorsBuilder middle;
  middle.Add("a", "F32", {1}).Add("b", "F32", {1}, std::vector<std::byte>(8), At(8, 12));
  EXPECT_THAT(Error(middle).message(),
              HasSubstr("safetensors data buffer has a gap: [4, 8) between tensors 'a' and 'b' belongs to no tensor"));
}

TEST_F(SafetensorsTest, EndBeforeBegin) {
  SafetensorsBuilder b;
  b.Add("a", "F32", {0}, At(0, 0));
  b.Add("c", "U8", {0}, At(4, 0));
  b.Add("d", "U8", {4}, At(0, 4));
  EXPECT_THAT(Error(b).message(), HasSubstr("safetensors tensor 'c' has data_offsets [4, 0): end before begin"));
  SafetensorsBuilder alone;
  alone.Add("z", "U8", {0}, At(0, 0));
  alone.Add("y", "U8", {0}, At(0, std::numeric_limits<uint64_t>::max()));
  EXPECT_THAT(Error(alone).message(), HasSubstr("tensor 'y' has data_offsets [0, 18446744073709551615) but U8 [0] needs 0 bytes"));
}

TEST_F(SafetensorsTest, SizeMustMatchDtypeAndShape) {
  SafetensorsBuilder b;
  b.Add("a.weight", "F32", {4, 8}, std::vector<std::byte>(96));
  EXPECT_THAT(Error(b).message(), HasSubstr("safetensors tensor 'a.weight' has data_offsets [0, 96) but F32 [4, 8] needs 128 bytes"));
  SafetensorsBuilder f4;
  f4.Add("q", "F4", {4, 3}, std::vector<std::byte>(5));
  EXPECT_THAT(Error(f4).message(), HasSubstr("'q' has data_offsets [0, 5) but F4 [4, 3] needs 6 bytes"));
}

TEST_F(SafetensorsTest, SubByteSizesMustBeWholeBytes) {
  SafetensorsBuilder b;
  b.Add("q", "F4", {3}, std::vector<std::byte>(2));
  EXPECT_THAT(Error(b).message(), HasSubstr("safetensors tensor 'q' F4 [3] is 12 bits, not a whole number of bytes"));
  SafetensorsBuilder f6;
  f6.Add("q", "F6_E2M3", {2, 2}, std::vector<std::byte>(3));
  EXPECT_TRUE(Open(f6.Finish()).ok());
}

TEST_F(SafetensorsTest, SizeOverflow) {
  SafetensorsBuilder b;
  b.Add("a", "F32", {1LL << 62, 1LL << 62});
  EXPECT_THAT(Error(b).message(), HasSubstr("safetensors tensor 'a' F32 [4611686018427387904, 4611686018427387904] overflows 64-bit sizes"));
  SafetensorsBuilder bits;
  bits.Add("a", "F64", {1LL << 62});
  EXPECT_THAT(Error(bits).message(), HasSubstr("overflows 64-bit sizes"));
  // The reference folds left to right: an overflow before a zero dimension is still an error.
  SafetensorsBuilder order;
  order.Add("a", "U8", {1LL << 62, 1LL << 62, 0});
  EXPECT_THAT(Error(order).message(), HasSubstr("overflows 64-bit sizes"));
}

TEST_F(SafetensorsTest, DimensionsMustFitInt64) {
  SafetensorsBuilder b;
  b.Add("a", "U8", {0}, Raw(R"({"dtype":"U8","shape":[0,18446744073709551615],"data_offsets":[0,0]})"));
  Status s = Error(b);
  EXPECT_EQ(s.code(), Code::kLimit);
  EXPECT_THAT(s.message(), HasSubstr("tensor 'a' has a dimension of 18446744073709551615"));
  SafetensorsBuilder strides;
  strides.Add("a", "U8", {0, 1LL << 40, 1LL << 40});
  EXPECT_THAT(Error(strides).message(), HasSubstr("is too large to index"));
}

TEST_F(SafetensorsTest, FileLengthMustMatchData) {
  SafetensorsBuilder b;
  b.Add("a", "F32", {4}).Add("b", "F32", {4});
  std::vector<std::byte> file = b.Finish();
  const uint64_t header_end = file.size() - 32;
  std::vector<std::byte> truncated(file.begin(), file.end() - 4);
  EXPECT_THAT(Error(truncated).message(),
              HasSubstr(fmt::format("safetensors tensor 'b' ends at data offset 32, past the end of the file ({} bytes, 28 of tensor data)",
                                    truncated.size())));
  EXPECT_THAT(Error(b, WithTrailing(3)).message(),
              HasSubstr(fmt::format("safetensors file has 3 bytes after the last tensor's data (tensor data ends at file offset {}, "
                                    "the file has {} bytes)", header_end + 32, file.size() + 3)));
  SafetensorsBuilder past;
  past.Add("a", "F32", {1LL << 40}, std::span<const std::byte>{}, At(0, 1ULL << 42));
  EXPECT_THAT(Error(past).message(), HasSubstr("tensor 'a' ends at data offset 4398046511104, past the end of the file"));
  EXPECT_THAT(Error(SafetensorsBuilder(), WithTrailing(5)).message(),
              HasSubstr("safetensors file has 5 bytes after the last tensor's data"));
}

TEST_F(SafetensorsTest, MessagesStayOnOneLine) {
  SafetensorsBuilder b;
  b.Add("evil\nname\x1b[2J", "F99", {1});
  EXPECT_THAT(Error(b).message(), HasSubstr("tensor 'evil\\x0aname\\x1b[2J' has unknown dtype 'F99'"));
  SafetensorsBuilder long_name;
  long_name.Add(std::string(5000, 'x'), "F99", {1});
  EXPECT_LT(Error(long_name).message().size(), 400u);
}

TEST_F(SafetensorsTest, ReaderFillsImplDirectly) {
  SafetensorsBuilder b;
  b.Add("w", "BF16", {3});
  std::string path = Write(b.Finish());
  Checkpoint::Impl impl;
  impl.path = path;
  impl.files = {path, path};
  auto m0 = MappedFile::Open(path), m1 = MappedFile::Open(path);
  ASSERT_TRUE(m0.ok() && m1.ok());
  impl.mappings.push_back(std::move(*m0));
  impl.mappings.push_back(std::move(*m1));
  auto summary = AppendSafetensorsTensors(impl, 1);
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  EXPECT_EQ(summary->first_tensor, 0u);
  EXPECT_EQ(summary->tensor_count, 1u);
  ASSERT_EQ(impl.tensors.size(), 1u);
  EXPECT_EQ(impl.tensors[0].file_index, 1);
  EXPECT_EQ(impl.tensors[0].storage.data(), impl.mappings[1]->bytes().data() + impl.tensors[0].storage_file_offset);
  EXPECT_EQ(impl.root, nullptr);
}

// gguf-style: seeded corruptions of a valid file either open with sound views or fail cleanly.
TEST_F(SafetensorsTest, SeededCorruptionsNeverYieldBadViews) {
  SafetensorsBuilder b;
  b.Metadata("format", "pt");
  b.Add("a", "F32", {2, 3}).Add("b", "F4", {4}).Add("c", "I64", {}).Add("d", "BF16", {0, 2}).Add("e", "U8", {5});
  const std::vector<std::byte> valid = b.Finish();
  std::mt19937 rng(20240611);
  int opened = 0;
  for (int i = 0; i < 1500; ++i) {
    std::vector<std::byte> file = valid;
    switch (rng() % 4) {
      case 0: file[rng() % file.size()] = static_cast<std::byte>(rng()); break;
      case 1: file.resize(rng() % file.size()); break;
      case 2: file[rng() % std::min<size_t>(file.size(), 8)] ^= static_cast<std::byte>(1u << (rng() % 8)); break;
      case 3: file.insert(file.begin() + static_cast<ptrdiff_t>(rng() % file.size()), static_cast<std::byte>(rng())); break;
    }
    // The reader itself: a corrupted sniff byte would send Checkpoint::Open to another reader.
    Checkpoint::Impl impl;
    impl.path = Write(file);
    auto mapping = MappedFile::Open(impl.path);
    ASSERT_TRUE(mapping.ok());
    impl.mappings.push_back(std::move(*mapping));
    Status s = ReadSafetensors(impl, 0);
    if (!s.ok()) {
      EXPECT_EQ(s.message().find('\n'), std::string::npos);
      continue;
    }
    ++opened;
    ExpectSpansMatchFile(impl.tensors, file);
  }
  EXPECT_GT(opened, 0);
}

}  // namespace
}  // namespace gitmodel
