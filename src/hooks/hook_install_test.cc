#include "hooks/hook_install.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

#include "git/testing/must_git.h"
#include "git/testing/temp_repo.h"

namespace gitmodel {
namespace {

using testutil::MustGit;
using testutil::ReadFile;
using testutil::TempDir;
using testutil::WriteFile;

unsigned ModeOf(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0 ? st.st_mode & 07777 : 0;
}

bool Exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

TEST(HookScript, HoldsTheMarkerAndRunsGitModel) {
  for (const std::string& name : ManagedHookNames()) {
    std::string script = HookScript(name);
    EXPECT_TRUE(script.starts_with("#!/bin/sh\n"));
    EXPECT_TRUE(IsGitModelHook(script));
    EXPECT_NE(script.find("git-model hook " + name + " \"$@\""), std::string::npos);
    EXPECT_NE(script.find(name + ".pre-git-model"), std::string::npos);
  }
  EXPECT_FALSE(IsGitModelHook("#!/bin/sh\necho '" + std::string(kHookMarker) + "'\n"));
}

TEST(InstallHooks, FreshIdempotentAndUninstalled) {
  TempDir dir;
  const std::string hooks = dir / "hooks";
  auto first = InstallHooks(hooks);
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_EQ(first->size(), 3u);
  for (const HookAction& a : *first) {
    EXPECT_EQ(a.action, "installed");
    EXPECT_EQ(ModeOf(a.path), 0755u);
  }
  auto again = InstallHooks(hooks);
  ASSERT_TRUE(again.ok());
  for (const HookAction& a : *again) EXPECT_FALSE(a.changed) << a.name;
  auto removed = UninstallHooks(hooks);
  ASSERT_TRUE(removed.ok());
  for (const HookAction& a : *removed) {
    EXPECT_EQ(a.action, "removed");
    EXPECT_FALSE(Exists(a.path));
  }
  auto nothing = UninstallHooks(hooks);
  ASSERT_TRUE(nothing.ok());
  EXPECT_EQ((*nothing)[0].action, "not installed");
}

TEST(InstallHooks, ChainsAndRestoresAnExistingHookExactly) {
  TempDir dir;
  const std::string hook = dir / "pre-commit";
  const std::string original = "#!/bin/sh\necho mine\n";
  WriteFile(hook, original, true);
  ASSERT_EQ(::chmod(hook.c_str(), 0750), 0);
  auto installed = InstallHooks(dir.path());
  ASSERT_TRUE(installed.ok()) << installed.status().message();
  EXPECT_EQ((*installed)[0].action, "installed, chaining the existing hook");
  EXPECT_EQ(ReadFile(hook + ".pre-git-model"), original);
  EXPECT_TRUE(IsGitModelHook(ReadFile(hook)));
  ASSERT_TRUE(InstallHooks(dir.path()).ok());  // again: the chained original is not touched
  EXPECT_EQ(ReadFile(hook + ".pre-git-model"), original);

  auto removed = UninstallHooks(dir.path());
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ((*removed)[0].action, "removed, restored the original hook");
  EXPECT_EQ(ReadFile(hook), original);
  EXPECT_EQ(ModeOf(hook), 0750u);
  EXPECT_FALSE(Exists(hook + ".pre-git-model"));
}

TEST(InstallHooks, NeverOverwritesAForeignHookOrASavedOriginal) {
  TempDir dir;
  WriteFile(dir / "commit-msg", "#!/bin/sh\nexit 0\n", true);
  WriteFile(dir / "commit-msg.pre-git-model", "#!/bin/sh\necho older\n", true);
  auto installed = InstallHooks(dir.path());
  ASSERT_FALSE(installed.ok());
  EXPECT_EQ(installed.status().code(), Code::kConflict);
  EXPECT_EQ(ReadFile(dir / "commit-msg"), "#!/bin/sh\nexit 0\n");
  auto removed = UninstallHooks(dir.path());
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ((*removed)[1].action, "left alone: not a git-model hook");
  EXPECT_EQ(ReadFile(dir / "commit-msg.pre-git-model"), "#!/bin/sh\necho older\n");
}

TEST(InstallHooks, KeepsASymlinkedHookAsALink) {
  TempDir dir;
  WriteFile(dir / "real-hook", "#!/bin/sh\n", true);
  ASSERT_EQ(::symlink("real-hook", (dir / "pre-push").c_str()), 0);
  ASSERT_TRUE(InstallHooks(dir.path()).ok());
  ASSERT_TRUE(UninstallHooks(dir.path()).ok());
  char target[64] = {};
  ASSERT_GT(::readlink((dir / "pre-push").c_str(), target, sizeof target - 1), 0);
  EXPECT_STREQ(target, "real-hook");
}

TEST(HooksDir, DefaultHooksPathAndWorktrees) {
  TempDir dir;
  MustGit(dir.path(), "init -q repo");
  const std::string repo_dir = dir / "repo";
  auto repo = DiscoverRepo(repo_dir);
  ASSERT_TRUE(repo.ok() && *repo);
  auto plain = HooksDir(**repo);
  ASSERT_TRUE(plain.ok()) << plain.status().message();
  EXPECT_EQ(*plain, std::filesystem::canonical(repo_dir).string() + "/.git/hooks");

  MustGit(repo_dir, "config core.hooksPath ci/hooks");
  auto relative = DiscoverRepo(repo_dir + "/");
  ASSERT_TRUE(relative.ok() && *relative);
  EXPECT_EQ(*HooksDir(**relative), std::filesystem::canonical(repo_dir).string() + "/ci/hooks");

  MustGit(repo_dir, "config core.hooksPath /abs/hooks/");
  auto absolute = DiscoverRepo(repo_dir);
  EXPECT_EQ(*HooksDir(**absolute), "/abs/hooks");

  MustGit(repo_dir, "config --unset core.hooksPath");
  MustGit(repo_dir, "commit -q --allow-empty -m init");
  MustGit(repo_dir, "worktree add -q ../wt");
  auto worktree = DiscoverRepo(dir / "wt");
  ASSERT_TRUE(worktree.ok() && *worktree);
  EXPECT_EQ(*HooksDir(**worktree), *plain);
}

}  // namespace
}  // namespace gitmodel
