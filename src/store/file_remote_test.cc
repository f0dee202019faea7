#include "store/file_remote.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "base/atomic_file.h"

namespace gitmodel {
namespace {

ObjectId IdOf(std::string_view text) { return Sha256Of(std::as_bytes(std::span(text.data(), text.size()))); }

TEST(FileUrlTest, ParsesAbsolutePaths) {
  EXPECT_EQ(*ParseFileUrl("file:///srv/models/"), "/srv/models");
  EXPECT_EQ(*ParseFileUrl("file://localhost/srv/a%20b"), "/srv/a b");
  EXPECT_EQ(*ParseFileUrl("file:///"), "/");
  for (const char* url : {"file://relative/x", "file://host/x", "/abs", "file:///a%2", "file:///a%zz", "file:///a%00"}) {
    EXPECT_FALSE(ParseFileUrl(url).ok()) << url;
  }
}

class FileRemoteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("gm-file-remote-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "local");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(FileRemoteTest, PutHasGetRoundTrip) {
  FileRemote remote("file://" + (dir_ / "remote").string(), (dir_ / "remote").string());
  ObjectId id = IdOf("object");
  std::string source = (dir_ / "local/source").string();
  ASSERT_TRUE(WriteFileAtomically(source, "object file bytes").ok());

  auto before = remote.Has(id);
  ASSERT_TRUE(before.ok()) << before.status().message();
  EXPECT_FALSE(*before);
  ASSERT_TRUE(remote.Put(id, source).ok());
  std::string hex = ObjectHex(id);
  std::filesystem::path stored = dir_ / "remote/objects" / hex.substr(0, 2) / hex.substr(2, 2) / hex;
  EXPECT_EQ(remote.ObjectPath(id), stored.string());
  ASSERT_TRUE(std::filesystem::exists(stored));
  struct stat st;
  ASSERT_EQ(stat(stored.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0444u);
  EXPECT_TRUE(*remote.Has(id));
  EXPECT_TRUE(remote.Put(id, source).ok());  // again: replaces the read-only file

  std::string dest = (dir_ / "local/dest").string();
  ASSERT_TRUE(remote.Get(id, dest).ok());
  EXPECT_EQ(*ReadSmallFile(dest, 1000), "object file bytes");
  ASSERT_TRUE(remote.Get(id, dest).ok());  // replaces
  size_t entries = 0;
  for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(dir_ / "local")) ++entries;
  EXPECT_EQ(entries, 2u);  // no temp files left
}

TEST_F(FileRemoteTest, MissingObjectIsNotFound) {
  FileRemote remote("file:///x", (dir_ / "remote").string());
  Status got = remote.Get(IdOf("nothing"), (dir_ / "local/dest").string());
  EXPECT_EQ(got.code(), Code::kNotFound);
  EXPECT_NE(got.message().find("file:///x: object " + ObjectHex(IdOf("nothing")) + " is not on the remote"),
            std::string::npos)
      << got.message();
  EXPECT_FALSE(std::filesystem::exists(dir_ / "local/dest"));
}

TEST_F(FileRemoteTest, MissingLocalFileIsAnError) {
  FileRemote remote("file:///x", (dir_ / "remote").string());
  Status put = remote.Put(IdOf("a"), (dir_ / "local/none").string());
  EXPECT_FALSE(put.ok());
  EXPECT_NE(put.message().find("local/none"), std::string::npos) << put.message();
}

}  // namespace
}  // namespace gitmodel
