#include "formats/zip_writer.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "base/byte_reader.h"
#include "base/mapped_file.h"
#include "formats/testing/corpus.h"
#include "formats/testing/zip_builder.h"
#include "formats/zip_reader.h"

namespace gitmodel {
namespace {

using testutil::ToBytes;
using testutil::ZipAddOptions;
using testutil::ZipBuilder;

class ZipWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("gm-zipwriter-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  static void WriteFile(const std::string& path, std::span<const std::byte> bytes) {
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
  static std::vector<std::byte> ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto* p = reinterpret_cast<const std::byte*>(chars.data());
    return std::vector<std::byte>(p, p + chars.size());
  }

  // Copies every entry of the zip `source` (bytes also at `source_path`) into a new file,
  // appending `extra` stored entries, and returns the new file's bytes.
  std::vector<std::byte> Rewrite(const std::string& source_path, std::span<const std::byte> source,
                                 const std::vector<std::pair<std::string, std::string>>& extra = {}) {
    auto archive = ZipArchive::Open(source);
    EXPECT_TRUE(archive.ok()) << archive.status().message();
    int fd = open(source_path.c_str(), O_RDONLY);
    const std::string out_path = Path("out.zip");
    auto out = AtomicFileWriter::Create(out_path);
    EXPECT_TRUE(out.ok());
    AlignedZipWriter zip(*out);
    for (const ZipEntry& e : archive->entries()) {
      ByteView file(source);
      ZipEntryMeta meta{.name = e.name, .version_needed = *file.Read<uint16_t>(e.local_header_offset + 4),
                        .flags = e.flags, .method = e.method, .crc32 = e.crc32,
                        .compressed_size = e.compressed_size, .uncompressed_size = e.uncompressed_size};
      EXPECT_TRUE(zip.AddCopiedEntry(fd, meta, e.data_offset).ok());
    }
    for (const auto& [name, text] : extra) EXPECT_TRUE(zip.AddStoredEntry(name, ToBytes(text)).ok());
    EXPECT_TRUE(zip.Finish().ok());
    EXPECT_TRUE(out->Commit().ok());
    close(fd);
    return ReadFile(out_path);
  }

  std::filesystem::path dir_;
};

std::string EntryText(const ZipArchive& zip, const ZipEntry& e) {
  if (e.method == kZipMethodStored) return std::string(AsText(*zip.StoredData(e)));
  auto inflated = zip.Inflate(e, 1 << 20);
  return std::string(AsText(*inflated));
}

uint32_t Crc(std::string_view text) {
  return static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(text.data()), static_cast<uInt>(text.size())));
}

// torch's own files (1.x and 2.x writers, stored and deflated records, empty records without a
// data descriptor) come out byte for byte as torch wrote them.
TEST_F(ZipWriterTest, CopiesTorchArchivesByteForByte) {
  for (const char* name : {"pyribs_mnist_classifier.pth", "silero_vad.jit", "silero_vad_v3_2022.jit"}) {
    std::vector<std::byte> original = testutil::ReadCorpusFile(name);
    ASSERT_FALSE(original.empty()) << name;
    std::vector<std::byte> copy = Rewrite(testutil::CorpusPath(name), original);
    EXPECT_TRUE(copy == original) << name;
  }
}

// Entries written without alignment, with sizes in the local header, deflated or not, get
// 64-byte aligned data and keep their CRC, sizes, method and bytes; the stored entry goes last.
TEST_F(ZipWriterTest, AlignsUnalignedEntriesAndAppendsStoredEntry) {
  ZipBuilder builder;
  builder.Add("m/data.pkl", "pickle bytes", {.flags = 0x0000, .alignment = 0});
  builder.Add("m/code/x.py", std::string(300, 'a'), {.deflate = true, .alignment = 0});
  builder.Add("m/empty", "", {.alignment = 0});
  std::vector<std::byte> source = builder.Finish();
  WriteFile(Path("src.zip"), source);
  std::vector<std::byte> out = Rewrite(Path("src.zip"), source, {{"m/git-model/provenance.json", "{\"a\":1}"}});

  auto zip = ZipArchive::Open(out);
  ASSERT_TRUE(zip.ok()) << zip.status().message();
  auto original = ZipArchive::Open(source);
  ASSERT_EQ(zip->entries().size(), 4u);
  for (size_t i = 0; i < 3; ++i) {
    const ZipEntry& a = original->entries()[i];
    const ZipEntry& b = zip->entries()[i];
    EXPECT_EQ(b.name, a.name);
    EXPECT_EQ(b.crc32, a.crc32);
    EXPECT_EQ(b.method, a.method);
    EXPECT_EQ(b.flags, a.flags);
    EXPECT_EQ(b.compressed_size, a.compressed_size);
    EXPECT_EQ(EntryText(*zip, b), EntryText(*original, a));
  }
  for (const ZipEntry& e : zip->entries()) EXPECT_EQ(e.data_offset % 64, 0u) << e.name;
  const ZipEntry& record = zip->entries().back();
  EXPECT_EQ(record.name, "m/git-model/provenance.json");
  EXPECT_EQ(record.flags, kZipFlagUtf8);
  EXPECT_EQ(record.crc32, Crc("{\"a\":1}"));
  EXPECT_EQ(EntryText(*zip, record), "{\"a\":1}");
  EXPECT_GT(record.local_header_offset, zip->entries()[1].data_offset);
}

TEST_F(ZipWriterTest, MoreThan65535EntriesUseZip64EndRecord) {
  auto out = AtomicFileWriter::Create(Path("many.zip"));
  ASSERT_TRUE(out.ok());
  AlignedZipWriter zip(*out);
  constexpr size_t kEntries = 70'000;
  for (size_t i = 0; i < kEntries; ++i) ASSERT_TRUE(zip.AddStoredEntry("p/" + std::to_string(i), {}).ok());
  ASSERT_TRUE(zip.Finish().ok());
  ASSERT_TRUE(out->Commit().ok());
  std::vector<std::byte> bytes = ReadFile(Path("many.zip"));
  auto archive = ZipArchive::Open(bytes);
  ASSERT_TRUE(archive.ok()) << archive.status().message();
  EXPECT_EQ(archive->entries().size(), kEntries);
  EXPECT_EQ(archive->entries().back().name, "p/69999");
  EXPECT_EQ(*ByteView(bytes).Read<uint16_t>(bytes.size() - 12), 0xFFFF);  // classic count: placeholder
}

ZipEntryMeta BigMeta(uint16_t flags, uint64_t size) {
  return {.name = "a/b", .flags = flags, .compressed_size = size, .uncompressed_size = size};
}

// miniz's local header past 4 GiB: a ZIP64 extra holding the header offset (and the sizes when
// they are large) precedes the FB padding, and the data still starts on 64.
TEST(ZipWriterLocalHeaderTest, Zip64ExtraAsMinizWritesIt) {
  const uint64_t offset = 5ull << 30;
  std::vector<std::byte> h = ZipLocalHeader(BigMeta(0x0808, 10), offset);
  ByteView v(h);
  EXPECT_EQ(*v.Read<uint16_t>(30 + 3), 0x0001);  // ZIP64 extra first
  EXPECT_EQ(*v.Read<uint16_t>(30 + 3 + 2), 8);
  EXPECT_EQ(*v.Read<uint64_t>(30 + 3 + 4), offset);
  EXPECT_EQ(*v.Read<uint16_t>(30 + 3 + 12), 0x4246);  // then "FB"
  EXPECT_EQ((offset + h.size()) % 64, 0u);

  h = ZipLocalHeader(BigMeta(0x0808, 5ull << 30), 0);
  EXPECT_EQ(*ByteView(h).Read<uint16_t>(30 + 3 + 2), 16);  // both sizes, no offset
  EXPECT_EQ(h.size() % 64, 0u);

  h = ZipLocalHeader(BigMeta(0x0800, 5ull << 30), offset);  // sizes in the local header
  EXPECT_EQ(*ByteView(h).Read<uint32_t>(18), 0xFFFFFFFFu);
  EXPECT_EQ(*ByteView(h).Read<uint16_t>(30 + 3 + 2), 16);
  EXPECT_EQ(*ByteView(h).Read<uint64_t>(30 + 3 + 4), 5ull << 30);
}

TEST(ZipWriterLocalHeaderTest, FbFieldPresentEvenWithoutPadding) {
  // 30 + 30-byte name + 4 = 64: no padding needed.
  std::vector<std::byte> h = ZipLocalHeader({.name = std::string(30, 'n')}, 0);
  EXPECT_EQ(h.size(), 64u);
  EXPECT_EQ(*ByteView(h).Read<uint16_t>(60), 0x4246);
  EXPECT_EQ(*ByteView(h).Read<uint16_t>(62), 0);
}

TEST_F(ZipWriterTest, RejectsEntriesItCannotWrite) {
  auto out = AtomicFileWriter::Create(Path("bad.zip"));
  ASSERT_TRUE(out.ok());
  AlignedZipWriter zip(*out);
  EXPECT_EQ(zip.AddStoredEntry("", {}).code(), Code::kInvalidArgument);
  EXPECT_EQ(zip.AddStoredEntry(std::string(70'000, 'x'), {}).code(), Code::kInvalidArgument);
  ZipEntryMeta stored_mismatch{.name = "a/b", .compressed_size = 1, .uncompressed_size = 2};
  EXPECT_EQ(zip.AddCopiedEntry(-1, stored_mismatch, 0).code(), Code::kInvalidArgument);
  ASSERT_TRUE(zip.Finish().ok());
  EXPECT_EQ(zip.AddStoredEntry("a/c", {}).code(), Code::kInvalidArgument);
  EXPECT_EQ(zip.Finish().code(), Code::kInvalidArgument);
}

// Offsets and sizes past 4 GiB (writes ~4.1 GB: set GITMODEL_LARGE_TESTS=1 to run).
TEST_F(ZipWriterTest, Zip64OffsetsAndSizesRoundTrip) {
  if (!std::getenv("GITMODEL_LARGE_TESTS")) GTEST_SKIP() << "set GITMODEL_LARGE_TESTS=1";
  const uint64_t big = (4ull << 30) + 12345;
  const std::string source = Path("sparse");
  {
    int fd = open(source.c_str(), O_CREAT | O_WRONLY, 0644);
    ASSERT_EQ(ftruncate(fd, static_cast<off_t>(big)), 0);
    close(fd);
  }
  std::vector<char> zeros(1 << 20, 0);
  uLong crc = crc32(0, Z_NULL, 0);
  for (uint64_t done = 0; done < big; done += zeros.size())
    crc = crc32(crc, reinterpret_cast<const Bytef*>(zeros.data()), static_cast<uInt>(std::min<uint64_t>(zeros.size(), big - done)));
  auto out = AtomicFileWriter::Create(Path("big.zip"));
  ASSERT_TRUE(out.ok());
  AlignedZipWriter zip(*out);
  int fd = open(source.c_str(), O_RDONLY);
  ZipEntryMeta meta = BigMeta(0x0808, big);
  meta.crc32 = static_cast<uint32_t>(crc);
  ASSERT_TRUE(zip.AddCopiedEntry(fd, meta, 0).ok());
  meta = BigMeta(0x0808, 7);
  meta.name = "a/after";
  meta.crc32 = Crc(std::string(7, '\0'));
  ASSERT_TRUE(zip.AddCopiedEntry(fd, meta, 0).ok());
  ASSERT_TRUE(zip.AddStoredEntry("a/record.json", ToBytes("{}")).ok());
  ASSERT_TRUE(zip.Finish().ok());
  ASSERT_TRUE(out->Commit().ok());
  close(fd);
  std::filesystem::remove(source);

  auto mapped = MappedFile::Open(Path("big.zip"));
  ASSERT_TRUE(mapped.ok());
  auto archive = ZipArchive::Open((*mapped)->bytes());
  ASSERT_TRUE(archive.ok()) << archive.status().message();
  ASSERT_EQ(archive->entries().size(), 3u);
  EXPECT_EQ(archive->entries()[0].uncompressed_size, big);
  EXPECT_GT(archive->entries()[1].local_header_offset, 0xFFFFFFFFull);
  for (const ZipEntry& e : archive->entries()) EXPECT_EQ(e.data_offset % 64, 0u) << e.name;
  EXPECT_EQ(AsText(*archive->StoredData(archive->entries()[2])), "{}");
  if (std::getenv("GITMODEL_KEEP_LARGE_ZIP")) std::filesystem::rename(Path("big.zip"), std::getenv("GITMODEL_KEEP_LARGE_ZIP"));
}

}  // namespace
}  // namespace gitmodel
