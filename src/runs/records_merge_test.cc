#include "runs/records_merge.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "formats/testing/expect_error.h"
#include "git/testing/must_git.h"
#include "git/testing/temp_repo.h"
#include "runs/records_ref.h"
#include "runs/testing/records_testing.h"

namespace gitmodel {
namespace {

using testutil::ExpectError;
using testutil::MustGit;
using testutil::OpenRepo;
using testutil::RevParse;
using testutil::TempDir;

constexpr std::string_view kOrigin = "refs/git-model/remotes/origin/records";
const std::string kFetch = "fetch -q origin +refs/git-model/records:refs/git-model/remotes/origin/records";
const std::string kPush = "push -q origin refs/git-model/records:refs/git-model/records";

// Two clones, a and b, of one bare remote, exchanging records with plain git push and fetch.
class RecordsMergeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MustGit(root_.path(), "init -q --bare remote.git");
    for (const char* name : {"a", "b"}) {
      MustGit(root_.path(), fmt::format("init -q {}", name));
      MustGit(root_ / name, "remote add origin ../remote.git");
    }
    a_.emplace(OpenRepo(root_ / "a"));
    b_.emplace(OpenRepo(root_ / "b"));
  }
  void Write(const GitRepo& repo, std::vector<RecordFile> files) {
    ASSERT_TRUE(WriteRecords(repo, files, "write").ok());
  }
  MergeResult Merge(const GitRepo& repo, const Resolver& resolve = KeepLargerRecord) {
    auto result = MergeRecords(repo, kOrigin, resolve);
    EXPECT_TRUE(result.ok()) << result.status().message();
    return result.ok() ? *result : MergeResult{};
  }
  std::string Tree(const char* clone) { return RevParse(root_ / clone, "refs/git-model/records^{tree}"); }
  std::string Tip(const char* clone) { return RevParse(root_ / clone, "refs/git-model/records"); }
  // Makes each clone's origin ref the other clone's records (as if fetched at the same time).
  void CrossFetch() {
    MustGit(root_ / "a", "fetch -q ../b +refs/git-model/records:refs/git-model/remotes/origin/records");
    MustGit(root_ / "b", "fetch -q ../a +refs/git-model/records:refs/git-model/remotes/origin/records");
  }
  std::string Content(const GitRepo& repo, const std::string& path) {
    auto content = ReadRecord(repo, kRecordsRef, path);
    EXPECT_TRUE(content.ok() && content->has_value()) << path;
    return content.ok() && content->has_value() ? **content : "";
  }

  TempDir root_;
  std::optional<GitRepo> a_, b_;
};

TEST_F(RecordsMergeTest, ClonesConvergeThroughABareRemote) {
  Write(*a_, {{"runs/a1/run.json", "a1"}, {"checkpoints/aa.json", "ca"}});
  MustGit(root_ / "a", kPush);
  Write(*b_, {{"runs/b1/run.json", "b1"}});
  MustGit(root_ / "b", kFetch);
  MergeResult b_merge = Merge(*b_);
  EXPECT_EQ(b_merge.kind, MergeKind::kMerged);
  EXPECT_EQ(b_merge.added, 2u);
  EXPECT_EQ(b_merge.conflicted, 0u);
  EXPECT_EQ(b_merge.tip, Tip("b"));
  EXPECT_EQ(MustGit(root_ / "b", "log -1 --format=%P refs/git-model/records"),
            RevParse(root_ / "b", "refs/git-model/records^1") + " " + RevParse(root_ / "a", "refs/git-model/records") +
                "\n");
  MustGit(root_ / "b", kPush);  // a fast-forward of the remote: b's merge contains a's commit

  MustGit(root_ / "a", kFetch);
  MergeResult a_merge = Merge(*a_);
  EXPECT_EQ(a_merge.kind, MergeKind::kFastForward);
  EXPECT_EQ(a_merge.added, 1u);
  EXPECT_EQ(Tip("a"), Tip("b"));
  EXPECT_EQ(Tree("a"), Tree("b"));
  EXPECT_EQ(MustGit(root_ / "a", "ls-tree -r --name-only refs/git-model/records"),
            "checkpoints/aa.json\nruns/a1/run.json\nruns/b1/run.json\n");
  EXPECT_EQ(Merge(*a_).kind, MergeKind::kUpToDate);
  MustGit(root_ / "a", "fsck --strict --no-dangling");
}

TEST_F(RecordsMergeTest, SimultaneousMergesGiveTheSameTree) {
  Write(*a_, {{"runs/a1/run.json", "a1"}, {"runs/same/run.json", "apple"}});
  Write(*b_, {{"runs/b1/run.json", "b1"}, {"runs/same/run.json", "banana"}});
  CrossFetch();
  MergeResult a_merge = Merge(*a_);
  MergeResult b_merge = Merge(*b_);
  EXPECT_EQ(a_merge.kind, MergeKind::kMerged);
  EXPECT_EQ(a_merge.conflicted, 1u);
  EXPECT_EQ(b_merge.conflicted, 1u);
  EXPECT_NE(Tip("a"), Tip("b"));
  EXPECT_EQ(Tree("a"), Tree("b"));
  EXPECT_EQ(Content(*a_, "runs/same/run.json"), "banana");
  // Merging the two merges (two merge bases) changes nothing in the tree.
  CrossFetch();
  EXPECT_EQ(Merge(*a_).kind, MergeKind::kMerged);
  EXPECT_EQ(Merge(*b_).conflicted, 0u);
  EXPECT_EQ(Tree("a"), Tree("b"));
}

TEST_F(RecordsMergeTest, OneSidedChangeSinceTheBaseWinsWithoutTheResolver) {
  Write(*a_, {{"runs/r/run.json", "{\"status\":\"running\"}"}});
  MustGit(root_ / "a", kPush);
  MustGit(root_ / "b", kFetch);
  EXPECT_EQ(Merge(*b_).kind, MergeKind::kFastForward);
  Write(*a_, {{"runs/r/run.json", "{\"status\":\"finished\"}"}});  // smaller than "running"
  Write(*b_, {{"runs/s/run.json", "s"}});
  CrossFetch();
  auto never = [](std::string_view path, std::string_view, std::string_view) -> std::string {
    ADD_FAILURE() << "resolver called for " << path;
    return "";
  };
  MergeResult a_merge = Merge(*a_, never);
  MergeResult b_merge = Merge(*b_, never);
  EXPECT_EQ(a_merge.updated, 0u);
  EXPECT_EQ(b_merge.updated, 1u);
  EXPECT_EQ(b_merge.added, 0u);
  EXPECT_EQ(Content(*b_, "runs/r/run.json"), "{\"status\":\"finished\"}");
  EXPECT_EQ(Tree("a"), Tree("b"));
}

TEST_F(RecordsMergeTest, ResolverGetsBothContentsWhenBothChanged) {
  Write(*a_, {{"m.jsonl", "1\n"}});
  Write(*b_, {{"m.jsonl", "2\n"}});
  CrossFetch();
  std::vector<std::string> calls;
  auto concat = [&](std::string_view path, std::string_view ours, std::string_view theirs) {
    calls.push_back(fmt::format("{}|{}|{}", path, ours, theirs));
    return std::string(ours) + std::string(theirs);
  };
  MergeResult merged = Merge(*a_, concat);
  EXPECT_EQ(merged.conflicted, 1u);
  EXPECT_EQ(calls, (std::vector<std::string>{"m.jsonl|1\n|2\n"}));
  EXPECT_EQ(Content(*a_, "m.jsonl"), "1\n2\n");
}

TEST_F(RecordsMergeTest, MissingOursFastForwardsAndMissingTheirsIsUpToDate) {
  auto nothing = MergeRecords(*a_, kOrigin);
  ASSERT_TRUE(nothing.ok()) << nothing.status().message();
  EXPECT_EQ(nothing->kind, MergeKind::kUpToDate);
  EXPECT_EQ(nothing->tip, "");
  Write(*b_, {{"x", "1"}, {"y", "2"}});
  MustGit(root_ / "a", "fetch -q ../b +refs/git-model/records:refs/git-model/remotes/origin/records");
  MergeResult merged = Merge(*a_);
  EXPECT_EQ(merged.kind, MergeKind::kFastForward);
  EXPECT_EQ(merged.added, 2u);
  EXPECT_EQ(Tip("a"), Tip("b"));
  Write(*a_, {{"z", "3"}});
  EXPECT_EQ(Merge(*a_).kind, MergeKind::kUpToDate);  // theirs is an ancestor of ours
}

TEST_F(RecordsMergeTest, FileAgainstDirectoryIsAConflict) {
  Write(*a_, {{"runs/x", "file"}});
  Write(*b_, {{"runs/x/run.json", "dir"}});
  CrossFetch();
  ExpectError(MergeRecords(*a_, kOrigin), Code::kConflict, "'runs/x' is a file on one side and a directory");
  ExpectError(MergeRecords(*a_, "origin/records"), Code::kInvalidArgument, "not a valid full ref name");
}

}  // namespace
}  // namespace gitmodel
