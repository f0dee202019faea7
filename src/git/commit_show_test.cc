#include "git/commit_show.h"

#include <gtest/gtest.h>

#include <string>

#include "formats/testing/expect_error.h"
#include "git/commit_drift.h"
#include "git/testing/must_git.h"
#include "git/testing/temp_repo.h"

namespace gitmodel {
namespace {

using testutil::Git;
using testutil::MustGit;
using testutil::TempDir;
using testutil::WriteFile;

class GitCommits : public ::testing::Test {
 protected:
  void SetUp() override {
    MustGit(dir_.path(), "init -q .");
    WriteFile(dir_ / "a.txt", "one\ntwo\n");
    WriteFile(dir_ / "bin.dat", std::string("\0\1\2", 3));
    root_ = CommitAll("root commit\n\nwith a body\n\nof two paragraphs");
    WriteFile(dir_ / "a.txt", "one\nTWO\n");
    WriteFile(dir_ / "b.txt", "new\n");
    WriteFile(dir_ / "bin.dat", std::string("\0\1\3", 3));
    second_ = CommitAll("second");
    auto repo = DiscoverRepo(dir_.path());
    ASSERT_TRUE(repo.ok() && repo->has_value());
    repo_.emplace(std::move(**repo));
  }
  std::string CommitAll(const std::string& message) {
    MustGit(dir_.path(), "add -A");
    MustGit(dir_.path(), "commit -q -m " + testutil::ShellQuote(message));
    return MustGit(dir_.path(), "rev-parse HEAD").substr(0, 40);
  }
  TempDir dir_;
  std::string root_, second_;
  std::optional<GitRepo> repo_;
};

TEST_F(GitCommits, ShowMatchesGitShow) {
  for (const std::string& commit : {root_, second_}) {
    Result<std::string> shown = ShowCommit(*repo_, commit);
    ASSERT_TRUE(shown.ok()) << shown.status().message();
    EXPECT_EQ(*shown, MustGit(dir_.path(), "show --no-color --pretty=medium " + commit));
  }
  Result<std::string> by_name = ShowCommit(*repo_, "HEAD~1");
  ASSERT_TRUE(by_name.ok());
  EXPECT_NE(by_name->find("    with a body\n    \n    of two paragraphs\n"), std::string::npos) << *by_name;
  EXPECT_NE(by_name->find("Date:   Thu Apr 7 15:13:13 2005 -0700\n"), std::string::npos) << *by_name;
}

TEST_F(GitCommits, ShowUnknownCommitIsNotFound) {
  testutil::ExpectError(ShowCommit(*repo_, "0123456789012345678901234567890123456789"), Code::kNotFound,
                        "no commit '0123456789012345678901234567890123456789'");
}

TEST_F(GitCommits, CommitExists) {
  EXPECT_TRUE(*CommitExists(*repo_, root_));
  EXPECT_TRUE(*CommitExists(*repo_, second_.substr(0, 7)));
  EXPECT_TRUE(*CommitExists(*repo_, "main"));
  EXPECT_FALSE(*CommitExists(*repo_, "0123456789012345678901234567890123456789"));
  EXPECT_FALSE(*CommitExists(*repo_, "not a revision ^^"));
  std::string blob = MustGit(dir_.path(), "rev-parse HEAD:a.txt").substr(0, 40);
  EXPECT_FALSE(*CommitExists(*repo_, blob));
}

TEST_F(GitCommits, DriftSinceRecordedCommit) {
  Result<CommitDrift> drift = DriftSince(*repo_, root_);
  ASSERT_TRUE(drift.ok()) << drift.status().message();
  EXPECT_EQ(drift->head, second_);
  EXPECT_EQ(drift->ahead, 1u);
  EXPECT_EQ(drift->behind, 0u);
  EXPECT_TRUE(drift->recorded_is_ancestor);

  drift = DriftSince(*repo_, second_);
  ASSERT_TRUE(drift.ok());
  EXPECT_EQ(drift->ahead, 0u);
  EXPECT_TRUE(drift->recorded_is_ancestor);

  MustGit(dir_.path(), "checkout -q -b side " + root_);
  WriteFile(dir_ / "c.txt", "c\n");
  std::string side = CommitAll("side");
  drift = DriftSince(*repo_, second_);  // recorded on main, HEAD is now on side
  ASSERT_TRUE(drift.ok());
  EXPECT_EQ(drift->head, side);
  EXPECT_EQ(drift->ahead, 1u);
  EXPECT_EQ(drift->behind, 1u);
  EXPECT_FALSE(drift->recorded_is_ancestor);

  testutil::ExpectError(DriftSince(*repo_, "0123456789012345678901234567890123456789"), Code::kNotFound,
                        "is not in the repository");
}

}  // namespace
}  // namespace gitmodel
