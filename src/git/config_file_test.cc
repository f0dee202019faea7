#include "git/config_file.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "git/testing/must_git.h"
#include "git/testing/temp_repo.h"

namespace gitmodel {
namespace {

using testutil::Git;
using testutil::HermeticHome;
using testutil::MustGit;
using testutil::ShellQuote;
using testutil::TempDir;
using testutil::WriteFile;

TEST(SetConfigValues, WritesWhatDiffersAndGitReadsIt) {
  TempDir dir;
  std::string file = dir / "config";
  auto first = SetConfigValues(file, {{"diff.git-model.textconv", "git-model textconv"}, {"diff.git-model.cachetextconv", "true"}});
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_EQ(first->size(), 2u);
  EXPECT_TRUE((*first)[0].changed);
  EXPECT_FALSE((*first)[0].previous.has_value());
  EXPECT_EQ(MustGit(dir.path(), "config -f config --get diff.git-model.textconv"), "git-model textconv\n");
  EXPECT_EQ(MustGit(dir.path(), "config -f config --bool --get diff.git-model.cachetextconv"), "true\n");

  std::string before = testutil::ReadFile(file);
  auto again = SetConfigValues(file, {{"diff.git-model.textconv", "git-model textconv"}});
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE((*again)[0].changed);
  EXPECT_EQ(testutil::ReadFile(file), before);

  auto other = SetConfigValues(file, {{"diff.git-model.textconv", "other"}});
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE((*other)[0].changed);
  EXPECT_EQ((*other)[0].previous, "git-model textconv");
  EXPECT_EQ(MustGit(dir.path(), "config -f config --get diff.git-model.textconv"), "other\n");
}

TEST(SetConfigValues, KeepsTheRestOfTheFile) {
  TempDir dir;
  std::string file = dir / "config";
  WriteFile(file, "[user]\n\tname = Someone # a comment\n[diff \"git-model\"]\n\tcommand = git-model git-diff\n");
  ASSERT_TRUE(SetConfigValues(file, {{"diff.git-model.textconv", "git-model textconv"}}).ok());
  EXPECT_EQ(MustGit(dir.path(), "config -f config --get user.name"), "Someone\n");
  EXPECT_EQ(MustGit(dir.path(), "config -f config --get diff.git-model.command"), "git-model git-diff\n");
  EXPECT_EQ(MustGit(dir.path(), "config -f config --get diff.git-model.textconv"), "git-model textconv\n");
}

TEST(SetConfigValues, RefusesToOverwriteAMultivar) {
  TempDir dir;
  WriteFile(dir / "config", "[diff \"git-model\"]\n\ttextconv = a\n\ttextconv = b\n");
  EXPECT_FALSE(SetConfigValues(dir / "config", {{"diff.git-model.textconv", "c"}}).ok());
}

TEST(ConfigPaths, RepositoryAndGlobal) {
  TempDir dir;
  MustGit(dir.path(), "init -q .");
  auto repo = DiscoverRepo(dir.path());
  ASSERT_TRUE(repo.ok() && repo->has_value());
  EXPECT_EQ(RepositoryConfigPath(**repo), dir / ".git/config");

  const std::string& home = HermeticHome();  // libgit2's global and XDG search paths point here
  auto global = GlobalConfigPath();
  ASSERT_TRUE(global.ok()) << global.status().message();
  EXPECT_EQ(*global, home + "/.gitconfig");
  // Only the XDG file exists: git --global writes that one. (libgit2's XDG search path is
  // normally ~/.config/git; the hermetic home points it at `home`, so the file is home/config.)
  WriteFile(home + "/config", "[core]\n");
  global = GlobalConfigPath();
  std::filesystem::remove(home + "/config");
  ASSERT_TRUE(global.ok());
  EXPECT_EQ(*global, home + "/config");
}

}  // namespace
}  // namespace gitmodel
