#include "git/commit_range.h"

#include <gtest/gtest.h>

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

// root - c1 - c2 (main) - merge
//          \            /
//           s1 - s2 (side)
class CommitRangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MustGit(dir_.path(), "init -q .");
    root_ = Commit("a.txt", "root\n", "root commit");
    c1_ = Commit("a.txt", "one\n", "first line\nsecond line\n\nthe body");
    c2_ = Commit("a.txt", "two\n", "c2");
    MustGit(dir_.path(), "checkout -q -b side " + c1_);
    s1_ = Commit("b.txt", "s1\n", "s1");
    s2_ = Commit("b.txt", "s2\n", "s2");
    MustGit(dir_.path(), "checkout -q main");
    MustGit(dir_.path(), "merge -q --no-ff -m 'merge side' side");
    merge_ = Head();
    auto repo = DiscoverRepo(dir_.path());
    ASSERT_TRUE(repo.ok() && repo->has_value());
    repo_.emplace(std::move(**repo));
  }
  std::string Commit(const std::string& file, const std::string& content, const std::string& message) {
    WriteFile(dir_ / file, content);
    MustGit(dir_.path(), "add -A");
    MustGit(dir_.path(), "commit -q -m " + ShellQuote(message));
    return Head();
  }
  std::string Head() { return MustGit(dir_.path(), "rev-parse HEAD").substr(0, 40); }

  // `git log --topo-order --format='%H %s' <range>`, one entry per commit.
  std::vector<std::string> GitLog(const std::string& range) {
    std::string out = MustGit(dir_.path(), "log --topo-order --format='%H %s' " + range);
    std::vector<std::string> lines;
    for (size_t start = 0, end; start < out.size(); start = end + 1) {
      end = out.find('\n', start);
      if (end == std::string::npos) end = out.size();
      lines.push_back(out.substr(start, end - start));
    }
    return lines;
  }
  static std::vector<std::string> Lines(const CommitRange& r) {
    std::vector<std::string> lines;
    for (const CommitLine& c : r.commits) lines.push_back(c.id + " " + c.subject);
    return lines;
  }

  TempDir dir_;
  std::string root_, c1_, c2_, s1_, s2_, merge_;
  std::optional<GitRepo> repo_;
};

TEST_F(CommitRangeTest, LinearRangeNewestFirstWithSubjects) {
  Result<CommitRange> r = CommitsBetween(*repo_, root_, c2_, 20);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->from, root_);
  EXPECT_EQ(r->to, c2_);
  ASSERT_EQ(r->commits.size(), 2u);
  EXPECT_EQ(r->commits[0].id, c2_);
  EXPECT_EQ(r->commits[0].subject, "c2");
  EXPECT_EQ(r->commits[1].id, c1_);
  EXPECT_EQ(r->commits[1].subject, "first line second line");  // git's %s joins the first paragraph
  EXPECT_EQ(r->total, 2u);
  EXPECT_EQ(r->behind, 0u);
  EXPECT_EQ(Lines(*r), GitLog(root_ + ".." + c2_));
}

TEST_F(CommitRangeTest, BackwardsRangeCountsBehind) {
  Result<CommitRange> r = CommitsBetween(*repo_, c2_, root_, 20);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->commits.empty());
  EXPECT_EQ(r->total, 0u);
  EXPECT_EQ(r->behind, 2u);
}

TEST_F(CommitRangeTest, ForkedRangeCountsBothSides) {
  Result<CommitRange> r = CommitsBetween(*repo_, c2_, s2_, 20);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->commits.size(), 2u);
  EXPECT_EQ(r->commits[0].id, s2_);
  EXPECT_EQ(r->commits[1].id, s1_);
  EXPECT_EQ(r->total, 2u);
  EXPECT_EQ(r->behind, 1u);  // c2
  EXPECT_EQ(Lines(*r), GitLog(c2_ + ".." + s2_));
}

TEST_F(CommitRangeTest, MergeComesBeforeItsParents) {
  Result<CommitRange> r = CommitsBetween(*repo_, c2_, merge_, 20);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->commits.size(), 3u);
  EXPECT_EQ(r->commits[0].id, merge_);
  EXPECT_EQ(r->commits[0].subject, "merge side");
  EXPECT_EQ(r->commits[1].id, s2_);
  EXPECT_EQ(r->commits[2].id, s1_);
  EXPECT_EQ(r->total, 3u);
  EXPECT_EQ(r->behind, 0u);
  EXPECT_EQ(Lines(*r), GitLog(c2_ + ".." + merge_));
}

TEST_F(CommitRangeTest, LimitListsNewestButCountsAll) {
  Result<CommitRange> r = CommitsBetween(*repo_, root_, merge_, 2);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->commits.size(), 2u);
  EXPECT_EQ(r->commits[0].id, merge_);
  EXPECT_EQ(r->total, 5u);  // merge, c2, s2, s1, c1
  EXPECT_EQ(r->behind, 0u);

  r = CommitsBetween(*repo_, root_, merge_, 0);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->commits.empty());
  EXPECT_EQ(r->total, 5u);
}

TEST_F(CommitRangeTest, SameCommitIsEmpty) {
  Result<CommitRange> r = CommitsBetween(*repo_, c1_, c1_, 20);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->commits.empty());
  EXPECT_EQ(r->total, 0u);
  EXPECT_EQ(r->behind, 0u);
}

TEST_F(CommitRangeTest, RevisionsResolveToFullIds) {
  Result<CommitRange> r = CommitsBetween(*repo_, root_.substr(0, 7), "side", 20);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->from, root_);
  EXPECT_EQ(r->to, s2_);
  EXPECT_EQ(r->total, 3u);  // s2, s1, c1
}

TEST_F(CommitRangeTest, UnknownCommitIsNotFound) {
  const std::string unknown = "0123456789abcdef0123456789abcdef01234567";
  testutil::ExpectError(CommitsBetween(*repo_, unknown, c2_, 20), Code::kNotFound,
                        "commit " + unknown + " is not in the repository");
  testutil::ExpectError(CommitsBetween(*repo_, c2_, unknown, 20), Code::kNotFound,
                        "commit " + unknown + " is not in the repository");
  std::string blob = MustGit(dir_.path(), "rev-parse HEAD:a.txt").substr(0, 40);
  testutil::ExpectError(CommitsBetween(*repo_, blob, c2_, 20), Code::kNotFound, "commit " + blob);
}

}  // namespace
}  // namespace gitmodel
