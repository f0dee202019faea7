#include "base/atomic_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

namespace gitmodel {
namespace {

std::filesystem::path TempDir(const char* name) {
  auto dir = std::filesystem::temp_directory_path() / (std::string("gm-atomic-") + name + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

size_t EntriesIn(const std::filesystem::path& dir) {
  return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(dir), {}));
}

TEST(AtomicFileTest, ReplacesContentAndKeepsMode) {
  auto dir = TempDir("replace");
  std::string target = (dir / "f").string();
  ASSERT_TRUE(WriteFileAtomically(target, "old", 0600).ok());
  ASSERT_TRUE(WriteFileAtomically(target, "new contents").ok());
  EXPECT_EQ(*ReadSmallFile(target, 100), "new contents");
  struct stat st;
  ASSERT_EQ(stat(target.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(EntriesIn(dir), 1u);  // no temp file left behind
  std::filesystem::remove_all(dir);
}

TEST(AtomicFileTest, AbandonedWriterLeavesTargetUntouched) {
  auto dir = TempDir("abandon");
  std::string target = (dir / "f").string();
  ASSERT_TRUE(WriteFileAtomically(target, "original").ok());
  {
    auto writer = AtomicFileWriter::Create(target);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE(writer->Write("half").ok());
  }
  EXPECT_EQ(*ReadSmallFile(target, 100), "original");
  EXPECT_EQ(EntriesIn(dir), 1u);
  std::filesystem::remove_all(dir);
}

TEST(AtomicFileTest, CopiesRangesFromAnotherFile) {
  auto dir = TempDir("copy");
  std::string source = (dir / "src").string();
  ASSERT_TRUE(WriteFileAtomically(source, "0123456789").ok());
  int fd = open(source.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  auto writer = AtomicFileWriter::Create((dir / "dst").string());
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE(writer->Write("<").ok());
  ASSERT_TRUE(writer->CopyFrom(fd, 3, 4).ok());
  EXPECT_EQ(writer->offset(), 5u);
  EXPECT_FALSE(writer->CopyFrom(fd, 8, 10).ok());  // source ends early
  ASSERT_TRUE(writer->Commit().ok());
  close(fd);
  EXPECT_EQ(ReadSmallFile((dir / "dst").string(), 100)->substr(0, 5), "<3456");
  std::filesystem::remove_all(dir);
}

TEST(AtomicFileTest, UnwritableDirectoryIsAnIoError) {
  if (geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  auto dir = TempDir("ro");
  chmod(dir.c_str(), 0555);
  Status st = WriteFileAtomically((dir / "f").string(), "x");
  EXPECT_EQ(st.code(), Code::kIO);
  chmod(dir.c_str(), 0755);
  std::filesystem::remove_all(dir);
}

TEST(AtomicFileTest, ReadSmallFileRefusesLargeFiles) {
  auto dir = TempDir("limit");
  std::string target = (dir / "f").string();
  ASSERT_TRUE(WriteFileAtomically(target, "0123456789").ok());
  EXPECT_EQ(ReadSmallFile(target, 5).status().code(), Code::kLimit);
  EXPECT_EQ(ReadSmallFile((dir / "missing").string(), 5).status().code(), Code::kIO);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace gitmodel
