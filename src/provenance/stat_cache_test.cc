#include "provenance/stat_cache.h"

#include <gtest/gtest.h>

#include "base/atomic_file.h"
#include "provenance/testing/temp_dir.h"

namespace gitmodel {
namespace {

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kStart = 1'700'000'000 * kSecond;

FileStat Stat() { return {.size = 10, .mtime_ns = kStart - 60 * kSecond, .ctime_ns = kStart - 50 * kSecond, .inode = 7, .device = 9}; }
Digest DigestOf(std::string_view text) { return Sha256Of(std::as_bytes(std::span(text))); }

TEST(DataStatCache, SaveLoadRoundTrip) {
  testutil::ScratchDir dir;
  std::string path = (dir.path() / "cache").string();
  StatCache cache;
  ASSERT_TRUE(cache.Insert("/data/a b", Stat(), DigestOf("a"), kStart));
  ASSERT_TRUE(cache.Insert("/data/c", Stat(), DigestOf("c"), kStart));
  ASSERT_TRUE(cache.Save(path).ok());
  std::string note;
  StatCache loaded = StatCache::Load(path, &note);
  EXPECT_EQ(note, "");
  EXPECT_EQ(loaded.size(), 2u);
  EXPECT_FALSE(loaded.modified());
  EXPECT_EQ(loaded.Lookup("/data/a b", Stat()), DigestOf("a"));
  EXPECT_EQ(loaded.Lookup("/data/c", Stat()), DigestOf("c"));
  EXPECT_EQ(loaded.Lookup("/data/d", Stat()), std::nullopt);
  std::string text = *ReadSmallFile(path, 1 << 20);
  EXPECT_TRUE(text.starts_with("git-model/stat-cache/v1\n" + ToHex(DigestOf("a")) + " 10 ")) << text;
}

TEST(DataStatCache, EveryStatFieldMustMatch) {
  StatCache cache;
  ASSERT_TRUE(cache.Insert("/f", Stat(), DigestOf("f"), kStart));
  EXPECT_TRUE(cache.Lookup("/f", Stat()).has_value());
  for (int field = 0; field < 5; ++field) {
    FileStat st = Stat();
    if (field == 0) st.size += 1;
    if (field == 1) st.mtime_ns += 1;
    if (field == 2) st.ctime_ns += 1;
    if (field == 3) st.inode += 1;
    if (field == 4) st.device += 1;
    EXPECT_FALSE(cache.Lookup("/f", st).has_value()) << "field " << field;
  }
}

TEST(DataStatCache, RacyEntriesAreRefused) {
  StatCache cache;
  FileStat st = Stat();
  st.mtime_ns = kStart - StatCache::kRacyWindowNs;  // exactly at the window: racy
  EXPECT_FALSE(cache.Insert("/f", st, DigestOf("f"), kStart));
  st.mtime_ns -= 1;
  EXPECT_TRUE(cache.Insert("/f", st, DigestOf("f"), kStart));
  st.ctime_ns = kStart - kSecond;  // a recent chmod/rename/touch -d is as racy as a write
  EXPECT_FALSE(cache.Insert("/f", st, DigestOf("f"), kStart));
  EXPECT_EQ(cache.size(), 0u);  // and it removed the older entry for the path
  EXPECT_FALSE(cache.Insert("relative/path", Stat(), DigestOf("f"), kStart));
  EXPECT_FALSE(cache.Insert("/new\nline", Stat(), DigestOf("f"), kStart));
}

TEST(DataStatCache, BadFilesAreIgnoredWithANote) {
  testutil::ScratchDir dir;
  std::string path = (dir.path() / "cache").string();
  std::string note;
  EXPECT_EQ(StatCache::Load(path, &note).size(), 0u);  // missing: silently empty
  EXPECT_EQ(note, "");
  std::string good = "git-model/stat-cache/v1\n" + ToHex(DigestOf("x")) + " 1 2 3 4 5 /x\n";
  ASSERT_TRUE(WriteFileAtomically(path, good).ok());
  EXPECT_EQ(StatCache::Load(path).size(), 1u);
  for (std::string bad : {std::string("git-model/stat-cache/v2\n"), good.substr(0, good.size() - 1),
                          "git-model/stat-cache/v1\n" + ToHex(DigestOf("x")) + " 1 2 3 4 /x\n",
                          "git-model/stat-cache/v1\n" + ToHex(DigestOf("x")) + " 1 2 3 4 5 x\n",
                          "git-model/stat-cache/v1\n" + ToHex(DigestOf("x")) + " -1 2 3 4 5 /x\n",
                          "git-model/stat-cache/v1\nABCD" + ToHex(DigestOf("x")).substr(4) + " 1 2 3 4 5 /x\n"}) {
    ASSERT_TRUE(WriteFileAtomically(path, bad).ok());
    note.clear();
    EXPECT_EQ(StatCache::Load(path, &note).size(), 0u) << bad;
    EXPECT_NE(note.find("ignored, it will be rebuilt"), std::string::npos) << bad;
  }
}

TEST(DataStatCache, ForgetUnusedUnderKeepsOtherTrees) {
  testutil::ScratchDir dir;
  std::string path = (dir.path() / "cache").string();
  StatCache cache;
  for (const char* p : {"/data/a", "/data/b", "/data2/c", "/other/d"}) cache.Insert(p, Stat(), DigestOf(p), kStart);
  ASSERT_TRUE(cache.Save(path).ok());
  StatCache loaded = StatCache::Load(path);
  EXPECT_TRUE(loaded.Lookup("/data/a", Stat()).has_value());
  loaded.ForgetUnusedUnder("/data");
  EXPECT_TRUE(loaded.modified());
  EXPECT_EQ(loaded.size(), 3u);  // /data/b went; /data2/c is not under /data
  EXPECT_FALSE(loaded.Lookup("/data/b", Stat()).has_value());
  EXPECT_TRUE(loaded.Lookup("/data2/c", Stat()).has_value());
}

}  // namespace
}  // namespace gitmodel
