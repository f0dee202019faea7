#include "formats/zip_reader.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include "base/byte_reader.h"
#include "base/mapped_file.h"
#include "formats/testing/corpus.h"
#include "formats/testing/expect_error.h"
#include "formats/testing/zip_builder.h"

namespace gitmodel {
namespace {

using testutil::PutLE16;
using testutil::PutLE32;
using testutil::PutLE64;
using testutil::ToBytes;
using testutil::ZipAddOptions;
using testutil::ZipBuilder;
using testutil::ZipFinishOptions;

std::string Text(std::span<const std::byte> bytes) { return std::string(AsText(bytes)); }

// A small archive in torch's exact layout: stored records, one deflated, one empty.
std::vector<std::byte> TorchLike(ZipBuilder& b, const ZipFinishOptions& finish = {}) {
  b.Add("archive/data.pkl", "\x80\x02}q\x00.")
      .Add("archive/data/0", std::string(100, 'w'))
      .Add("archive/data/1", "")
      .Add("archive/code/m.py", std::string(3000, 'c'), {.deflate = true})
      .Add("archive/version", "3\n");
  return b.Finish(finish);
}

using testutil::ExpectError;

TEST(ZipArchiveTest, ReadsTorchLayoutFromBuilder) {
  ZipBuilder b;
  const std::vector<std::byte> file = TorchLike(b);
  auto zip = ZipArchive::Open(file);
  ASSERT_TRUE(zip.ok()) << zip.status().message();
  ASSERT_EQ(zip->entries().size(), 5u);
  EXPECT_EQ(zip->entries()[0].name, "archive/data.pkl");
  EXPECT_EQ(zip->entries()[0].data_offset, 64u);  // torch's first record always starts at 64
  for (size_t i = 0; i < 5; ++i) {
    const ZipEntry& e = zip->entries()[i];
    EXPECT_EQ(e.data_offset, b.layout().entries[i].data);
    EXPECT_EQ(e.data_offset % 64, 0u) << e.name;
    EXPECT_EQ(*zip->DataOffset(e), e.data_offset);
  }
  EXPECT_EQ(Text(*zip->StoredData(zip->entries()[1])), std::string(100, 'w'));
  EXPECT_TRUE(zip->StoredData(zip->entries()[2])->empty());
  const ZipEntry& code = zip->entries()[3];
  EXPECT_EQ(code.method, kZipMethodDeflated);
  EXPECT_LT(code.compressed_size, code.uncompressed_size);
  EXPECT_EQ(Text(*zip->Inflate(code, 1 << 20)), std::string(3000, 'c'));
}

TEST(ZipArchiveTest, ReadsClassicOnlyEndRecord) {
  ZipBuilder b;
  const auto file = TorchLike(b, {.zip64 = false});
  EXPECT_FALSE(b.layout().zip64_end.has_value());
  auto zip = ZipArchive::Open(file);
  ASSERT_TRUE(zip.ok()) << zip.status().message();
  EXPECT_EQ(zip->entries().size(), 5u);
}

TEST(ZipArchiveTest, UsesZip64EndRecordWhenClassicHoldsPlaceholders) {
  ZipBuilder b;
  const auto file = TorchLike(b, {.classic_placeholders = true});
  EXPECT_EQ(*ByteView(file).Read<uint16_t>(b.layout().end + 10), 0xFFFF);
  auto zip = ZipArchive::Open(file);
  ASSERT_TRUE(zip.ok()) << zip.status().message();
  EXPECT_EQ(zip->entries().size(), 5u);
  EXPECT_EQ(Text(*zip->StoredData(zip->entries()[4])), "3\n");
}

TEST(ZipArchiveTest, ReadsZip64ExtraFieldInCentralDirectory) {
  ZipBuilder b;
  b.Add("archive/data.pkl", "pickle").Add("archive/data/0", std::string(70, 'x'), {.zip64_extra = true});
  const auto file = b.Finish({.classic_placeholders = true});
  EXPECT_EQ(*ByteView(file).Read<uint32_t>(b.layout().entries[1].central + 20), 0xFFFFFFFFu);
  auto zip = ZipArchive::Open(file);
  ASSERT_TRUE(zip.ok()) << zip.status().message();
  const ZipEntry& e = zip->entries()[1];
  EXPECT_EQ(e.compressed_size, 70u);
  EXPECT_EQ(e.uncompressed_size, 70u);
  EXPECT_EQ(e.local_header_offset, b.layout().entries[1].local_header);
  EXPECT_EQ(Text(*zip->StoredData(e)), std::string(70, 'x'));
}

TEST(ZipArchiveTest, ReadsMoreThan65535Entries) {
  ZipBuilder b;
  constexpr size_t kCount = 70000;
  for (size_t i = 0; i < kCount; ++i) b.Add(fmt::format("a/{}", i), "", {.alignment = 0});
  const auto file = b.Finish({.zip64 = false});  // forced on by the count
  ASSERT_TRUE(b.layout().zip64_end.has_value());
  auto zip = ZipArchive::Open(file);
  ASSERT_TRUE(zip.ok()) << zip.status().message();
  ASSERT_EQ(zip->entries().size(), kCount);
  EXPECT_EQ(zip->entries().back().name, "a/69999");
}

TEST(ZipArchiveTest, FindsEndRecordBehindComment) {
  for (std::string comment : {std::string("hi"), std::string("fake PK\x05\x06 inside"), std::string(65535, 'c')}) {
    ZipBuilder b;
    const auto file = TorchLike(b, {.comment = comment});
    auto zip = ZipArchive::Open(file);
    ASSERT_TRUE(zip.ok()) << zip.status().message();
    EXPECT_EQ(zip->entries().size(), 5u);
  }
}

TEST(ZipArchiveTest, RejectsNonZip) {
  ExpectError(ZipArchive::Open({}), Code::kCorrupt, "not a zip file: no end-of-central-directory record");
  const auto text = ToBytes(std::string(1000, 'x'));
  ExpectError(ZipArchive::Open(text), Code::kCorrupt, "no end-of-central-directory record");
}

TEST(ZipArchiveTest, RejectsEveryTruncation) {
  ZipBuilder b;
  const auto file = TorchLike(b, {.comment = "c"});
  for (size_t n = 0; n < file.size(); ++n) {
    auto zip = ZipArchive::Open(std::span(file).first(n));
    ASSERT_FALSE(zip.ok()) << "truncated to " << n << " bytes";
    EXPECT_EQ(zip.status().code(), Code::kCorrupt) << n;
  }
}

// A file cut at a record boundary with its classic end record re-appended (a torn copy whose
// tail survived) must be refused for pointing past the end, not read out of bounds.
TEST(ZipArchiveTest, RejectsTruncationAtEachBoundaryWithEndRecordKept) {
  ZipBuilder b;
  const auto file = TorchLike(b);
  const auto& l = b.layout();
  std::vector<uint64_t> cuts = {l.central_directory, l.entries[4].central + 10};
  for (const auto& e : l.entries) cuts.insert(cuts.end(), {e.local_header, e.data, e.data_end});
  for (uint64_t cut : cuts) {
    std::vector<std::byte> torn(file.begin(), file.begin() + cut);
    torn.insert(torn.end(), file.begin() + l.end, file.end());
    ExpectError(ZipArchive::Open(torn), Code::kCorrupt, "extends past its end record");
  }
}

TEST(ZipArchiveTest, RejectsLocalHeaderOffsetBeyondFile) {
  ZipBuilder b;
  b.Add("archive/data.pkl", "p").Add("archive/data/0", "abc", {.local_header_offset = 9000});
  const auto file = b.Finish();
  ExpectError(ZipArchive::Open(file), Code::kCorrupt,
              fmt::format("zip central directory entry 1 ('archive/data/0') claims local header at offset "
                          "9000, beyond the file's {} bytes", file.size()));
}

TEST(ZipArchiveTest, RejectsLocalHeaderOffsetIntoOtherData) {
  ZipBuilder b;
  b.Add("archive/data.pkl", "p").Add("archive/data/0", "abc", {.local_header_offset = 64});
  ExpectError(ZipArchive::Open(b.Finish()), Code::kCorrupt, "has no local header signature at offset 64");
}

TEST(ZipArchiveTest, RejectsDataPastEndOfFile) {
  ZipBuilder b;
  b.Add("archive/data.pkl", "p").Add("archive/data/0", "abc", {.compressed_size = 1u << 30,
                                                               .uncompressed_size = 1u << 30});
  const auto file = b.Finish();
  ExpectError(ZipArchive::Open(file), Code::kCorrupt,
              fmt::format("entry 1 ('archive/data/0') has 1073741824 bytes of data at offset {} (after its "
                          "local header's 14-byte name and {}-byte extra field), past the end of the "
                          "file's {} bytes", b.layout().entries[1].data,
                          b.layout().entries[1].data - b.layout().entries[1].local_header - 30 - 14,
                          file.size()));
}

TEST(ZipArchiveTest, RejectsLocalNameLengthPushingDataPastEnd) {
  ZipBuilder b;
  auto file = TorchLike(b);
  PutLE16(file, b.layout().entries[4].local_header + 26, 0xFFFF);
  ExpectError(ZipArchive::Open(file), Code::kCorrupt,
              "entry 4 ('archive/version') has 2 bytes of data at offset");
  ExpectError(ZipArchive::Open(file), Code::kCorrupt, "past the end of the file's");
}

TEST(ZipArchiveTest, RejectsLocalNameDifferingFromCentralName) {
  ZipBuilder b;
  b.Add("archive/data.pkl", "p").Add("archive/data/0", "abc", {.local_name = "archive/evil.pkl"});
  ExpectError(ZipArchive::Open(b.Finish()), Code::kCorrupt,
              "entry 1 ('archive/data/0') is named 'archive/evil.pkl' in its local header");
}

TEST(ZipArchiveTest, RejectsOverlappingEntries) {
  ZipBuilder b;
  b.Add("a/x", "first").Add("a/x", "second", {.local_header_offset = 0});
  ExpectError(ZipArchive::Open(b.Finish()), Code::kCorrupt, "zip entries 'a/x' (bytes 0..");

  ZipBuilder c;  // data declared longer than it is, running into the next entry
  c.Add("a/x", "first", {.compressed_size = 100, .uncompressed_size = 100}).Add("a/y", "second");
  ExpectError(ZipArchive::Open(c.Finish()), Code::kCorrupt, "and 'a/y' (from byte 85) overlap");

  ZipBuilder d;  // last entry's data running into the central directory
  d.Add("a/x", "first", {.compressed_size = 40, .uncompressed_size = 40});
  ExpectError(ZipArchive::Open(d.Finish()), Code::kCorrupt, "overlaps the central directory at offset");
}

TEST(ZipArchiveTest, RejectsCentralDirectoryInconsistencies) {
  ZipBuilder b;
  const auto file = TorchLike(b);
  const auto& l = b.layout();
  const uint64_t cd_size = *l.zip64_end - l.central_directory;

  auto shorter = file;  // directory one byte shorter than its last entry
  PutLE64(shorter, *l.zip64_end + 40, cd_size - 1);
  PutLE32(shorter, l.end + 12, cd_size - 1);
  ExpectError(ZipArchive::Open(shorter), Code::kCorrupt,
              "zip central directory entry 4 at offset " + std::to_string(l.entries[4].central) +
                  " runs past the end of the directory");

  auto fewer = file;  // one entry fewer declared than present
  PutLE64(fewer, *l.zip64_end + 24, 4);
  PutLE64(fewer, *l.zip64_end + 32, 4);
  PutLE16(fewer, l.end + 8, 4);
  PutLE16(fewer, l.end + 10, 4);
  ExpectError(ZipArchive::Open(fewer), Code::kCorrupt, "but its 4 entries use");

  auto too_many = file;
  PutLE64(too_many, *l.zip64_end + 24, 1000);
  PutLE64(too_many, *l.zip64_end + 32, 1000);
  PutLE16(too_many, l.end + 8, 1000);
  PutLE16(too_many, l.end + 10, 1000);
  ExpectError(ZipArchive::Open(too_many), Code::kCorrupt, "cannot hold the 1000 entries it declares");

  auto over_limit = file;
  PutLE64(over_limit, *l.zip64_end + 24, 2'000'000);
  PutLE64(over_limit, *l.zip64_end + 32, 2'000'000);
  PutLE16(over_limit, l.end + 8, 0xFFFF);
  PutLE16(over_limit, l.end + 10, 0xFFFF);
  ExpectError(ZipArchive::Open(over_limit), Code::kLimit, "declares 2000000 entries; the limit is 1000000");

  auto bad_sig = file;
  PutLE32(bad_sig, l.entries[2].central, 0x12345678);
  ExpectError(ZipArchive::Open(bad_sig), Code::kCorrupt, "entry 2 at offset");
}

TEST(ZipArchiveTest, RejectsBrokenEndRecords) {
  ZipBuilder b;
  const auto file = TorchLike(b);
  const auto& l = b.layout();

  auto disagree = file;
  PutLE16(disagree, l.end + 10, 4);
  ExpectError(ZipArchive::Open(disagree), Code::kCorrupt,
              "zip end records disagree: the classic record says the entry count is 4, the ZIP64 record says 5");

  auto locator_past = file;
  PutLE64(locator_past, *l.zip64_locator + 8, 1ull << 40);
  ExpectError(ZipArchive::Open(locator_past), Code::kCorrupt, "ZIP64 locator points at offset 1099511627776");

  auto locator_wrong = file;
  PutLE64(locator_wrong, *l.zip64_locator + 8, 0);
  ExpectError(ZipArchive::Open(locator_wrong), Code::kCorrupt,
              "no ZIP64 end-of-central-directory record at offset 0");

  auto record_size = file;
  PutLE64(record_size, *l.zip64_end + 4, 1000);
  ExpectError(ZipArchive::Open(record_size), Code::kCorrupt, "declares a size of 1000 bytes");

  auto cd_past = file;
  PutLE64(cd_past, *l.zip64_end + 48, ~0ull - 10);
  PutLE32(cd_past, l.end + 16, 0xFFFFFFFF);
  ExpectError(ZipArchive::Open(cd_past), Code::kCorrupt, "extends past its end record");

  auto multi_disk = file;
  PutLE32(multi_disk, *l.zip64_end + 16, 3);
  ExpectError(ZipArchive::Open(multi_disk), Code::kUnsupported, "multi-disk zip archives are not supported");

  ZipBuilder c;
  const auto no_locator = TorchLike(c, {.zip64 = false, .classic_placeholders = true});
  ExpectError(ZipArchive::Open(no_locator), Code::kCorrupt, "but no ZIP64 locator precedes it");
}

TEST(ZipArchiveTest, RejectsBadExtraFieldsAndNames) {
  {
    ZipBuilder b;  // placeholder sizes without a ZIP64 field
    b.Add("a/x", "abc", {.compressed_size = 0xFFFFFFFF, .uncompressed_size = 0xFFFFFFFF});
    ExpectError(ZipArchive::Open(b.Finish()), Code::kCorrupt,
                "entry 0 ('a/x') has ZIP64 placeholder values but no ZIP64 extra field");
  }
  {
    ZipBuilder b;  // ZIP64 field too short for both sizes
    b.Add("a/x", "abc", {.compressed_size = 0xFFFFFFFF, .uncompressed_size = 0xFFFFFFFF,
                         .central_extra = ToBytes(std::string("\x01\x00\x08\x00", 4) + "\x03" + std::string(7, '\0'))});
    ExpectError(ZipArchive::Open(b.Finish()), Code::kCorrupt, "ZIP64 extra field too short");
  }
  {
    ZipBuilder b;  // a second ZIP64 field
    b.Add("a/x", "abc", {.zip64_extra = true, .central_extra = ToBytes(std::string("\x01\x00\x00\x00", 4))});
    ExpectError(ZipArchive::Open(b.Finish()), Code::kCorrupt, "has two ZIP64 extra fields");
  }
  {
    ZipBuilder b;  // extra field whose length runs past the extra area
    b.Add("a/x", "abc", {.central_extra = ToBytes(std::string("\x34\x12\xFF\x00", 4))});
    ExpectError(ZipArchive::Open(b.Finish()), Code::kCorrupt, "has a malformed extra field");
  }
  {
    ZipBuilder b;
    b.Add("a/x", "abc", {.compressed_size = 2});
    ExpectError(ZipArchive::Open(b.Finish()), Code::kCorrupt, "is stored but records 2 compressed and 3 uncompressed");
  }
  {
    ZipBuilder b;
    b.Add("", "abc");
    ExpectError(ZipArchive::Open(b.Finish()), Code::kCorrupt, "zip central directory entry 0 has an empty name");
  }
  {
    ZipBuilder b;
    b.Add(std::string("a/x\0y", 5), "abc");
    ExpectError(ZipArchive::Open(b.Finish()), Code::kCorrupt, "('a/x\\x00y') has a NUL byte in its name");
  }
  {
    ZipBuilder b;
    b.Add(std::string(5000, 'n'), "abc");
    ExpectError(ZipArchive::Open(b.Finish()), Code::kLimit, "has a name of 5000 bytes; the limit is 4096");
  }
}

TEST(ZipArchiveTest, QuotesHostileNamesOnOneLine) {
  EXPECT_EQ(QuoteZipName("a/b"), "'a/b'");
  EXPECT_EQ(QuoteZipName("a\nb'\\"), "'a\\x0ab\\x27\\x5c'");
  EXPECT_EQ(QuoteZipName(std::string(300, 'x')), "'" + std::string(200, 'x') + "'...");
  ZipBuilder b;
  b.Add("a/x", "p").Add("evil\nname", "abc", {.local_name = "other"});
  ExpectError(ZipArchive::Open(b.Finish()), Code::kCorrupt, "('evil\\x0aname') is named 'other'");
}

TEST(ZipArchiveTest, RefusesEncryptedAndUnknownMethods) {
  ZipBuilder b;
  b.Add("archive/data/1", "secret", {.flags = 0x0809})
      .Add("archive/data/2", "abc", {.method = 12})
      .Add("archive/data/3", std::string(50, 'z'), {.deflate = true});
  const auto file = b.Finish();
  auto zip = ZipArchive::Open(file);
  ASSERT_TRUE(zip.ok()) << zip.status().message();
  const auto& e = zip->entries();
  ExpectError(zip->StoredData(e[0]), Code::kUnsupported, "zip entry 'archive/data/1' is encrypted");
  ExpectError(zip->Inflate(e[0], 100), Code::kUnsupported, "zip entry 'archive/data/1' is encrypted");
  ExpectError(zip->StoredData(e[1]), Code::kUnsupported, "'archive/data/2' uses compression method 12, not stored");
  ExpectError(zip->Inflate(e[1], 100), Code::kUnsupported, "uses compression method 12, not deflate");
  ExpectError(zip->StoredData(e[2]), Code::kUnsupported, "uses compression method 8, not stored");
}

TEST(ZipArchiveTest, InflateEnforcesLimitsAndDeclaredSize) {
  const std::string zeros(10 << 20, '\0');
  ZipBuilder b;
  b.Add("a/bomb", zeros, {.deflate = true})
      .Add("a/liar", zeros, {.deflate = true, .uncompressed_size = 1000})
      .Add("a/short", "hello", {.deflate = true, .uncompressed_size = 6})
      .Add("a/garbage", std::string(40, '\xff'), {.method = 8})
      .Add("a/cut", std::string(5000, 'q') + zeros.substr(0, 5000), {.deflate = true});
  const auto file = b.Finish();
  auto zip = ZipArchive::Open(file);
  ASSERT_TRUE(zip.ok()) << zip.status().message();
  const auto& e = zip->entries();
  EXPECT_LT(e[0].compressed_size, 20'000u);
  ExpectError(zip->Inflate(e[0], 1 << 20), Code::kLimit,
              "zip entry 'a/bomb' inflates to 10485760 bytes, over the limit of 1048576");
  EXPECT_EQ(zip->Inflate(e[0], 10 << 20)->size(), 10u << 20);
  ExpectError(zip->Inflate(e[1], 1 << 20), Code::kCorrupt, "'a/liar' inflates to more than its recorded 1000 bytes");
  ExpectError(zip->Inflate(e[2], 100), Code::kCorrupt, "'a/short' inflates to 5 bytes, but its recorded size is 6");
  ExpectError(zip->Inflate(e[3], 100), Code::kCorrupt, "'a/garbage' has invalid deflate data");
  ZipEntry cut = e[4];
  cut.compressed_size /= 2;
  ExpectError(zip->Inflate(cut, 1 << 20), Code::kCorrupt, "'a/cut' has a truncated deflate stream");
}

// gguf-style: seeded random corruptions must yield errors or in-bounds data, never a crash (run
// under ASan/UBSan via GITMODEL_SANITIZE).
TEST(ZipArchiveTest, SurvivesSeededCorruption) {
  ZipBuilder b;
  const auto original = TorchLike(b);
  std::mt19937 rng(20240611);
  int opened = 0;
  for (int round = 0; round < 3000; ++round) {
    auto file = original;
    const int flips = 1 + rng() % 4;
    for (int k = 0; k < flips; ++k) {
      const size_t at = rng() % file.size();
      file[at] = rng() % 3 == 0 ? std::byte{0xFF} : static_cast<std::byte>(rng());
    }
    auto zip = ZipArchive::Open(file);
    if (!zip.ok()) continue;
    ++opened;
    for (const ZipEntry& e : zip->entries()) {
      if (auto data = zip->StoredData(e); data.ok()) {
        EXPECT_GE(data->data(), file.data());
        EXPECT_LE(data->data() + data->size(), file.data() + file.size());
      }
      (void)zip->Inflate(e, 1 << 20);
    }
  }
  EXPECT_GT(opened, 0);  // some flips land in padding or data and must still open
}

// ---- the real corpus ------------------------------------------------------------------------

std::filesystem::path CorpusDir() { return testutil::CorpusDir(); }
using testutil::ReadCorpusFile;

// Rebuilding a stored-only torch file from its records with ZipBuilder gives the same bytes,
// which pins the builder (and every test that uses it) to torch's real layout.
TEST(ZipArchiveTest, BuilderReproducesTorchFilesByteForByte) {
  for (const char* name : {"candle_fortran_tensor_3d.pth", "gopickle_tensor_bfloat16_proto2_zip.pt",
                           "pyribs_mnist_classifier.pth", "toadgan_lightning_namespace_hparams.ckpt",
                           "kornia_loftr_outdoor_and_homography_data.pt"}) {
    SCOPED_TRACE(name);
    const auto file = ReadCorpusFile(name);
    auto zip = ZipArchive::Open(file);
    ASSERT_TRUE(zip.ok()) << zip.status().message();
    ZipBuilder b;
    for (const ZipEntry& e : zip->entries()) b.Add(e.name, *zip->StoredData(e));
    EXPECT_TRUE(b.Finish() == file);
  }
}

}  // namespace
}  // namespace gitmodel

namespace gitmodel {
namespace {

// Reading local headers with pread (no page of the mapping touched) finds the same entries.
TEST(ZipArchivePositionalReader, SameEntriesAsReadingTheMapping) {
  for (const char* name : {"pyribs_mnist_classifier.pth", "silero_vad.jit", "toadgan_lightning_namespace_hparams.ckpt"}) {
    auto file = MappedFile::Open(testutil::CorpusPath(name));
    ASSERT_TRUE(file.ok()) << name;
    auto via_reader = ZipArchive::Open((*file)->bytes(), file->get());
    auto via_mapping = ZipArchive::Open((*file)->bytes());
    ASSERT_TRUE(via_reader.ok() && via_mapping.ok()) << name;
    ASSERT_EQ(via_reader->entries().size(), via_mapping->entries().size());
    for (size_t i = 0; i < via_reader->entries().size(); ++i)
      EXPECT_EQ(via_reader->entries()[i].data_offset, via_mapping->entries()[i].data_offset) << name << " " << i;
  }
}

}  // namespace
}  // namespace gitmodel
