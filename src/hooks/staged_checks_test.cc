#include "hooks/staged_checks.h"

#include <gtest/gtest.h>

#include "git/testing/must_git.h"
#include "git/testing/temp_repo.h"

namespace gitmodel {
namespace {

using testutil::MustGit;
using testutil::TempDir;
using testutil::WriteFile;

ProjectConfig SmallLimit() {
  ProjectConfig config;
  config.hooks.max_file_bytes = 100;
  return config;
}

std::vector<StagedProblem> Check(const std::string& dir, const ProjectConfig& config) {
  auto repo = DiscoverRepo(dir);
  EXPECT_TRUE(repo.ok() && *repo);
  auto problems = CheckStagedFiles(**repo, config);
  EXPECT_TRUE(problems.ok()) << problems.status().message();
  return problems.ok() ? *problems : std::vector<StagedProblem>{};
}

TEST(CheckStagedFiles, LargeFilesAndCheckpointsOutsideTheFilter) {
  TempDir dir;
  MustGit(dir.path(), "init -q");
  WriteFile(dir / "big.txt", std::string(101, 'x'));
  WriteFile(dir / "ok.txt", std::string(100, 'x'));
  WriteFile(dir / "models/model.pth", "tiny");
  WriteFile(dir / "tracked/model.safetensors", "tiny");
  WriteFile(dir / ".gitattributes", "tracked/*.safetensors filter=git-model\n");
  MustGit(dir.path(), "add -A");
  std::vector<StagedProblem> problems = Check(dir.path(), SmallLimit());
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].kind, StagedProblem::Kind::kTooLarge);
  EXPECT_EQ(problems[0].path, "big.txt");
  EXPECT_EQ(problems[0].size, 101u);
  EXPECT_EQ(problems[1].kind, StagedProblem::Kind::kCheckpoint);
  EXPECT_EQ(problems[1].path, "models/model.pth");
  EXPECT_EQ(problems[1].detail, "*.pth");

  // Once committed (hook bypassed), unchanged files are not checked again; deletions never are.
  MustGit(dir.path(), "commit -q -m x");
  EXPECT_TRUE(Check(dir.path(), SmallLimit()).empty());
  MustGit(dir.path(), "rm -q --cached big.txt");
  EXPECT_TRUE(Check(dir.path(), SmallLimit()).empty());
}

TEST(CheckStagedFiles, ConfigsThatDoNotParse) {
  TempDir dir;
  MustGit(dir.path(), "init -q");
  WriteFile(dir / "config.yaml", "lr: 0.1\nmodel: [unclosed\n");
  WriteFile(dir / "params.yaml", "lr: 0.1\n");
  WriteFile(dir / "notes/config.yaml", "a: [\n");  // not matched by the default globs
  WriteFile(dir / ".git-model.toml", "[hooks\n");
  MustGit(dir.path(), "add -A");
  std::vector<StagedProblem> problems = Check(dir.path(), ProjectConfig{});
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].path, ".git-model.toml");
  EXPECT_EQ(problems[0].kind, StagedProblem::Kind::kBadConfig);
  EXPECT_EQ(problems[1].path, "config.yaml");
  EXPECT_TRUE(problems[1].detail.starts_with("config.yaml:")) << problems[1].detail;
}

TEST(MatchesAnyPattern, BaseNameUnlessThePatternHasASlash) {
  EXPECT_TRUE(MatchesAnyPattern({"*.pt"}, "a/b/c.pt"));
  EXPECT_FALSE(MatchesAnyPattern({"*.pt"}, "a/b/c.pth"));
  EXPECT_TRUE(MatchesAnyPattern({"ckpt/*.bin"}, "ckpt/x.bin"));
  EXPECT_FALSE(MatchesAnyPattern({"ckpt/*.bin"}, "other/ckpt/x.bin"));
}

}  // namespace
}  // namespace gitmodel
