#include "provenance/record_index.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

namespace gitmodel {
namespace {

class RecordIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("gm-index-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string DbPath() const { return (dir_ / "sub" / "index.db").string(); }
  std::filesystem::path dir_;
};

TEST_F(RecordIndexTest, FindsRecordsByFingerprintAndFileHash) {
  auto index = RecordIndex::Open(DbPath());
  ASSERT_TRUE(index.ok()) << index.status().message();
  ASSERT_TRUE(index->Add({"fp1", "file1", "/a.pth", "2026-01-01T00:00:00Z", "{\"n\":1}"}).ok());
  ASSERT_TRUE(index->Add({"fp1", "file2", "/b.pth", "2026-01-02T00:00:00Z", "{\"n\":2}"}).ok());
  auto by_fp = index->FindByFingerprint("fp1");
  ASSERT_TRUE(by_fp.ok());
  ASSERT_EQ(by_fp->size(), 2u);
  EXPECT_EQ((*by_fp)[0].path, "/b.pth");  // newest first
  auto by_file = index->FindByFileHash("file1");
  ASSERT_TRUE(by_file.ok() && by_file->has_value());
  EXPECT_EQ((*by_file)->record_json, "{\"n\":1}");
  EXPECT_FALSE(index->FindByFileHash("nope")->has_value());
}

TEST_F(RecordIndexTest, PersistsAcrossOpens) {
  { ASSERT_TRUE(RecordIndex::Open(DbPath())->Add({"fp", "f", "/p", "t", "{}"}).ok()); }
  auto index = RecordIndex::Open(DbPath());
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(index->FindByFingerprint("fp")->size(), 1u);
}

TEST_F(RecordIndexTest, RefusesNewerSchemas) {
  { ASSERT_TRUE(RecordIndex::Open(DbPath()).ok()); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(DbPath().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  EXPECT_EQ(RecordIndex::Open(DbPath()).status().code(), Code::kUnsupported);
}

TEST_F(RecordIndexTest, NotADatabaseIsAnError) {
  std::filesystem::create_directories(dir_ / "sub");
  FILE* f = std::fopen(DbPath().c_str(), "w");
  std::fputs("this is not sqlite, just text that is long enough to fill a header page.........", f);
  std::fclose(f);
  EXPECT_FALSE(RecordIndex::Open(DbPath()).ok());
}

}  // namespace
}  // namespace gitmodel
