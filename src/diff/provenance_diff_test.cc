#include "diff/provenance_diff.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "git/testing/must_git.h"
#include "git/testing/temp_repo.h"

namespace gitmodel {
namespace {

using json = nlohmann::json;
using testutil::MustGit;
using testutil::ShellQuote;
using testutil::TempDir;
using testutil::WriteFile;

const std::string kHashTrain1(64, '1'), kHashTrain2(64, '2'), kHashVal(64, 'a'), kHashTest(64, 'b');

// "path: a -> b", "(none)" for an absent side: readable in failure messages.
std::vector<std::string> Lines(const std::vector<ContentChange>& changes) {
  std::vector<std::string> out;
  for (const ContentChange& c : changes) out.push_back(c.path + ": " + c.a.value_or("(none)") + " -> " + c.b.value_or("(none)"));
  return out;
}

std::vector<std::string> Lines(const std::vector<EnvDifference>& diffs) {
  std::vector<std::string> out;
  for (const EnvDifference& d : diffs) out.push_back(d.key + ": " + d.a + " -> " + d.b);
  return out;
}

ProvenanceRecord RecordA(const std::string& commit) {
  ProvenanceRecord r;
  r.git.in_repo = true;
  r.git.commit = commit;
  r.git.dirty = true;
  r.hyperparams = {{"lr", 0.001}, {"batch", 32}, {"name", "base"}, {"only_a", true}, {"width", 1}};
  r.metrics = {{"loss", 0.5}, {"acc", 0.9}, {"nan", std::nan("")}};
  r.env.torch = "2.1.0";
  r.env.gpus = {GpuInfo{"NVIDIA A100", 85899345920, ""}};
  r.data = {{"data/train", kHashTrain1, 3, 30}, {"data/val", kHashVal, 1, 10}};
  return r;
}

ProvenanceRecord RecordB(const std::string& commit) {
  ProvenanceRecord r;
  r.git.in_repo = true;
  r.git.commit = commit;
  r.hyperparams = {{"lr", 0.0001}, {"batch", 32}, {"name", "tuned"}, {"only_b", json::array({1, 2})}, {"width", 1.0}};
  r.metrics = {{"loss", 0.25}, {"acc", 0.9}, {"f1", 1.0}, {"nan", std::nan("")}};
  r.env.torch = "2.2.0";
  r.data = {{"data/train", kHashTrain2, 3, 30}, {"data/test", kHashTest, 2, 20},
            {"data/test", kHashTrain1, 2, 20}};  // a repeated path keeps its first hash
  return r;
}

// A repository with three commits: c1 - c2 - c3.
class ProvenanceDiffTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MustGit(dir_.path(), "init -q .");
    c1_ = Commit("train.py", "lr = 0.001\n", "first");
    c2_ = Commit("train.py", "lr = 0.0001\n", "tune the learning rate\n\nwith a body");
    c3_ = Commit("README", "docs\n", "document it");
  }
  std::string Commit(const std::string& file, const std::string& content, const std::string& message) {
    WriteFile(dir_ / file, content);
    MustGit(dir_.path(), "add -A");
    MustGit(dir_.path(), "commit -q -m " + ShellQuote(message));
    return MustGit(dir_.path(), "rev-parse HEAD").substr(0, 40);
  }
  // A checkpoint path inside the repository, in a directory that does not exist yet.
  ProvenanceDiffOptions InRepo(size_t limit = 20) const { return {dir_ / "runs/1/model.pt", limit}; }

  TempDir dir_;
  std::string c1_, c2_, c3_;
};

TEST_F(ProvenanceDiffTest, EveryFieldInARepository) {
  ProvenanceDiff d = DiffProvenance(RecordA(c1_), RecordB(c3_), InRepo());
  EXPECT_EQ(d.commit_a, c1_);
  EXPECT_EQ(d.commit_b, c3_);
  EXPECT_TRUE(d.dirty_a);
  EXPECT_FALSE(d.dirty_b);
  ASSERT_TRUE(d.range.has_value()) << d.range_note;
  EXPECT_EQ(d.range_note, "");
  EXPECT_EQ(d.range->from, c1_);
  EXPECT_EQ(d.range->to, c3_);
  ASSERT_EQ(d.range->commits.size(), 2u);
  EXPECT_EQ(d.range->commits[0].id, c3_);
  EXPECT_EQ(d.range->commits[0].subject, "document it");
  EXPECT_EQ(d.range->commits[1].id, c2_);
  EXPECT_EQ(d.range->commits[1].subject, "tune the learning rate");
  EXPECT_EQ(d.range->total, 2u);
  EXPECT_EQ(d.range->behind, 0u);

  EXPECT_EQ(Lines(d.hyperparams), (std::vector<std::string>{"lr: 0.001 -> 0.0001", "name: base -> tuned",
                                                             "only_a: true -> (none)", "only_b: (none) -> [1, 2]"}));
  // width 1 -> 1.0 is the same value: not a change.
  EXPECT_EQ(Lines(d.metrics), (std::vector<std::string>{"f1: (none) -> 1.0", "loss: 0.5 -> 0.25"}));
  EXPECT_EQ(Lines(d.env), (std::vector<std::string>{"gpus.0.name: NVIDIA A100 -> unknown",
                                                     "gpus.0.memory_bytes: 85899345920 -> unknown",
                                                     "torch: 2.1.0 -> 2.2.0"}));
  EXPECT_EQ(Lines(d.data), (std::vector<std::string>{"data/test: (none) -> " + kHashTest,
                                                      "data/train: " + kHashTrain1 + " -> " + kHashTrain2,
                                                      "data/val: " + kHashVal + " -> (none)"}));

  json expected = {
      {"commits",
       {{"a", c1_}, {"b", c3_}, {"dirty_a", true}, {"dirty_b", false},
        {"between", {{{"id", c3_}, {"subject", "document it"}}, {{"id", c2_}, {"subject", "tune the learning rate"}}}},
        {"total", 2}, {"behind", 0}, {"note", nullptr}}},
      {"hyperparams",
       {{{"key", "lr"}, {"a", "0.001"}, {"b", "0.0001"}},
        {{"key", "name"}, {"a", "base"}, {"b", "tuned"}},
        {{"key", "only_a"}, {"a", "true"}, {"b", nullptr}},
        {{"key", "only_b"}, {"a", nullptr}, {"b", "[1, 2]"}}}},
      {"metrics",
       {{{"key", "f1"}, {"a", nullptr}, {"b", "1.0"}}, {{"key", "loss"}, {"a", "0.5"}, {"b", "0.25"}}}},
      {"env",
       {{{"key", "gpus.0.name"}, {"a", "NVIDIA A100"}, {"b", "unknown"}},
        {{"key", "gpus.0.memory_bytes"}, {"a", "85899345920"}, {"b", "unknown"}},
        {{"key", "torch"}, {"a", "2.1.0"}, {"b", "2.2.0"}}}},
      {"data",
       {{{"path", "data/test"}, {"a", nullptr}, {"b", kHashTest}},
        {{"path", "data/train"}, {"a", kHashTrain1}, {"b", kHashTrain2}},
        {{"path", "data/val"}, {"a", kHashVal}, {"b", nullptr}}}}};
  EXPECT_EQ(ProvenanceDiffToJson(d), expected) << ProvenanceDiffToJson(d).dump(2);
}

TEST_F(ProvenanceDiffTest, LimitListsNewestAndCountsAll) {
  ProvenanceDiff d = DiffProvenance(RecordA(c1_), RecordB(c3_), InRepo(/*limit=*/1));
  ASSERT_TRUE(d.range.has_value()) << d.range_note;
  ASSERT_EQ(d.range->commits.size(), 1u);
  EXPECT_EQ(d.range->commits[0].id, c3_);
  EXPECT_EQ(d.range->total, 2u);
  EXPECT_EQ(ProvenanceDiffToJson(d)["commits"]["between"].size(), 1u);
  EXPECT_EQ(ProvenanceDiffToJson(d)["commits"]["total"], 2);
}

TEST_F(ProvenanceDiffTest, OlderBCountsBehind) {
  ProvenanceDiff d = DiffProvenance(RecordA(c3_), RecordB(c2_), InRepo());
  ASSERT_TRUE(d.range.has_value()) << d.range_note;
  EXPECT_TRUE(d.range->commits.empty());
  EXPECT_EQ(d.range->total, 0u);
  EXPECT_EQ(d.range->behind, 1u);
  json commits = ProvenanceDiffToJson(d)["commits"];
  EXPECT_EQ(commits["between"], json::array());
  EXPECT_EQ(commits["total"], 0);
  EXPECT_EQ(commits["behind"], 1);
}

TEST_F(ProvenanceDiffTest, AbbreviatedRecordedCommitResolvesToFullId) {
  ProvenanceDiff d = DiffProvenance(RecordA(c1_.substr(0, 10)), RecordB(c3_), InRepo());
  ASSERT_TRUE(d.range.has_value()) << d.range_note;
  EXPECT_EQ(d.commit_a, c1_.substr(0, 10));
  EXPECT_EQ(d.range->from, c1_);
  EXPECT_EQ(d.range->total, 2u);
}

TEST_F(ProvenanceDiffTest, CommitNotInTheRepository) {
  const std::string unknown = "0123456789abcdef0123456789abcdef01234567";
  for (bool unknown_is_a : {true, false}) {
    ProvenanceDiff d = unknown_is_a ? DiffProvenance(RecordA(unknown), RecordB(c3_), InRepo())
                                    : DiffProvenance(RecordA(c1_), RecordB(unknown), InRepo());
    EXPECT_FALSE(d.range.has_value());
    EXPECT_EQ(d.range_note, "commit 0123456 is not in this repository");
    EXPECT_EQ(unknown_is_a ? d.commit_a : d.commit_b, unknown);
    json commits = ProvenanceDiffToJson(d)["commits"];
    EXPECT_EQ(commits["note"], "commit 0123456 is not in this repository");
    EXPECT_EQ(commits["between"], nullptr);
    EXPECT_EQ(commits["total"], nullptr);
    EXPECT_EQ(commits["behind"], nullptr);
    EXPECT_EQ(d.hyperparams.size(), 4u);  // the rest of the diff does not depend on the repository
  }
}

TEST_F(ProvenanceDiffTest, RecordedRevisionNamesAreNotResolved) {
  ProvenanceDiff d = DiffProvenance(RecordA(c1_), RecordB("HEAD"), InRepo());
  EXPECT_FALSE(d.range.has_value());
  EXPECT_EQ(d.range_note, "recorded commit 'HEAD' is not a commit id");
}

TEST_F(ProvenanceDiffTest, NoRepositoryHere) {
  TempDir elsewhere;
  ProvenanceDiff d = DiffProvenance(RecordA(c1_), RecordB(c3_), {elsewhere.path(), 20});
  EXPECT_FALSE(d.range.has_value());
  EXPECT_EQ(d.range_note, "no repository here");
  EXPECT_EQ(d.commit_a, c1_);
  EXPECT_EQ(d.commit_b, c3_);
  EXPECT_EQ(ProvenanceDiffToJson(d)["commits"]["note"], "no repository here");

  d = DiffProvenance(RecordA(c1_), RecordB(c3_), {"", 20});
  EXPECT_FALSE(d.range.has_value());
  EXPECT_EQ(d.range_note, "no repository given");
}

TEST_F(ProvenanceDiffTest, SameCommitHasNoRangeAndNoNote) {
  ProvenanceDiff d = DiffProvenance(RecordA(c2_), RecordB(c2_), InRepo());
  EXPECT_FALSE(d.range.has_value());
  EXPECT_EQ(d.range_note, "");
  json commits = ProvenanceDiffToJson(d)["commits"];
  EXPECT_EQ(commits["a"], c2_);
  EXPECT_EQ(commits["b"], c2_);
  EXPECT_EQ(commits["note"], nullptr);
}

TEST_F(ProvenanceDiffTest, OneSideWithoutCommit) {
  ProvenanceRecord outside = RecordA("");
  outside.git = GitSection{};
  ProvenanceDiff d = DiffProvenance(outside, RecordB(c3_), InRepo());
  EXPECT_EQ(d.commit_a, "");
  EXPECT_FALSE(d.dirty_a);
  EXPECT_FALSE(d.range.has_value());
  EXPECT_EQ(d.range_note, "no commit recorded for A");
  json commits = ProvenanceDiffToJson(d)["commits"];
  EXPECT_EQ(commits["a"], nullptr);
  EXPECT_EQ(commits["b"], c3_);

  d = DiffProvenance(RecordA(c1_), ProvenanceRecord{}, InRepo());
  EXPECT_EQ(d.range_note, "no commit recorded for B");
}

TEST_F(ProvenanceDiffTest, IdenticalRecordsHaveNoDifferences) {
  ProvenanceDiff d = DiffProvenance(RecordA(c1_), RecordA(c1_), InRepo());
  EXPECT_TRUE(d.dirty_a);
  EXPECT_TRUE(d.dirty_b);
  EXPECT_FALSE(d.range.has_value());
  EXPECT_TRUE(d.hyperparams.empty());
  EXPECT_TRUE(d.metrics.empty()) << Lines(d.metrics).front();  // nan equals nan here
  EXPECT_TRUE(d.env.empty());
  EXPECT_TRUE(d.data.empty());
  json j = ProvenanceDiffToJson(d);
  for (const char* key : {"hyperparams", "metrics", "env", "data"}) EXPECT_EQ(j[key], json::array()) << key;
  EXPECT_EQ(j["commits"]["dirty_a"], true);
  EXPECT_EQ(j["commits"]["dirty_b"], true);
}

}  // namespace
}  // namespace gitmodel
