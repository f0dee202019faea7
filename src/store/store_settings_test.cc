#include "store/store_settings.h"

#include <gtest/gtest.h>

#include "git/repo.h"
#include "git/testing/must_git.h"
#include "store/object_store.h"

namespace gitmodel {
namespace {

TEST(StoreSettingsTest, MaxDeltaDepthAcceptsZeroToTheFormatLimit) {
  EXPECT_EQ(*ParseMaxDeltaDepth("0"), 0);
  EXPECT_EQ(*ParseMaxDeltaDepth("9"), 9);
  EXPECT_EQ(*ParseMaxDeltaDepth("16"), kMaxDeltaDepth);
  for (const char* bad : {"", "17", "-1", "4.5", " 4", "4 ", "four", "99999999999999999999"}) {
    Result<uint8_t> parsed = ParseMaxDeltaDepth(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), Code::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find("git-model.maxDeltaDepth"), std::string::npos);
  }
}

TEST(StoreSettingsTest, MaxDeltaDepthIsReadFromGitConfig) {
  testutil::TempDir dir;
  testutil::MustGit(dir.path(), "init -q");
  auto depth = [&] {
    Result<std::optional<GitRepo>> repo = DiscoverRepo(dir.path());
    EXPECT_TRUE(repo.ok() && *repo);
    return ReadMaxDeltaDepth(**repo);
  };
  EXPECT_EQ(*depth(), kDefaultMaxDeltaDepth);
  testutil::MustGit(dir.path(), "config git-model.maxDeltaDepth 9");
  EXPECT_EQ(*depth(), 9);
  testutil::MustGit(dir.path(), "config git-model.maxDeltaDepth deep");
  EXPECT_EQ(depth().status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace gitmodel
