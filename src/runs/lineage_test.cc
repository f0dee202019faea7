#include "runs/lineage.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "formats/testing/expect_error.h"
#include "git/testing/must_git.h"
#include "git/testing/temp_repo.h"
#include "hyperparams/project_config.h"

namespace gitmodel {
namespace {

using testutil::MustGit;
using testutil::ShellQuote;
using testutil::TempDir;
using testutil::WriteFile;

RunRecord MakeRun(const std::string& id, const std::string& commit, std::vector<RunCheckpoint> checkpoints = {}) {
  RunRecord r;
  r.id = id;
  r.start = "2026-11-0" + id.substr(1, 1) + "T00:00:00Z";
  r.status = std::string(kRunFinished);
  r.exit_code = 0;
  r.command = {"python3", "train.py"};
  r.capture.git.in_repo = true;
  r.capture.git.commit = commit;
  r.checkpoints = std::move(checkpoints);
  return r;
}

std::vector<MetricPoint> Points(const std::string& key, std::vector<double> values) {
  std::vector<MetricPoint> out;
  for (size_t i = 0; i < values.size(); ++i)
    out.push_back({key, values[i], static_cast<int64_t>(i + 1), std::nullopt, i + 1});
  return out;
}

// c1 (lr 0.1) - c2 (lr 0.01) - c3 (README only) - c4 (lr 0.001); runs r1 at c1, r2 and r3 at c2,
// r4 at c4.
class LineageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MustGit(repo_dir_.path(), "init -q -b main .");
    c1_ = Commit("config.yaml", "lr: 0.1\nepochs: 3\n", "start");
    c2_ = Commit("config.yaml", "lr: 0.01\nepochs: 3\n", "lower lr");
    c3_ = Commit("README", "notes\n", "notes");
    c4_ = Commit("config.yaml", "lr: 0.001\nepochs: 3\n", "lower lr again");
    auto repo = DiscoverRepo(repo_dir_.path());
    ASSERT_TRUE(repo.ok() && repo->has_value());
    repo_.emplace(std::move(**repo));
    options_.params.config_globs = DefaultConfigGlobs();
    options_.index_path = index_dir_ / "index.db";
  }
  std::string Commit(const std::string& file, const std::string& content, const std::string& message) {
    WriteFile(repo_dir_ / file, content);
    MustGit(repo_dir_.path(), "add -A");
    MustGit(repo_dir_.path(), "commit -q -m " + ShellQuote(message));
    return MustGit(repo_dir_.path(), "rev-parse HEAD").substr(0, 40);
  }
  void RecordRuns() {
    Result<RunIndex> index = RunIndex::Open(options_.index_path);
    ASSERT_TRUE(index.ok()) << index.status().message();
    ASSERT_TRUE(index->PutRun(MakeRun("r1", c1_)).ok());
    ASSERT_TRUE(index->PutRun(MakeRun("r3", c2_, {{"out/model.pt", "fp3", "sha3"}})).ok());
    ASSERT_TRUE(index->PutRun(MakeRun("r2", c2_)).ok());
    ASSERT_TRUE(index->PutRun(MakeRun("r4", c4_, {{"out/b.pt", "fp4b", "sha4b"}, {"out/a.pt", "fp4a", "sha4a"}})).ok());
    ASSERT_TRUE(index->PutRun(MakeRun("r5", "0123456789abcdef0123456789abcdef01234567")).ok());  // not in this history
    ASSERT_TRUE(index->AddPoints("r1", Points("val_acc", {0.5, 0.6})).ok());
    ASSERT_TRUE(index->AddPoints("r2", Points("val_acc", {0.7, 0.8})).ok());
    ASSERT_TRUE(index->AddPoints("r2", Points("loss", {1.0, 0.4})).ok());
    ASSERT_TRUE(index->AddPoints("r4", Points("val_acc", {0.9})).ok());
  }
  std::vector<LineageCommit> Build() {
    Result<std::vector<LineageCommit>> lineage = BuildLineage(*repo_, options_);
    if (!lineage.ok()) {
      ADD_FAILURE() << lineage.status().message();
      return {};
    }
    return std::move(*lineage);
  }
  static std::vector<std::string> RunIds(const LineageCommit& c) {
    std::vector<std::string> ids;
    for (const LineageRun& r : c.runs) ids.push_back(r.run.id);
    return ids;
  }

  TempDir repo_dir_, index_dir_;
  std::string c1_, c2_, c3_, c4_;
  std::optional<GitRepo> repo_;
  LineageOptions options_;
};

TEST_F(LineageTest, EveryCommitWithItsChangesRunsAndCheckpoints) {
  RecordRuns();
  std::vector<LineageCommit> lineage = Build();
  ASSERT_EQ(lineage.size(), 4u);
  EXPECT_EQ(lineage[0].commit.id, c4_);
  EXPECT_EQ(lineage[0].commit.subject, "lower lr again");
  EXPECT_EQ(lineage[1].commit.id, c3_);
  EXPECT_EQ(lineage[3].commit.id, c1_);

  ASSERT_EQ(lineage[0].params.size(), 1u);
  EXPECT_EQ(lineage[0].params[0].path, "config.yaml");
  ASSERT_EQ(lineage[0].params[0].changes.size(), 1u);
  EXPECT_EQ(lineage[0].params[0].changes[0].key, "lr");
  EXPECT_EQ(*lineage[0].params[0].changes[0].old_value, 0.01);
  EXPECT_EQ(*lineage[0].params[0].changes[0].new_value, 0.001);
  EXPECT_TRUE(lineage[1].params.empty());  // README only
  ASSERT_EQ(lineage[3].params.size(), 1u);
  EXPECT_EQ(lineage[3].params[0].changes.size(), 2u);  // the root adds lr and epochs

  EXPECT_EQ(RunIds(lineage[0]), std::vector<std::string>{"r4"});
  EXPECT_TRUE(lineage[1].runs.empty());
  EXPECT_EQ(RunIds(lineage[2]), (std::vector<std::string>{"r2", "r3"}));  // oldest first
  EXPECT_EQ(RunIds(lineage[3]), std::vector<std::string>{"r1"});
  const LineageRun& r2 = lineage[2].runs[0];
  EXPECT_EQ(r2.run.status, "finished");
  EXPECT_EQ(r2.run.metrics.at("val_acc").last, 0.8);
  EXPECT_EQ(r2.run.metrics.at("loss").last, 0.4);
  EXPECT_TRUE(r2.checkpoints.empty());
  ASSERT_EQ(lineage[2].runs[1].checkpoints.size(), 1u);
  EXPECT_EQ(lineage[2].runs[1].checkpoints[0].fingerprint, "fp3");
  ASSERT_EQ(lineage[0].runs[0].checkpoints.size(), 2u);
  EXPECT_EQ(lineage[0].runs[0].checkpoints[0].path, "out/a.pt");
}

TEST_F(LineageTest, MetricsKeepOnlyTheNamedOnes) {
  RecordRuns();
  options_.metrics = {"val_acc"};
  std::vector<LineageCommit> lineage = Build();
  ASSERT_EQ(lineage.size(), 4u);  // commits and runs are all still there
  const RunRow& r2 = lineage[2].runs[0].run;
  EXPECT_EQ(r2.metrics.size(), 1u);
  EXPECT_EQ(r2.metrics.at("val_acc").last, 0.8);
  EXPECT_EQ(lineage[2].runs[1].run.metrics.size(), 0u);  // r3 logged nothing
}

TEST_F(LineageTest, RangesLimitsAndFirstParent) {
  RecordRuns();
  options_.walk.range = c1_ + ".." + c3_;
  std::vector<LineageCommit> lineage = Build();
  ASSERT_EQ(lineage.size(), 2u);
  EXPECT_EQ(lineage[0].commit.id, c3_);
  EXPECT_EQ(lineage[1].commit.id, c2_);
  ASSERT_EQ(lineage[1].params.size(), 1u);  // compared with c1, outside the range
  EXPECT_EQ(*lineage[1].params[0].changes[0].old_value, 0.1);
  EXPECT_EQ(RunIds(lineage[1]), (std::vector<std::string>{"r2", "r3"}));

  options_.walk.range = "HEAD";
  options_.max_commits = 2;
  lineage = Build();
  ASSERT_EQ(lineage.size(), 2u);
  EXPECT_EQ(lineage[1].commit.id, c3_);
  options_.max_commits = 0;
  EXPECT_TRUE(Build().empty());
}

TEST_F(LineageTest, ParamsThroughTheCacheMatchAWalk) {
  options_.param_cache_dir = index_dir_ / "params-cache";
  for (int pass = 0; pass < 2; ++pass) {  // a rebuild, then a hit
    std::vector<LineageCommit> lineage = Build();
    ASSERT_EQ(lineage.size(), 4u);
    ASSERT_EQ(lineage[0].params.size(), 1u);
    EXPECT_EQ(*lineage[0].params[0].changes[0].new_value, 0.001);
  }
  EXPECT_TRUE(std::filesystem::exists(options_.param_cache_dir));
}

TEST_F(LineageTest, NoIndexMeansNoRunsAndNoIndexCreated) {
  std::vector<LineageCommit> lineage = Build();
  ASSERT_EQ(lineage.size(), 4u);
  for (const LineageCommit& c : lineage) EXPECT_TRUE(c.runs.empty());
  EXPECT_FALSE(std::filesystem::exists(options_.index_path));
}

TEST_F(LineageTest, UnknownRevisionIsAnError) {
  options_.walk.range = "nope";
  testutil::ExpectError(BuildLineage(*repo_, options_), Code::kNotFound, "'nope'");
}

}  // namespace
}  // namespace gitmodel
