#include "provenance/embed.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "base/byte_reader.h"
#include "formats/testing/corpus.h"
#include "formats/testing/expect_error.h"
#include "formats/zip_reader.h"
#include "gitmodel/checkpoint.h"

namespace gitmodel {
namespace {

namespace fs = std::filesystem;
using testutil::ExpectError;

constexpr std::string_view kRecord1 = R"({"schema":"git-model/provenance/v1","run":1,"note":"caf\u00e9 ünïcode"})";
constexpr std::string_view kRecord2 = R"({"schema":"git-model/provenance/v1","run":2})";

std::vector<std::byte> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto* p = reinterpret_cast<const std::byte*>(chars.data());
  return std::vector<std::byte>(p, p + chars.size());
}

class EmbedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("gm-embed-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    fs::permissions(dir_, fs::perms::owner_all);
    fs::remove_all(dir_);
  }
  // A copy of a corpus file in the temp folder.
  std::string Corpus(const std::string& name) {
    std::string path = (dir_ / name).string();
    fs::copy_file(testutil::CorpusPath(name), path, fs::copy_options::overwrite_existing);
    return path;
  }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  size_t FilesInDir() const { return static_cast<size_t>(std::distance(fs::directory_iterator(dir_), {})); }

  fs::path dir_;
};

// Same tensors (names, types, layout and bytes) in both files.
void ExpectSameTensors(const std::string& original, const std::string& stamped) {
  auto a = Checkpoint::Open(original);
  auto b = Checkpoint::Open(stamped);
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ((*a)->format(), (*b)->format());
  const auto& ta = (*a)->tensors();
  const auto& tb = (*b)->tensors();
  ASSERT_EQ(ta.size(), tb.size());
  for (size_t i = 0; i < ta.size(); ++i) {
    EXPECT_EQ(ta[i].name, tb[i].name);
    EXPECT_EQ(ta[i].dtype, tb[i].dtype);
    EXPECT_EQ(ta[i].shape, tb[i].shape);
    EXPECT_EQ(ta[i].strides, tb[i].strides);
    EXPECT_EQ(ta[i].storage_offset, tb[i].storage_offset);
    auto va = ta[i].view_bytes(), vb = tb[i].view_bytes();
    EXPECT_TRUE(std::equal(va.begin(), va.end(), vb.begin(), vb.end())) << ta[i].name;
  }
}

std::vector<ZipEntry> ZipEntries(const std::vector<std::byte>& bytes) {
  auto zip = ZipArchive::Open(bytes);
  EXPECT_TRUE(zip.ok()) << zip.status().message();
  return zip.ok() ? zip->entries() : std::vector<ZipEntry>();
}

TEST_F(EmbedTest, ZipRecordIsLastAlignedAndReadBack) {
  const std::string path = Corpus("pyribs_mnist_classifier.pth");
  const std::vector<std::byte> before = ReadFile(path);
  auto written = WriteEmbeddedRecord(path, kRecord1);
  ASSERT_TRUE(written.ok()) << written.status().message();
  EXPECT_EQ(written->location, RecordLocation::kZipRecord);
  EXPECT_EQ(written->where, "archive/git-model/provenance.json");

  const std::vector<std::byte> after = ReadFile(path);
  std::vector<ZipEntry> entries = ZipEntries(after);
  ASSERT_EQ(entries.size(), ZipEntries(before).size() + 1);
  const ZipEntry& record = entries.back();
  EXPECT_EQ(record.name, "archive/git-model/provenance.json");
  EXPECT_EQ(record.method, kZipMethodStored);
  EXPECT_EQ(record.data_offset % 64, 0u);
  for (const ZipEntry& e : entries) EXPECT_LE(e.local_header_offset, record.local_header_offset);
  EXPECT_EQ(AsText(std::span(after).subspan(record.data_offset, record.compressed_size)), kRecord1);
  // torch's bytes are kept as they were, up to where its central directory started.
  const uint64_t old_cd = record.local_header_offset;
  EXPECT_TRUE(std::equal(before.begin(), before.begin() + static_cast<ptrdiff_t>(old_cd), after.begin()));

  auto read = ReadEmbeddedRecord(path);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->location, RecordLocation::kZipRecord);
  EXPECT_EQ(read->json, kRecord1);
  EXPECT_EQ(read->where, "archive/git-model/provenance.json");
  ExpectSameTensors(testutil::CorpusPath("pyribs_mnist_classifier.pth"), path);
}

TEST_F(EmbedTest, RestampingReplacesTheZipRecord) {
  const std::string path = Corpus("toadgan_lightning_namespace_hparams.ckpt");
  ASSERT_TRUE(WriteEmbeddedRecord(path, kRecord1).ok());
  const uint64_t size_once = fs::file_size(path);
  ASSERT_TRUE(WriteEmbeddedRecord(path, kRecord2).ok());
  std::vector<ZipEntry> entries = ZipEntries(ReadFile(path));
  EXPECT_EQ(std::count_if(entries.begin(), entries.end(),
                          [](const ZipEntry& e) { return e.name.find("git-model/") != std::string::npos; }),
            1);
  EXPECT_EQ(ReadEmbeddedRecord(path)->json, kRecord2);
  EXPECT_EQ(fs::file_size(path), size_once - kRecord1.size() + kRecord2.size());
  EXPECT_EQ(FilesInDir(), 1u);  // no temp file, no sidecar
  ExpectSameTensors(testutil::CorpusPath("toadgan_lightning_namespace_hparams.ckpt"), path);
}

TEST_F(EmbedTest, ZipRecordUsesTheArchivePrefix) {
  const std::string path = Corpus("candle_fortran_tensor_3d.pth");
  auto written = WriteEmbeddedRecord(path, kRecord1);
  ASSERT_TRUE(written.ok()) << written.status().message();
  EXPECT_EQ(written->where, "fortran_tensor_3d/git-model/provenance.json");
  EXPECT_EQ(ReadEmbeddedRecord(path)->where, "fortran_tensor_3d/git-model/provenance.json");
  ExpectSameTensors(testutil::CorpusPath("candle_fortran_tensor_3d.pth"), path);
}

TEST_F(EmbedTest, TorchScriptGetsAZipRecord) {
  for (const char* name : {"silero_vad_2021_model_micro.jit", "silero_vad.jit"}) {
    const std::string path = Corpus(name);
    auto written = WriteEmbeddedRecord(path, kRecord1);
    ASSERT_TRUE(written.ok()) << written.status().message();
    EXPECT_EQ(written->location, RecordLocation::kZipRecord);
    EXPECT_TRUE(written->where.ends_with("/git-model/provenance.json")) << written->where;
    EXPECT_EQ(ReadEmbeddedRecord(path)->json, kRecord1);
    ExpectSameTensors(testutil::CorpusPath(name), path);
  }
}

TEST_F(EmbedTest, UnstampedFileHasNoRecord) {
  for (const char* name : {"pyribs_mnist_classifier.pth", "hf_safetensors_samples_overall.safetensors",
                           "facenet_pnet.pt"}) {
    auto read = ReadEmbeddedRecord(testutil::CorpusPath(name));
    ASSERT_TRUE(read.ok()) << read.status().message();
    EXPECT_EQ(read->location, RecordLocation::kNone) << name;
  }
}

TEST_F(EmbedTest, LegacyFormatsGetASidecar) {
  for (const char* name : {"facenet_pnet.pt", "ocamltorch_foo_jit_torch10_2019-01.pt"}) {
    const std::string path = Corpus(name);
    const std::vector<std::byte> before = ReadFile(path);
    auto written = WriteEmbeddedRecord(path, kRecord1);
    ASSERT_TRUE(written.ok()) << written.status().message();
    EXPECT_EQ(written->location, RecordLocation::kSidecar);
    EXPECT_EQ(written->where, fs::absolute(path + ".git-model.json").string());
    EXPECT_TRUE(ReadFile(path) == before);
    ASSERT_TRUE(WriteEmbeddedRecord(path, kRecord2).ok());
    auto read = ReadEmbeddedRecord(path);
    ASSERT_TRUE(read.ok()) << read.status().message();
    EXPECT_EQ(read->location, RecordLocation::kSidecar);
    EXPECT_EQ(read->json, kRecord2);
  }
}

TEST_F(EmbedTest, SidecarThatIsNotAnObjectIsCorrupt) {
  const std::string path = Corpus("facenet_pnet.pt");
  std::ofstream(SidecarPath(path)) << "[1, 2]";
  ExpectError(ReadEmbeddedRecord(path), Code::kCorrupt, "is not a JSON object");
}

TEST_F(EmbedTest, RefusesRecordsOver16MiBAndNonObjects) {
  const std::string path = Corpus("pyribs_mnist_classifier.pth");
  const std::vector<std::byte> before = ReadFile(path);
  std::string big = "{\"x\":\"" + std::string(16 << 20, 'a') + "\"}";
  ExpectError(WriteEmbeddedRecord(path, big), Code::kLimit, "16 MiB");
  ExpectError(WriteEmbeddedRecord(path, "[1]"), Code::kInvalidArgument, "not a JSON object");
  ExpectError(WriteEmbeddedRecord(path, "{\"a\": \"\xff\"}"), Code::kInvalidArgument, "not a JSON object");
  EXPECT_TRUE(ReadFile(path) == before);
}

TEST_F(EmbedTest, NotACheckpointIsRefusedAndUntouched) {
  const std::string path = Path("notes.txt");
  std::ofstream(path) << "hello, not a model";
  ExpectError(WriteEmbeddedRecord(path, kRecord1), Code::kInvalidArgument, path);
  ExpectError(ReadEmbeddedRecord(path), Code::kInvalidArgument, path);
  EXPECT_EQ(fs::file_size(path), 18u);
  EXPECT_EQ(FilesInDir(), 1u);
}

TEST_F(EmbedTest, MalformedZipIsCorrupt) {
  const std::string path = Corpus("pyribs_mnist_classifier.pth");
  fs::resize_file(path, fs::file_size(path) - 30);  // cut into the end records
  ExpectError(ReadEmbeddedRecord(path), Code::kCorrupt, path);
  ExpectError(WriteEmbeddedRecord(path, kRecord1), Code::kCorrupt, path);
}

TEST_F(EmbedTest, ReadOnlyFolderIsAnIOErrorAndFileUntouched) {
  if (geteuid() == 0) GTEST_SKIP() << "root can write into a read-only folder";
  const std::string path = Corpus("pyribs_mnist_classifier.pth");
  const std::string legacy = Corpus("facenet_pnet.pt");
  const std::vector<std::byte> before = ReadFile(path);
  fs::permissions(dir_, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                            fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
  ExpectError(WriteEmbeddedRecord(path, kRecord1), Code::kIO, "temp file");
  ExpectError(WriteEmbeddedRecord(legacy, kRecord1), Code::kIO, "temp file");
  EXPECT_TRUE(ReadFile(path) == before);
  EXPECT_EQ(FilesInDir(), 2u);
}

TEST_F(EmbedTest, KeepsPermissionsAndFollowsSymlinks) {
  const std::string path = Corpus("pyribs_mnist_classifier.pth");
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  const std::string link = Path("link.pth");
  fs::create_symlink(path, link);
  ASSERT_TRUE(WriteEmbeddedRecord(link, kRecord1).ok());
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(fs::status(path).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  EXPECT_EQ(ReadEmbeddedRecord(path)->json, kRecord1);
}

}  // namespace
}  // namespace gitmodel
