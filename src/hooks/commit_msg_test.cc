#include "hooks/commit_msg.h"

#include <gtest/gtest.h>

#include "git/testing/must_git.h"
#include "git/testing/temp_repo.h"

namespace gitmodel {
namespace {

using testutil::MustGit;
using testutil::ReadFile;
using testutil::TempDir;
using testutil::WriteFile;

GitRepo Open(const std::string& dir) {
  auto repo = DiscoverRepo(dir);
  EXPECT_TRUE(repo.ok() && *repo);
  return std::move(**repo);
}

TEST(StagedParamChanges, ComparesValuesByMeaning) {
  TempDir dir;
  MustGit(dir.path(), "init -q");
  WriteFile(dir / "params.yaml", "lr: 0.01\nbatch_size: 64\nwd: 1e-3\n");
  MustGit(dir.path(), "add -A");
  MustGit(dir.path(), "commit -q -m base");
  WriteFile(dir / "params.yaml", "lr: 0.001\nbatch_size: 64\nwd: 0.001\ndropout: 0.1\n");
  MustGit(dir.path(), "add -A");
  GitRepo repo = Open(dir.path());
  auto changes = StagedParamChanges(repo, ProjectConfig{});
  ASSERT_TRUE(changes.ok()) << changes.status().message();
  EXPECT_EQ(HyperparamTrailer(*changes), "Hyperparams: dropout (added) 0.1, lr 0.01 -> 0.001");

  WriteFile(dir / "config.py", "EPOCHS = 3\n");
  MustGit(dir.path(), "add -A");
  auto two_files = StagedParamChanges(repo, ProjectConfig{});
  ASSERT_TRUE(two_files.ok());
  EXPECT_EQ(HyperparamTrailer(*two_files),
            "Hyperparams: config.py:EPOCHS (added) 3, params.yaml:dropout (added) 0.1, params.yaml:lr 0.01 -> 0.001");
}

TEST(AddHyperparamTrailer, OnceAndOnlyWhenEnabled) {
  TempDir dir;
  MustGit(dir.path(), "init -q");
  WriteFile(dir / "params.yaml", "lr: 0.01\n");
  MustGit(dir.path(), "add -A");
  MustGit(dir.path(), "commit -q -m base");
  WriteFile(dir / "params.yaml", "lr: 0.001\n");
  MustGit(dir.path(), "add -A");
  GitRepo repo = Open(dir.path());
  const std::string message = dir / "MSG";
  WriteFile(message, "Lower lr\n\n# comment\n");
  ProjectConfig off;
  off.hooks.trailer = false;
  EXPECT_EQ(AddHyperparamTrailer(repo, off, message, false)->reason, "disabled");
  EXPECT_EQ(AddHyperparamTrailer(repo, ProjectConfig{}, message, true)->reason, "disabled");
  EXPECT_EQ(ReadFile(message), "Lower lr\n\n# comment\n");

  auto added = AddHyperparamTrailer(repo, ProjectConfig{}, message, false);
  ASSERT_TRUE(added.ok()) << added.status().message();
  EXPECT_EQ(added->trailer, "Hyperparams: lr 0.01 -> 0.001");
  EXPECT_EQ(ReadFile(message), "Lower lr\n\nHyperparams: lr 0.01 -> 0.001\n\n# comment\n");
  EXPECT_EQ(AddHyperparamTrailer(repo, ProjectConfig{}, message, false)->reason, "already present");
  EXPECT_EQ(ReadFile(message), "Lower lr\n\nHyperparams: lr 0.01 -> 0.001\n\n# comment\n");
}

}  // namespace
}  // namespace gitmodel
