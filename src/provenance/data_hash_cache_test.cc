// HashData with a stat cache (stat_cache.h).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "base/atomic_file.h"
#include "formats/testing/expect_error.h"
#include "provenance/data_hash.h"
#include "provenance/stat_cache.h"
#include "provenance/testing/temp_dir.h"

namespace gitmodel {
namespace {

namespace fs = std::filesystem;
using testutil::ExpectError;
using testutil::ScratchDir;
using testutil::WriteTestFile;

int64_t NowNs() {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::nanoseconds>(now).count();
}

// A clock 10 s ahead, so that files the test just wrote are old enough not to be racy.
int64_t Later() { return NowNs() + 10'000'000'000; }

struct HashRun {
  std::string hash;
  DataHashStats stats;
};

HashRun HashWithCache(const fs::path& data, const fs::path& cache, std::function<int64_t()> clock = Later) {
  HashRun run;
  auto d = HashData(data.string(), {.cache_path = cache.string(), .now_ns = clock, .stats = &run.stats});
  EXPECT_TRUE(d.ok()) << d.status().message();
  if (d.ok()) run.hash = d->tree_hash;
  return run;
}

class DataHashCache : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 5; ++i) WriteTestFile(data_ / ("f" + std::to_string(i)), std::string(1000 + i, 'a' + i));
    fs::create_symlink("f0", data_ / "link");
  }
  ScratchDir dir_;
  fs::path data_ = dir_.path() / "data";
  fs::path cache_ = dir_.path() / "cache";
};

TEST_F(DataHashCache, SecondRunReadsNothing) {
  HashRun first = HashWithCache(data_, cache_);
  EXPECT_EQ(first.stats.files_hashed, 5u);
  EXPECT_EQ(first.stats.files_from_cache, 0u);
  EXPECT_EQ(first.stats.cache_note, "");
  HashRun second = HashWithCache(data_, cache_);
  EXPECT_EQ(second.hash, first.hash);
  EXPECT_EQ(second.stats.files_from_cache, 5u);
  EXPECT_EQ(second.stats.files_hashed, 0u);
  EXPECT_EQ(second.stats.bytes_hashed, 0u);
  EXPECT_EQ(HashWithCache(data_, "").hash, first.hash);  // same answer without a cache
}

TEST_F(DataHashCache, CachedDigestsAreTrustedWhileStatMatches) {
  HashRun first = HashWithCache(data_, cache_);
  // Forge the cached digest of f1: a hash that changes proves the digest came from the cache.
  std::string text = *ReadSmallFile(cache_.string(), 1 << 20);
  std::string f1(1001, 'b');
  std::string real = ToHex(Sha256Of(std::as_bytes(std::span(f1.data(), f1.size()))));
  ASSERT_NE(text.find(real), std::string::npos);
  text.replace(text.find(real), 64, std::string(64, '0'));
  ASSERT_TRUE(WriteFileAtomically(cache_.string(), text).ok());
  EXPECT_NE(HashWithCache(data_, cache_).hash, first.hash);
  // Rewriting f1 (same size) changes its mtime and ctime: the forged entry is no longer used.
  WriteTestFile(data_ / "f1", std::string(1001, 'b'));
  HashRun after = HashWithCache(data_, cache_);
  EXPECT_EQ(after.hash, first.hash);
  EXPECT_EQ(after.stats.files_hashed, 1u);
  EXPECT_EQ(after.stats.files_from_cache, 4u);
}

TEST_F(DataHashCache, ChangesAreSeenThroughTheCache) {
  HashRun first = HashWithCache(data_, cache_);
  WriteTestFile(data_ / "f2", std::string(1002, 'z'));
  HashRun modified = HashWithCache(data_, cache_);
  EXPECT_NE(modified.hash, first.hash);
  fs::rename(data_ / "f3", data_ / "g3");
  HashRun renamed = HashWithCache(data_, cache_);
  EXPECT_NE(renamed.hash, modified.hash);
  EXPECT_EQ(renamed.hash, HashWithCache(data_, "").hash);
  WriteTestFile(data_ / "f2", std::string(1002, 'a' + 2));
  fs::rename(data_ / "g3", data_ / "f3");
  EXPECT_EQ(HashWithCache(data_, cache_).hash, first.hash);
}

TEST_F(DataHashCache, RacyFilesAreNotCached) {
  HashRun first = HashWithCache(data_, cache_, NowNs);  // the files are milliseconds old
  EXPECT_EQ(first.stats.files_hashed, 5u);
  HashRun second = HashWithCache(data_, cache_, NowNs);
  EXPECT_EQ(second.stats.files_from_cache, 0u);
  EXPECT_EQ(second.stats.files_hashed, 5u);
  EXPECT_EQ(second.hash, first.hash);
}

TEST_F(DataHashCache, CorruptCacheIsIgnoredAndRebuilt) {
  HashRun clean = HashWithCache(data_, "");
  for (std::string_view garbage : {"", "git-model/stat-cache/v999\n", "git-model/stat-cache/v1\nnot a line\n",
                                   "\x01\x02\x03 binary", "git-model/stat-cache/v1\n0000 1 2 3 4 5 /x"}) {
    ASSERT_TRUE(WriteFileAtomically(cache_.string(), garbage).ok());
    HashRun run = HashWithCache(data_, cache_);
    EXPECT_EQ(run.hash, clean.hash);
    EXPECT_NE(run.stats.cache_note, "") << garbage;
    EXPECT_EQ(HashWithCache(data_, cache_).stats.files_from_cache, 5u) << garbage;  // rebuilt
  }
}

TEST_F(DataHashCache, DeletedFilesLeaveTheCache) {
  HashWithCache(data_, cache_);
  fs::remove(data_ / "f4");
  HashWithCache(data_, cache_);
  EXPECT_EQ(StatCache::Load(cache_.string()).size(), 4u);
}

TEST_F(DataHashCache, CacheMustNotLieInsideTheData) {
  ExpectError(HashData(data_.string(), {.cache_path = (data_ / "sub/.cache").string()}), Code::kInvalidArgument,
              "must not lie inside the data");
  EXPECT_TRUE(HashData((data_ / "f0").string(), {.cache_path = (data_ / "cache").string()}).ok());
}

TEST_F(DataHashCache, UnwritableCacheIsANoteNotAnError) {
  DataHashStats stats;
  auto d = HashData(data_.string(), {.cache_path = (dir_.path() / "no/such/dir/cache").string(),
                                     .now_ns = Later, .stats = &stats});
  ASSERT_TRUE(d.ok());
  EXPECT_NE(stats.cache_note.find("stat cache not saved"), std::string::npos) << stats.cache_note;
}

}  // namespace
}  // namespace gitmodel
