#include "formats/torch_archive.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "base/byte_reader.h"
#include "formats/testing/corpus.h"
#include "formats/testing/expect_error.h"
#include "formats/testing/zip_builder.h"

namespace gitmodel {
namespace {

using testutil::ZipBuilder;

std::string Text(std::span<const std::byte> bytes) { return std::string(AsText(bytes)); }

using testutil::ExpectError;

std::filesystem::path CorpusDir() { return testutil::CorpusDir(); }
using testutil::ReadCorpusFile;

// Expected values from corpus/real/MANIFEST.tsv (zipentries, prefix, version) and Python's zipfile.
struct CorpusCase {
  const char* file;
  const char* prefix;
  size_t entries;
  const char* version;
  const char* must_have;  // a record that must be found
};
// gtest prints the parameter in test listings; the file name says it all.
void PrintTo(const CorpusCase& c, std::ostream* os) { *os << c.file; }
constexpr CorpusCase kCorpus[] = {
    {"candle_fortran_tensor_3d.pth", "fortran_tensor_3d", 5, "3\n", "data.pkl"},
    {"gopickle_tensor_bfloat16_proto2_zip.pt", "tensor_bfloat16_proto2_zip", 3, "3\n", "data/0"},
    {"kornia_loftr_outdoor_and_homography_data.pt", "archive", 10, "3\n", "data/7"},
    {"pyribs_mnist_classifier.pth", "archive", 12, "3\n", "data/94724789094192"},
    {"toadgan_lightning_namespace_hparams.ckpt", "archive", 17, "3\n", ".data/serialization_id"},
    {"silero_vad.jit", "VADr_v6_10_25_noths_re", 126, "3\n", "constants.pkl"},
    {"silero_vad_2021_model_micro.jit", "just_VAD_10k_best", 173, "4\n", "constants.pkl"},
    {"silero_vad_v3_2022.jit", "VADr_v3_medium_conc", 288, "3\n", "constants/0"},
    {"ocamltorch_foo_jit_torch10_2019-01.pt", "foo", 4, "1\n", "model.json"},
    {"ocamltorch_foo_jit_torch11_2019-05.pt", "foo", 5, "1\n", "attributes.pkl"},
};

class TorchArchiveCorpusTest : public ::testing::TestWithParam<CorpusCase> {
 protected:
  void SetUp() override {
    file_ = ReadCorpusFile(GetParam().file);
    ASSERT_FALSE(file_.empty()) << GetParam().file;
  }
  std::vector<std::byte> file_;
};

TEST_P(TorchArchiveCorpusTest, OpensWithManifestPrefixAndRecords) {
  const CorpusCase& c = GetParam();
  auto archive = TorchArchive::Open(file_);
  ASSERT_TRUE(archive.ok()) << archive.status().message();
  EXPECT_EQ(archive->prefix(), c.prefix);
  EXPECT_EQ(archive->zip().entries().size(), c.entries);
  EXPECT_EQ(archive->RecordNames().size(), c.entries);
  EXPECT_NE(archive->Find(c.must_have), nullptr) << c.must_have;
  const ZipEntry* version = archive->Find("version");
  ASSERT_NE(version, nullptr);
  EXPECT_EQ(archive->Find("VERSION"), version);  // case-insensitive, like torch's miniz lookup
  std::vector<std::byte> owned;
  EXPECT_EQ(Text(*archive->Read(*version, &owned, 1 << 20)), c.version);
  EXPECT_EQ(archive->Find("no/such/record"), nullptr);
}

TEST_P(TorchArchiveCorpusTest, StoredRecordsAreReadableAnd64ByteAligned) {
  auto archive = TorchArchive::Open(file_);
  ASSERT_TRUE(archive.ok()) << archive.status().message();
  size_t stored = 0;
  for (const ZipEntry& e : archive->zip().entries()) {
    EXPECT_EQ(*archive->zip().DataOffset(e), e.data_offset) << e.name;
    if (e.method != kZipMethodStored) continue;
    ++stored;
    EXPECT_EQ(e.data_offset % 64, 0u) << e.name;  // torch's "FB" padding
    auto data = archive->zip().StoredData(e);
    ASSERT_TRUE(data.ok()) << data.status().message();
    EXPECT_EQ(data->data(), file_.data() + e.data_offset);  // zero-copy
    EXPECT_EQ(data->size(), e.uncompressed_size);
  }
  EXPECT_GT(stored, 0u);
}

INSTANTIATE_TEST_SUITE_P(Real, TorchArchiveCorpusTest, ::testing::ValuesIn(kCorpus),
                         [](const auto& info) {
                           std::string name = info.param.file;
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

TEST(TorchArchiveTest, InflatesDeflatedTorchScriptCode) {
  const auto file = ReadCorpusFile("silero_vad.jit");
  auto archive = TorchArchive::Open(file);
  ASSERT_TRUE(archive.ok()) << archive.status().message();
  const ZipEntry* code = archive->Find("code/__torch__/vad/model/vad_annotator.py");
  ASSERT_NE(code, nullptr);
  EXPECT_EQ(code->method, kZipMethodDeflated);
  EXPECT_EQ(code->compressed_size, 2201u);
  std::vector<std::byte> owned;
  auto text = archive->Read(*code, &owned, 1 << 20);
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_EQ(text->size(), 8655u);
  EXPECT_EQ(text->data(), owned.data());
  EXPECT_TRUE(Text(*text).starts_with("class VADRNNJITMerge(Module):\n  __parameters__ = []\n"));
  ExpectError(archive->Read(*code, &owned, 8654), Code::kLimit, "inflates to 8655 bytes, over the limit of 8654");
}

TEST(TorchArchiveTest, ReadsBuilderArchiveInDirectoryOrder) {
  ZipBuilder b;
  b.Add("archive/data.pkl", "pickle")
      .Add("archive/data/", "", {.alignment = 0})  // a directory entry, as `zip -r` adds
      .Add("archive/data/0", "abcd")
      .Add("archive/code/x.py", std::string(500, 'y'), {.deflate = true})
      .Add("archive/version", "3\n");
  const auto file = b.Finish();
  auto archive = TorchArchive::Open(file);
  ASSERT_TRUE(archive.ok()) << archive.status().message();
  EXPECT_EQ(archive->prefix(), "archive");
  EXPECT_EQ(archive->RecordNames(),
            (std::vector<std::string>{"data.pkl", "data/0", "code/x.py", "version"}));
  std::vector<std::byte> owned;
  const ZipEntry* data = archive->Find("DATA/0");
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(data->name, "archive/data/0");
  auto bytes = archive->Read(*data, &owned, 0);  // stored: zero-copy, not bound by max_output
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  EXPECT_EQ(Text(*bytes), "abcd");
  EXPECT_EQ(bytes->data(), file.data() + b.layout().entries[2].data);
  EXPECT_EQ(Text(*archive->Read(*archive->Find("code/x.py"), &owned, 500)), std::string(500, 'y'));
  ExpectError(archive->Read(*archive->Find("code/x.py"), &owned, 499), Code::kLimit, "over the limit of 499");
}

TEST(TorchArchiveTest, RejectsEntryOutsidePrefix) {
  ZipBuilder b;
  b.Add("archive/data.pkl", "p").Add("evil.txt", "x").Add("archive/version", "3\n");
  ExpectError(TorchArchive::Open(b.Finish()), Code::kCorrupt,
              "zip entry 'evil.txt' is outside the archive prefix 'archive/'");

  ZipBuilder c;  // the prefix check is byte-exact, like torch's getAllRecords
  c.Add("archive/data.pkl", "p").Add("ARCHIVE/data/0", "x");
  ExpectError(TorchArchive::Open(c.Finish()), Code::kCorrupt, "'ARCHIVE/data/0' is outside the archive prefix");

  ZipBuilder d;  // a longer name sharing the prefix text is still outside "archive/"
  d.Add("archive/data.pkl", "p").Add("archive2/data/0", "x");
  ExpectError(TorchArchive::Open(d.Finish()), Code::kCorrupt, "'archive2/data/0' is outside the archive prefix");
}

TEST(TorchArchiveTest, RejectsDuplicateNames) {
  ZipBuilder b;
  b.Add("archive/data.pkl", "p").Add("archive/data/0", "x").Add("archive/Data/0", "y");
  ExpectError(TorchArchive::Open(b.Finish()), Code::kCorrupt,
              "duplicate zip entry 'archive/Data/0' (same as 'archive/data/0' ignoring case");

  ZipBuilder c;
  c.Add("archive/data.pkl", "p").Add("archive/data/0", "x").Add("archive/data/0", "y");
  auto exact = TorchArchive::Open(c.Finish());
  ExpectError(exact, Code::kCorrupt, "duplicate zip entry 'archive/data/0'");
  EXPECT_EQ(exact.status().message().find("ignoring case"), std::string::npos);
}

TEST(TorchArchiveTest, RejectsEncryptedEntries) {
  ZipBuilder b;
  b.Add("archive/data.pkl", "p").Add("archive/data/1", "secret", {.flags = 0x0809});
  ExpectError(TorchArchive::Open(b.Finish()), Code::kUnsupported, "zip entry 'archive/data/1' is encrypted");
}

TEST(TorchArchiveTest, RejectsArchivesWithoutPrefix) {
  ZipBuilder b;
  b.Add("data.pkl", "p");
  ExpectError(TorchArchive::Open(b.Finish()), Code::kCorrupt,
              "first zip entry 'data.pkl' is not inside an archive folder");
  ZipBuilder c;
  c.Add("/data.pkl", "p");
  ExpectError(TorchArchive::Open(c.Finish()), Code::kCorrupt, "first zip entry '/data.pkl' is not inside");
  ExpectError(TorchArchive::Open(ZipBuilder().Finish()), Code::kCorrupt, "zip archive has no entries");
}

TEST(TorchArchiveTest, PassesZipErrorsThrough) {
  ExpectError(TorchArchive::Open({}), Code::kCorrupt, "not a zip file: no end-of-central-directory record");
}

TEST(TorchArchiveTest, RefusesUnknownMethodOnRead) {
  ZipBuilder b;
  b.Add("archive/data.pkl", "p").Add("archive/data/0", "abc", {.method = 14});
  const auto file = b.Finish();
  auto archive = TorchArchive::Open(file);
  ASSERT_TRUE(archive.ok()) << archive.status().message();
  std::vector<std::byte> owned;
  ExpectError(archive->Read(*archive->Find("data/0"), &owned, 100), Code::kUnsupported,
              "zip entry 'archive/data/0' uses compression method 14");
}

}  // namespace
}  // namespace gitmodel
