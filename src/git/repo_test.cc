#include "git/repo.h"

#include <gtest/gtest.h>

#include "git/testing/temp_repo.h"

namespace gitmodel {
namespace {

using testutil::Git;
using testutil::ShellQuote;
using testutil::TempDir;
using testutil::WriteFile;

TEST(GitRepo, DiscoversFromFilesAndSubdirectories) {
  TempDir dir;
  ASSERT_EQ(Git(dir.path(), "init -q .").exit_code, 0);
  WriteFile(dir / "sub/deeper/file.txt", "x");
  for (const std::string& path : std::vector<std::string>{dir.path(), dir / "sub", dir / "sub/deeper/file.txt", dir / "sub/deeper/new.pth"}) {
    Result<std::optional<GitRepo>> repo = DiscoverRepo(path);
    ASSERT_TRUE(repo.ok()) << repo.status().message();
    ASSERT_TRUE(repo->has_value()) << path;
    EXPECT_EQ(WorkdirOf(**repo), dir.path());
    EXPECT_EQ(GitModelDir(**repo), dir / ".git/git-model");
  }
}

TEST(GitRepo, OutsideAnyRepositoryIsNotAnError) {
  TempDir dir;
  if (Git(dir.path(), "rev-parse --git-dir").exit_code == 0) GTEST_SKIP() << "$TMPDIR is inside a repository";
  Result<std::optional<GitRepo>> repo = DiscoverRepo(dir.path());
  ASSERT_TRUE(repo.ok()) << repo.status().message();
  EXPECT_FALSE(repo->has_value());
}

TEST(GitRepo, WorktreesShareTheGitModelDir) {
  TempDir dir, other;
  ASSERT_EQ(Git(dir.path(), "init -q .").exit_code, 0);
  ASSERT_EQ(Git(dir.path(), "commit -q --allow-empty -m x").exit_code, 0);
  ASSERT_EQ(Git(dir.path(), "worktree add -q " + ShellQuote(other / "wt")).exit_code, 0);
  auto repo = DiscoverRepo(other / "wt");
  ASSERT_TRUE(repo.ok() && repo->has_value());
  EXPECT_EQ(WorkdirOf(**repo), other / "wt");
  EXPECT_EQ(GitModelDir(**repo), dir / ".git/git-model");
}

}  // namespace
}  // namespace gitmodel
