#include "runs/records_ref.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "formats/testing/expect_error.h"
#include "git/testing/must_git.h"
#include "git/testing/temp_repo.h"
#include "runs/testing/records_testing.h"

namespace gitmodel {
namespace {

using testutil::ExpectError;
using testutil::ExpectStatusError;
using testutil::MustGit;
using testutil::OpenRepo;
using testutil::RevParse;
using testutil::TempDir;

class RecordsRefTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MustGit(dir_.path(), "init -q .");
    repo_.emplace(OpenRepo(dir_.path()));
  }
  const GitRepo& repo() { return *repo_; }
  std::vector<RecordFile> ReadAll(std::string_view prefix = "") {
    auto records = ReadRecords(repo(), kRecordsRef, prefix);
    EXPECT_TRUE(records.ok()) << records.status().message();
    return records.ok() ? *records : std::vector<RecordFile>{};
  }
  std::string Log(const std::string& format) {
    return MustGit(dir_.path(), "log --format='" + format + "' refs/git-model/records");
  }

  TempDir dir_;
  std::optional<GitRepo> repo_;
};

TEST_F(RecordsRefTest, MissingRefReadsAsNoRecords) {
  EXPECT_TRUE(ReadAll().empty());
  auto one = ReadRecord(repo(), kRecordsRef, "runs/a/run.json");
  ASSERT_TRUE(one.ok()) << one.status().message();
  EXPECT_FALSE(one->has_value());
}

TEST_F(RecordsRefTest, FirstWriteCreatesRefWithOneRootCommit) {
  ASSERT_TRUE(WriteRecords(repo(), {{"runs/a/run.json", "{\"id\":\"a\"}\n"}, {"checkpoints/00ff.json", "{}\n"}},
                           "record run a")
                  .ok());
  EXPECT_EQ(Log("%P|%s"), "|record run a\n");
  EXPECT_EQ(MustGit(dir_.path(), "cat-file -p refs/git-model/records:runs/a/run.json"), "{\"id\":\"a\"}\n");
  std::vector<RecordFile> all = ReadAll();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0], (RecordFile{"checkpoints/00ff.json", "{}\n"}));
  EXPECT_EQ(all[1], (RecordFile{"runs/a/run.json", "{\"id\":\"a\"}\n"}));
}

TEST_F(RecordsRefTest, WritesChainCommitsAndReplaceFiles) {
  ASSERT_TRUE(WriteRecords(repo(), {{"runs/a/run.json", "v1"}}, "one").ok());
  const std::string first = RevParse(dir_.path(), "refs/git-model/records");
  ASSERT_TRUE(WriteRecords(repo(), {{"runs/a/run.json", "v2"}, {"runs/b/run.json", "b"}}, "two").ok());
  EXPECT_EQ(RevParse(dir_.path(), "refs/git-model/records^"), first);
  EXPECT_EQ(Log("%s"), "two\none\n");
  auto a = ReadRecord(repo(), kRecordsRef, "runs/a/run.json");
  ASSERT_TRUE(a.ok() && a->has_value());
  EXPECT_EQ(**a, "v2");
  EXPECT_EQ(ReadAll("runs/b").size(), 1u);
  EXPECT_EQ(ReadAll("runs/").size(), 2u);
  EXPECT_TRUE(ReadAll("runs/b/run.json").empty());  // a file, not a directory
  EXPECT_TRUE(ReadAll("nothing/here").empty());
}

TEST_F(RecordsRefTest, WriteThatChangesNothingMakesNoCommit) {
  ASSERT_TRUE(WriteRecords(repo(), {{"a.json", "x"}}, "one").ok());
  ASSERT_TRUE(WriteRecords(repo(), {{"a.json", "x"}}, "same again").ok());
  ASSERT_TRUE(WriteRecords(repo(), {}, "empty").ok());
  EXPECT_EQ(Log("%s"), "one\n");
}

TEST_F(RecordsRefTest, CommitsAsConfiguredUserElseGitModel) {
  ASSERT_TRUE(WriteRecords(repo(), {{"a.json", "1"}}, "anonymous").ok());
  EXPECT_EQ(Log("%an <%ae>|%cn <%ce>"), "git-model <git-model@localhost>|git-model <git-model@localhost>\n");
  MustGit(dir_.path(), "config user.name 'Ada L'");
  MustGit(dir_.path(), "config user.email ada@example.com");
  GitRepo reopened = OpenRepo(dir_.path());
  ASSERT_TRUE(WriteRecords(reopened, {{"a.json", "2"}}, "named").ok());
  EXPECT_EQ(MustGit(dir_.path(), "log -1 --format='%an <%ae>|%cn <%ce>' refs/git-model/records"),
            "Ada L <ada@example.com>|Ada L <ada@example.com>\n");
}

TEST_F(RecordsRefTest, RejectsBadPaths) {
  for (const std::string& path : std::vector<std::string>{"", "/abs", "a//b", "a/", "./a", "a/../b", "..", "a/.",
                                                          "tab\there", std::string(4097, 'x')}) {
    ExpectStatusError(WriteRecords(repo(), {{path, "x"}}, "m"), Code::kInvalidArgument, "record path");
  }
  std::string deep;
  for (int i = 0; i < 65; ++i) deep += "d/";
  ExpectStatusError(WriteRecords(repo(), {{deep + "f", "x"}}, "m"), Code::kInvalidArgument, "levels");
  ExpectStatusError(WriteRecords(repo(), {{"a", "1"}, {"a", "2"}}, "m"), Code::kInvalidArgument, "given twice");
  ExpectStatusError(WriteRecords(repo(), {{"a", "1"}, {"a/b", "2"}}, "m"), Code::kInvalidArgument,
                    "below record file 'a'");
  ExpectError(ReadRecord(repo(), kRecordsRef, "../x"), Code::kInvalidArgument, "'..' component");
  ExpectError(ReadRecords(repo(), "records", ""), Code::kInvalidArgument, "not a valid full ref name");
  EXPECT_TRUE(ReadAll().empty());  // nothing was written
}

TEST_F(RecordsRefTest, RejectsFileDirectoryClashesWithExistingRecords) {
  ASSERT_TRUE(WriteRecords(repo(), {{"runs/a/run.json", "x"}}, "one").ok());
  ExpectStatusError(WriteRecords(repo(), {{"runs/a", "x"}}, "m"), Code::kInvalidArgument,
                    "'runs/a' is a directory of records in refs/git-model/records");
  ExpectStatusError(WriteRecords(repo(), {{"runs/a/run.json/x", "x"}}, "m"), Code::kInvalidArgument,
                    "below 'runs/a/run.json', a record file");
  ExpectError(ReadRecord(repo(), kRecordsRef, "runs/a"), Code::kInvalidArgument, "is a directory of records");
  EXPECT_EQ(ReadAll().size(), 1u);
}

TEST_F(RecordsRefTest, RejectsOversizedContent) {
  ExpectStatusError(WriteRecords(repo(), {{"big", std::string(kMaxRecordFileBytes + 1, 'x')}}, "m"),
                    Code::kLimit, "record 'big' has 67108865 bytes");
}

TEST_F(RecordsRefTest, ReadsOtherRefsAndOnlyItsTip) {
  ASSERT_TRUE(WriteRecords(repo(), {{"a", "1"}}, "one").ok());
  MustGit(dir_.path(), "update-ref refs/git-model/remotes/origin/records refs/git-model/records");
  ASSERT_TRUE(WriteRecords(repo(), {{"b", "2"}}, "two").ok());
  auto theirs = ReadRecords(repo(), "refs/git-model/remotes/origin/records", "");
  ASSERT_TRUE(theirs.ok()) << theirs.status().message();
  EXPECT_EQ(*theirs, (std::vector<RecordFile>{{"a", "1"}}));
  EXPECT_EQ(ReadAll().size(), 2u);
}

TEST_F(RecordsRefTest, WrittenTreesPassGitFsck) {
  ASSERT_TRUE(
      WriteRecords(repo(), {{"runs/a/run.json", "1"}, {"runs/a-b/run.json", "2"}, {"runs/a.b", "3"}}, "m").ok());
  ASSERT_TRUE(WriteRecords(repo(), {{"runs/a/metrics.jsonl", "4"}}, "m2").ok());
  MustGit(dir_.path(), "fsck --strict --no-dangling");
  EXPECT_EQ(MustGit(dir_.path(), "ls-tree -r --name-only refs/git-model/records"),
            "runs/a-b/run.json\nruns/a.b\nruns/a/metrics.jsonl\nruns/a/run.json\n");
}

}  // namespace
}  // namespace gitmodel
