#include "git/commit_log.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "formats/testing/expect_error.h"
#include "git/testing/must_git.h"
#include "git/testing/temp_repo.h"

namespace gitmodel {
namespace {

using testutil::MustGit;
using testutil::ShellQuote;
using testutil::TempDir;
using testutil::WriteFile;

// root - c1 - c2 - merge (main)
//          \      /
//           s1 - s2 (side)
class CommitLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MustGit(dir_.path(), "init -q -b main .");
    root_ = Commit("a.txt", "root\n", "root commit", "Ada");
    c1_ = Commit("a.txt", "one\n", "first line\nsecond line\n\nthe body", "Bob");
    c2_ = Commit("a.txt", "two\n", "c2", "Ada");
    MustGit(dir_.path(), "checkout -q -b side " + c1_);
    s1_ = Commit("b.txt", "s1\n", "s1", "Ada");
    s2_ = Commit("b.txt", "s2\n", "s2", "Ada");
    MustGit(dir_.path(), "checkout -q main");
    MustGit(dir_.path(), "merge -q --no-ff -m 'merge side' side");
    merge_ = MustGit(dir_.path(), "rev-parse HEAD").substr(0, 40);
    auto repo = DiscoverRepo(dir_.path());
    ASSERT_TRUE(repo.ok() && repo->has_value());
    repo_.emplace(std::move(**repo));
  }
  std::string Commit(const std::string& file, const std::string& content, const std::string& message,
                     const std::string& author) {
    WriteFile(dir_ / file, content);
    MustGit(dir_.path(), "add -A");
    MustGit(dir_.path(),
            "commit -q --author=" + ShellQuote(author + " <x@example.com>") + " -m " + ShellQuote(message));
    return MustGit(dir_.path(), "rev-parse HEAD").substr(0, 40);
  }
  // `git log --topo-order --format=%H <args>`.
  std::vector<std::string> GitLog(const std::string& args) {
    std::string out = MustGit(dir_.path(), "log --topo-order --format=%H " + args);
    std::vector<std::string> ids;
    for (size_t start = 0; start + 40 <= out.size(); start += 41) ids.push_back(out.substr(start, 40));
    return ids;
  }
  std::vector<std::string> Ids(const HistoryOptions& range, size_t limit = 100) {
    Result<std::vector<CommitMeta>> commits = LogCommits(*repo_, range, limit);
    std::vector<std::string> ids;
    if (!commits.ok()) {
      ADD_FAILURE() << commits.status().message();
      return ids;
    }
    for (const CommitMeta& c : *commits) ids.push_back(c.id);
    return ids;
  }

  TempDir dir_;
  std::string root_, c1_, c2_, s1_, s2_, merge_;
  std::optional<GitRepo> repo_;
};

std::vector<std::string> Sorted(std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

// All commits share one date, so where a merge's two sides could come in either order only the
// sets are compared with git's (git and libgit2 pick different valid orders).
TEST_F(CommitLogTest, ListsLikeGitLog) {
  const std::vector<std::string> all = Ids({});
  EXPECT_EQ(Sorted(all), Sorted(GitLog("HEAD")));
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(all.front(), merge_);
  EXPECT_EQ(all.back(), root_);
  EXPECT_EQ(Sorted(Ids({.range = c1_ + ".." + merge_})), Sorted(GitLog(c1_ + ".." + merge_)));
  EXPECT_EQ(Ids({.range = "side"}), GitLog("side"));
  EXPECT_EQ(Ids({.range = c2_ + ".."}), GitLog(c2_ + ".."));
  EXPECT_EQ(Ids({.range = root_ + ".." + c2_}), GitLog(root_ + ".." + c2_));
  EXPECT_TRUE(Ids({.range = "..side"}).empty());  // side is merged into HEAD
  EXPECT_EQ(Ids({.first_parent = true}), GitLog("--first-parent HEAD"));
  EXPECT_EQ(Ids({.first_parent = true}), (std::vector<std::string>{merge_, c2_, c1_, root_}));
}

TEST_F(CommitLogTest, LimitKeepsTheNewest) {
  EXPECT_EQ(Ids({.range = "side"}, 2), GitLog("-n 2 side"));
  const std::vector<std::string> all = Ids({});
  EXPECT_EQ(Ids({}, 3), std::vector<std::string>(all.begin(), all.begin() + 3));
  EXPECT_TRUE(Ids({}, 0).empty());
}

TEST_F(CommitLogTest, CarriesTheMetadata) {
  Result<std::vector<CommitMeta>> commits = LogCommits(*repo_, {.range = root_ + ".." + c1_}, 10);
  ASSERT_TRUE(commits.ok()) << commits.status().message();
  ASSERT_EQ(commits->size(), 1u);
  const CommitMeta& c = commits->front();
  EXPECT_EQ(c.id, c1_);
  EXPECT_EQ(c.parents, std::vector<std::string>{root_});
  EXPECT_EQ(c.author, "Bob");
  EXPECT_EQ(c.subject, "first line second line");
  EXPECT_EQ(c.tree, MustGit(dir_.path(), "rev-parse " + c1_ + "^{tree}").substr(0, 40));
  EXPECT_EQ(std::to_string(c.time), MustGit(dir_.path(), "log -1 --format=%at " + c1_).substr(0, 10));
  EXPECT_EQ(c.offset_minutes, -7 * 60);  // temp_repo.h's fixed dates are -0700
}

TEST_F(CommitLogTest, BadRangesAreErrors) {
  testutil::ExpectError(LogCommits(*repo_, {.range = "nope"}, 10), Code::kNotFound, "'nope' names no commit");
  testutil::ExpectError(LogCommits(*repo_, {.range = "nope..HEAD"}, 10), Code::kNotFound, "'nope'");
  testutil::ExpectError(LogCommits(*repo_, {.range = "HEAD...side"}, 10), Code::kInvalidArgument, "A...B");
}

}  // namespace
}  // namespace gitmodel
