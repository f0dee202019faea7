#include "git/git_state.h"

#include <gtest/gtest.h>

#include <string>

#include "formats/testing/expect_error.h"
#include "git/testing/must_git.h"
#include "git/testing/temp_repo.h"

namespace gitmodel {
namespace {

using testutil::Git;
using testutil::MustGit;
using testutil::ShellQuote;
using testutil::TempDir;
using testutil::WriteFile;

class GitStateCapture : public ::testing::Test {
 protected:
  void SetUp() override {
    MustGit(dir_.path(), "init -q .");
    WriteFile(dir_ / "a.txt", "a\n");
    MustGit(dir_.path(), "add -A");
    MustGit(dir_.path(), "commit -q -m first");
    head_ = MustGit(dir_.path(), "rev-parse HEAD").substr(0, 40);
  }
  GitState Capture(const std::string& path, GitCaptureOptions options = {}) {
    Result<GitState> state = CaptureGitState(path, options);
    EXPECT_TRUE(state.ok()) << state.status().message();
    return state.ok() ? *state : GitState{};
  }
  TempDir dir_;
  std::string head_;
};

TEST_F(GitStateCapture, BranchCommitAndWorkdir) {
  GitState state = Capture(dir_ / "a.txt");  // a file inside the repository works as well
  EXPECT_TRUE(state.in_repo);
  EXPECT_EQ(state.workdir, dir_.path());
  EXPECT_EQ(state.commit, head_);
  EXPECT_EQ(state.branch, "main");
  EXPECT_FALSE(state.detached);
  EXPECT_FALSE(state.shallow);
  EXPECT_FALSE(state.commit_overridden);
  EXPECT_EQ(state.describe, head_.substr(0, 7));
  EXPECT_EQ(state.remote, "");
  EXPECT_EQ(state.remote_name, "");
}

TEST_F(GitStateCapture, PathThatDoesNotExistYetInsideTheRepo) {
  GitState state = Capture(dir_ / "checkpoints/run1/not_yet.pth");  // no such directories either
  EXPECT_TRUE(state.in_repo);
  EXPECT_EQ(state.commit, head_);
}

TEST_F(GitStateCapture, DetachedHead) {
  MustGit(dir_.path(), "checkout -q --detach HEAD");
  GitState state = Capture(dir_.path());
  EXPECT_TRUE(state.detached);
  EXPECT_EQ(state.branch, "");
  EXPECT_EQ(state.commit, head_);
}

TEST_F(GitStateCapture, DescribeUsesLightweightAndAnnotatedTags) {
  MustGit(dir_.path(), "tag v0.9");
  EXPECT_EQ(Capture(dir_.path()).describe, "v0.9");
  MustGit(dir_.path(), "tag -a v1.0 -m release");
  WriteFile(dir_ / "b.txt", "b\n");
  MustGit(dir_.path(), "add b.txt");
  MustGit(dir_.path(), "commit -q -m second");
  std::string head = MustGit(dir_.path(), "rev-parse HEAD").substr(0, 40);
  std::string want = MustGit(dir_.path(), "describe --tags --always");
  want.pop_back();
  EXPECT_EQ(Capture(dir_.path()).describe, want);
  EXPECT_EQ(want.substr(0, 9), "v1.0-1-g" + head.substr(0, 1));
}

TEST_F(GitStateCapture, OutsideARepository) {
  TempDir outside;
  if (Git(outside.path(), "rev-parse --git-dir").exit_code == 0) GTEST_SKIP() << "$TMPDIR is inside a repository";
  Result<GitState> state = CaptureGitState(outside.path(), {});
  ASSERT_TRUE(state.ok()) << state.status().message();
  EXPECT_FALSE(state->in_repo);
  EXPECT_EQ(state->commit, "");
  EXPECT_EQ(state->patch, "");
}

TEST_F(GitStateCapture, RemoteIsStoredWithoutCredentials) {
  MustGit(dir_.path(), "remote add mirror https://someone:hunter2@mirror.example/x.git");
  MustGit(dir_.path(), "remote add origin https://oauth2:glpat-xyz@gitlab.com/a/b.git");
  GitState state = Capture(dir_.path());
  EXPECT_EQ(state.remote_name, "origin");
  EXPECT_EQ(state.remote, "https://gitlab.com/a/b.git");
  MustGit(dir_.path(), "config branch.main.remote mirror");
  MustGit(dir_.path(), "config branch.main.merge refs/heads/main");
  state = Capture(dir_.path());
  EXPECT_EQ(state.remote_name, "mirror");
  EXPECT_EQ(state.remote, "https://mirror.example/x.git");
}

TEST_F(GitStateCapture, AlphabeticallyFirstRemoteWhenThereIsNoOrigin) {
  MustGit(dir_.path(), "remote add zeta git@example.com:z.git");
  MustGit(dir_.path(), "remote add alpha git@example.com:a.git");
  MustGit(dir_.path(), "config remote.pushonly.pushurl git@example.com:p.git");  // no url: not a candidate
  GitState state = Capture(dir_.path());
  EXPECT_EQ(state.remote_name, "alpha");
  EXPECT_EQ(state.remote, "git@example.com:a.git");
}

TEST_F(GitStateCapture, CommitOverride) {
  GitState state = Capture(dir_.path(), {.commit_override = head_.substr(0, 8), .exclude_paths = {}});
  EXPECT_TRUE(state.commit_overridden);
  EXPECT_EQ(state.commit, head_);
  std::string unknown = "ABCDEF0123456789abcdef0123456789abcdef01";
  state = Capture(dir_.path(), {.commit_override = unknown, .exclude_paths = {}});
  EXPECT_EQ(state.commit, "abcdef0123456789abcdef0123456789abcdef01");
  EXPECT_EQ(state.describe, "");
  std::string sha256(64, 'a');
  EXPECT_EQ(Capture(dir_.path(), {.commit_override = sha256, .exclude_paths = {}}).commit, sha256);
  for (const std::string& bad : std::vector<std::string>{"abc", "xyz12345", std::string(65, 'a'), "abcd "}) {
    testutil::ExpectError(CaptureGitState(dir_.path(), {.commit_override = bad, .exclude_paths = {}}), Code::kInvalidArgument,
                          "is not 4 to 64 hex digits");
  }
}

TEST_F(GitStateCapture, ShallowClone) {
  WriteFile(dir_ / "b.txt", "b\n");
  MustGit(dir_.path(), "add b.txt");
  MustGit(dir_.path(), "commit -q -m second");
  MustGit(dir_.path(), "tag v1");
  WriteFile(dir_ / "c.txt", "c\n");
  MustGit(dir_.path(), "add c.txt");
  MustGit(dir_.path(), "commit -q -m third");
  TempDir clone_parent;
  MustGit(clone_parent.path(), "clone -q --depth 1 " + ShellQuote("file://" + dir_.path()) + " clone");
  WriteFile(clone_parent / "clone/c.txt", "changed\n");
  GitState state = Capture(clone_parent / "clone");
  EXPECT_TRUE(state.shallow);
  EXPECT_EQ(state.commit, MustGit(dir_.path(), "rev-parse HEAD").substr(0, 40));
  EXPECT_EQ(state.describe.size(), 7u) << state.describe;
  EXPECT_EQ(state.changed, std::vector<std::string>{"c.txt"});
  EXPECT_NE(state.patch.find("+changed"), std::string::npos);
  EXPECT_EQ(state.remote_name, "origin");
}

TEST_F(GitStateCapture, LinkedWorktree) {
  TempDir other;
  MustGit(dir_.path(), "worktree add -q -b side " + ShellQuote(other / "wt"));
  WriteFile(other / "wt/new.txt", "in the worktree\n");
  GitState state = Capture(other / "wt");
  EXPECT_EQ(state.workdir, other / "wt");
  EXPECT_EQ(state.branch, "side");
  EXPECT_EQ(state.untracked, std::vector<std::string>{"new.txt"});
  EXPECT_NE(state.patch.find("+in the worktree"), std::string::npos);  // the worktree's own index
  EXPECT_EQ(state.patch.find("a.txt"), std::string::npos);
  EXPECT_TRUE(Capture(dir_.path()).untracked.empty());
}

TEST_F(GitStateCapture, BareRepositoryHasNoWorkingTreeState) {
  TempDir bare;
  MustGit(bare.path(), "clone -q --bare " + ShellQuote(dir_.path()) + " repo.git");
  GitState state = Capture(bare / "repo.git");
  EXPECT_TRUE(state.in_repo);
  EXPECT_EQ(state.workdir, "");
  EXPECT_EQ(state.commit, head_);
  EXPECT_EQ(state.branch, "main");
  EXPECT_FALSE(state.dirty);
  EXPECT_EQ(state.patch, "");
}

}  // namespace
}  // namespace gitmodel
