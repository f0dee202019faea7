#include "store/object_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "base/atomic_file.h"

namespace gitmodel {
namespace {

class ObjectStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("gm-store-" + std::to_string(getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::filesystem::path root_;
};

TEST_F(ObjectStoreTest, RoundTripsAndNamesBySha256) {
  ObjectStore store(root_.string());
  auto id = store.Put(std::string_view("hello\n"));
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ(*id, "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
  EXPECT_TRUE(std::filesystem::exists(root_ / "objects/58/91" / *id));
  auto back = store.Get(*id);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, "hello\n");
  EXPECT_TRUE(store.Put(std::string_view("hello\n")).ok());  // idempotent
}

TEST_F(ObjectStoreTest, MissingObjectIsNotFound) {
  ObjectStore store(root_.string());
  auto got = store.Get(std::string(64, 'a'));
  EXPECT_EQ(got.status().code(), Code::kNotFound);
  EXPECT_EQ(store.Get("xyz").status().code(), Code::kInvalidArgument);
}

TEST_F(ObjectStoreTest, DamagedObjectIsCorrupt) {
  ObjectStore store(root_.string());
  std::string big(100000, 'x');
  auto id = store.Put(big);
  ASSERT_TRUE(id.ok());
  std::string path = store.ObjectPath(*id);
  chmod(path.c_str(), 0644);
  auto stored = ReadSmallFile(path, 1 << 20);
  ASSERT_TRUE(stored.ok());
  std::string damaged = *stored;
  damaged[damaged.size() / 2] ^= 0x55;
  ASSERT_TRUE(WriteFileAtomically(path, damaged).ok());
  EXPECT_EQ(store.Get(*id).status().code(), Code::kCorrupt);
  ASSERT_TRUE(WriteFileAtomically(path, "GMO1\x09").ok());
  EXPECT_EQ(store.Get(*id).status().code(), Code::kCorrupt);
}

}  // namespace
}  // namespace gitmodel
