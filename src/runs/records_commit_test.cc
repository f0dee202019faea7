#include "runs/records_commit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "git/testing/must_git.h"
#include "git/testing/temp_repo.h"
#include "runs/records_ref.h"
#include "runs/testing/records_testing.h"

namespace gitmodel {
namespace {

using testutil::ExpectStatusError;
using testutil::MustGit;
using testutil::OpenRepo;
using testutil::RevParse;
using testutil::TempDir;

// A step that lets another writer move the ref (through its own GitRepo) before returning its
// commit, the first `interfere` times it runs: the ref must not move to that stale commit.
class InterferedStep {
 public:
  InterferedStep(const std::string& dir, const GitRepo& repo, int interfere)
      : dir_(dir), repo_(repo), interfere_(interfere) {}

  Result<std::optional<git_oid>> operator()(const std::optional<git_oid>& tip) {
    tips_seen_.push_back(tip ? OidHex(*tip) : "none");
    GM_ASSIGN_OR_RETURN(GitTreePtr tree, EmptyRecordsTree(repo_));
    std::vector<git_oid> parents;
    if (tip) parents.push_back(*tip);
    GM_ASSIGN_OR_RETURN(git_oid commit, CommitRecordsTree(repo_, *git_tree_id(tree.get()), parents, "mine"));
    if (calls_++ < interfere_) {
      GitRepo other = OpenRepo(dir_);
      GM_RETURN_IF_ERROR(WriteRecords(other, {{fmt::format("other{}", calls_), "x"}}, "other"));
    }
    return std::optional<git_oid>(commit);
  }

  const std::vector<std::string>& tips_seen() const { return tips_seen_; }

 private:
  std::string dir_;
  const GitRepo& repo_;
  int interfere_;
  int calls_ = 0;
  std::vector<std::string> tips_seen_;
};

TEST(RecordsCommitTest, LostCreationRaceRetriesOnTheWinnersTip) {
  TempDir dir;
  MustGit(dir.path(), "init -q .");
  GitRepo repo = OpenRepo(dir.path());
  InterferedStep step(dir.path(), repo, 1);
  ASSERT_TRUE(AdvanceRecordsRef(repo, kRecordsRef, std::ref(step)).ok());
  ASSERT_EQ(step.tips_seen().size(), 2u);
  EXPECT_EQ(step.tips_seen()[0], "none");
  EXPECT_EQ(step.tips_seen()[1], RevParse(dir.path(), "refs/git-model/records^"));
  EXPECT_EQ(MustGit(dir.path(), "log --format=%s refs/git-model/records"), "mine\nother\n");
}

TEST(RecordsCommitTest, LostUpdateRacesRetryUntilTheyWin) {
  TempDir dir;
  MustGit(dir.path(), "init -q .");
  GitRepo repo = OpenRepo(dir.path());
  ASSERT_TRUE(WriteRecords(repo, {{"first", "x"}}, "first").ok());
  InterferedStep step(dir.path(), repo, 3);
  ASSERT_TRUE(AdvanceRecordsRef(repo, kRecordsRef, std::ref(step)).ok());
  EXPECT_EQ(step.tips_seen().size(), 4u);
  EXPECT_EQ(MustGit(dir.path(), "log --format=%s refs/git-model/records"), "mine\nother\nother\nother\nfirst\n");
}

// Writers whose first attempts all reach the ref at the same moment, when it does not exist yet:
// only one may create it, the others must retry on top (plain git_reference_create with force=0
// checks for the ref before taking its lock, so there two creators could both "win").
TEST(RecordsCommitTest, SimultaneousCreatorsAllLand) {
  constexpr int kRounds = 12;
  constexpr int kCreators = 4;
  for (int round = 0; round < kRounds; ++round) {
    TempDir dir;
    MustGit(dir.path(), "init -q .");
    std::vector<GitRepo> repos;
    for (int i = 0; i < kCreators; ++i) repos.push_back(OpenRepo(dir.path()));
    std::atomic<int> ready{0};
    std::vector<Status> results(kCreators);
    std::vector<std::thread> threads;
    for (int i = 0; i < kCreators; ++i) {
      threads.emplace_back([&, i] {
        bool first = true;
        auto step = [&](const std::optional<git_oid>& tip) -> Result<std::optional<git_oid>> {
          GM_ASSIGN_OR_RETURN(GitTreePtr tree, EmptyRecordsTree(repos[i]));
          std::vector<git_oid> parents;
          if (tip) parents.push_back(*tip);
          GM_ASSIGN_OR_RETURN(git_oid commit, CommitRecordsTree(repos[i], *git_tree_id(tree.get()), parents,
                                                                fmt::format("writer {}", i)));
          if (first) {  // all first attempts move the ref together
            first = false;
            ready.fetch_add(1);
            while (ready.load() < kCreators) std::this_thread::yield();
          }
          return std::optional<git_oid>(commit);
        };
        results[i] = AdvanceRecordsRef(repos[i], kRecordsRef, step);
      });
    }
    for (std::thread& t : threads) t.join();
    for (const Status& s : results) ASSERT_TRUE(s.ok()) << s.message();
    ASSERT_EQ(MustGit(dir.path(), "rev-list --count refs/git-model/records"), fmt::format("{}\n", kCreators))
        << "round " << round;
  }
}

TEST(RecordsCommitTest, GivesUpNamingTheRefWhenAlwaysBeaten) {
  TempDir dir;
  MustGit(dir.path(), "init -q .");
  GitRepo repo = OpenRepo(dir.path());
  InterferedStep step(dir.path(), repo, kMaxRecordsRefAttempts);
  ExpectStatusError(AdvanceRecordsRef(repo, kRecordsRef, std::ref(step)), Code::kConflict,
                    "cannot update refs/git-model/records: other writers kept moving it in 50 attempts");
}

TEST(RecordsCommitTest, StaleLockIsReportedAfterRetries) {
  TempDir dir;
  MustGit(dir.path(), "init -q .");
  GitRepo repo = OpenRepo(dir.path());
  testutil::WriteFile(dir / ".git/refs/git-model/records.lock", "");
  ExpectStatusError(WriteRecords(repo, {{"a", "1"}}, "m"), Code::kConflict, "stale refs/git-model/records.lock");
}

}  // namespace
}  // namespace gitmodel
