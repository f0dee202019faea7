#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "base/byte_reader.h"
#include "formats/testing/corpus.h"
#include "formats/testing/expect_error.h"
#include "formats/testing/safetensors_builder.h"
#include "gitmodel/checkpoint.h"
#include "provenance/embed.h"
#include "provenance/embed_internal.h"

namespace gitmodel {
namespace {

namespace fs = std::filesystem;
using embed_internal::SetHeaderMetadata;
using testutil::ExpectError;

constexpr std::string_view kRecord1 = R"({"schema":"git-model/provenance/v1","quote":"\"}{","tab":"\t"})";
constexpr std::string_view kRecord2 = R"({"schema":"git-model/provenance/v1","run":2})";

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

struct Parts {
  std::string header;  // padding included
  std::string data;
};
Parts Split(const std::string& file) {
  uint64_t n = *ByteView(std::as_bytes(std::span(file.data(), file.size()))).Read<uint64_t>(0);
  return {file.substr(8, n), file.substr(8 + n)};
}

class EmbedSafetensorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("gm-embed-st-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Corpus(const std::string& name) {
    std::string path = (dir_ / name).string();
    fs::copy_file(testutil::CorpusPath(name), path);
    return path;
  }
  fs::path dir_;
};

TEST_F(EmbedSafetensorsTest, KeepsMetadataTensorEntriesAndData) {
  const std::string path = Corpus("hf_safetensors_samples_overall.safetensors");
  const Parts before = Split(ReadText(path));
  auto written = WriteEmbeddedRecord(path, kRecord1);
  ASSERT_TRUE(written.ok()) << written.status().message();
  EXPECT_EQ(written->location, RecordLocation::kSafetensorsMetadata);
  EXPECT_EQ(written->where, "__metadata__[git-model.provenance]");

  const Parts after = Split(ReadText(path));
  EXPECT_EQ(after.data, before.data);
  EXPECT_EQ(after.header.size() % 8, 0u);
  auto old_header = nlohmann::ordered_json::parse(before.header);
  auto new_header = nlohmann::ordered_json::parse(after.header);
  EXPECT_EQ(new_header["__metadata__"]["test"], "a");
  EXPECT_EQ(new_header["__metadata__"]["git-model.provenance"], kRecord1);
  new_header["__metadata__"].erase("git-model.provenance");
  EXPECT_EQ(new_header, old_header);  // same entries, same order

  auto read = ReadEmbeddedRecord(path);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->json, kRecord1);
  auto checkpoint = Checkpoint::Open(path);
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status().message();
  EXPECT_EQ((*checkpoint)->tensors().size(), 9u);
}

TEST_F(EmbedSafetensorsTest, AddsMetadataFirstAndRestampReplaces) {
  const std::string path = Corpus("silero_vad_16k.safetensors");
  const Parts before = Split(ReadText(path));
  ASSERT_TRUE(WriteEmbeddedRecord(path, kRecord1).ok());
  ASSERT_TRUE(WriteEmbeddedRecord(path, kRecord2).ok());
  const Parts after = Split(ReadText(path));
  EXPECT_EQ(after.data, before.data);
  EXPECT_TRUE(after.header.starts_with(R"({"__metadata__":{"git-model.provenance":)")) << after.header.substr(0, 80);
  auto header = nlohmann::ordered_json::parse(after.header);
  EXPECT_EQ(header["__metadata__"].size(), 1u);
  EXPECT_EQ(ReadEmbeddedRecord(path)->json, kRecord2);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), {}), 1);
}

std::string Padded(std::string text) { return text.append((8 - text.size() % 8) % 8, ' '); }

TEST(EmbedSafetensorsHeaderTest, SplicesOnlyTheMetadata) {
  EXPECT_EQ(*SetHeaderMetadata("{}", "k", "v"), Padded(R"({"__metadata__":{"k":"v"}})"));
  EXPECT_EQ(*SetHeaderMetadata(R"({"t":{"dtype":"F32","shape":[],"data_offsets":[0,4]}})", "k", "v"),
            Padded(R"({"__metadata__":{"k":"v"},"t":{"dtype":"F32","shape":[],"data_offsets":[0,4]}})"));
  EXPECT_EQ(*SetHeaderMetadata(R"({"__metadata__":null,"t":{"dtype":"F32","shape":[],"data_offsets":[0,4]}})", "k", "v"),
            Padded(R"({"__metadata__":{"k":"v"},"t":{"dtype":"F32","shape":[],"data_offsets":[0,4]}})"));
  // Escaped key, strings holding braces and quotes, whitespace, old padding.
  const std::string header = R"({ "we}i\"rd[" : {"dtype":"F32", "shape":[1], "data_offsets":[0,4], "x":[{"}":"]"}]},)"
                             R"( "\u005f_metadata__" : {"a":"b}", "k":"old"} }        )";
  auto out = SetHeaderMetadata(header, "k", "new \"value\"");
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(*out, Padded(R"({ "we}i\"rd[" : {"dtype":"F32", "shape":[1], "data_offsets":[0,4], "x":[{"}":"]"}]},)"
                         R"( "\u005f_metadata__" : {"a":"b}","k":"new \"value\""} })"));
}

TEST(EmbedSafetensorsHeaderTest, FailsClosedOnTextItCannotScan) {
  ExpectError(SetHeaderMetadata(R"({"a":{"b":1})", "k", "v"), Code::kCorrupt, "safetensors header");
  ExpectError(SetHeaderMetadata(R"({"a)", "k", "v"), Code::kCorrupt, "unterminated string");
  ExpectError(SetHeaderMetadata(R"({"__metadata__":[1]})", "k", "v"), Code::kCorrupt, "not an object");
}

TEST(EmbedSafetensorsHeaderTest, HeaderLimitIsTheReferenceOne) {
  // The bulk sits in a field the scan skips, so only a small __metadata__ is parsed.
  std::string header = R"({"t":{"dtype":"U8","shape":[0],"data_offsets":[0,0],"pad":")" + std::string(99'999'900, 'p') + "\"}}";
  ExpectError(SetHeaderMetadata(header, "k", std::string(200, 'v')), Code::kLimit, "100000000");
}

TEST_F(EmbedSafetensorsTest, MetadataRecordThatIsNotAnObjectIsCorrupt) {
  std::vector<std::byte> file = testutil::SafetensorsBuilder()
                                    .Metadata("git-model.provenance", "not json")
                                    .Add("w", "F32", {2})
                                    .Finish();
  const std::string path = (dir_ / "bad.safetensors").string();
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(file.data()), file.size());
  ExpectError(ReadEmbeddedRecord(path), Code::kCorrupt, "__metadata__[git-model.provenance] is not a JSON object");
}

}  // namespace
}  // namespace gitmodel
