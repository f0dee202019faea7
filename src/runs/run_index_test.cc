#include "runs/run_index.h"

#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "git/testing/temp_repo.h"

namespace gitmodel {
namespace {

RunRecord MakeRun(std::string id, std::string start, std::string commit, double lr) {
  RunRecord r;
  r.id = std::move(id);
  r.name = "run-" + r.id;
  r.start = std::move(start);
  r.command = {"python3", "train.py"};
  r.capture.git.in_repo = true;
  r.capture.git.commit = std::move(commit);
  r.capture.git.branch = "main";
  r.capture.hyperparams["lr"] = lr;
  r.capture.hyperparams["optimizer"] = lr > 0.01 ? "sgd" : "adam";
  r.tags["team"] = lr > 0.01 ? "nlp" : "vision";
  return r;
}

std::vector<MetricPoint> Points(std::string key, std::vector<double> values, uint64_t first_line = 1) {
  std::vector<MetricPoint> out;
  for (size_t i = 0; i < values.size(); ++i) {
    out.push_back({key, values[i], static_cast<int64_t>(i), std::nullopt, first_line + i});
  }
  return out;
}

std::vector<std::string> Ids(const std::vector<RunRow>& rows) {
  std::vector<std::string> ids;
  for (const RunRow& row : rows) ids.push_back(row.id);
  return ids;
}

class RunIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<RunIndex> index = RunIndex::Open(dir_ / "index.db");
    ASSERT_TRUE(index.ok()) << index.status().message();
    index_.emplace(std::move(*index));
    ASSERT_TRUE(index_->PutRun(MakeRun("r1-aaa", "2026-11-01T00:00:00Z", "c1", 0.001)).ok());
    ASSERT_TRUE(index_->PutRun(MakeRun("r2-bbb", "2026-11-02T00:00:00Z", "c1", 0.1)).ok());
    ASSERT_TRUE(index_->PutRun(MakeRun("r3-ccc", "2026-11-03T00:00:00Z", "c2", 0.01)).ok());
    ASSERT_TRUE(index_->AddPoints("r1-aaa", Points("val_acc", {0.5, 0.7, 0.9})).ok());
    ASSERT_TRUE(index_->AddPoints("r2-bbb", Points("val_acc", {0.6, 0.65})).ok());
    ASSERT_TRUE(index_->AddPoints("r3-ccc", Points("loss", {2.0, std::nan("")})).ok());
  }
  std::vector<std::string> List(std::vector<std::string> where, std::string sort = "") {
    RunQuery query;
    for (const std::string& w : where) query.filters.push_back(*ParseRunFilter(w));
    if (!sort.empty()) query.sort = *ParseRunSort(sort);
    Result<std::vector<RunRow>> rows = index_->List(query);
    EXPECT_TRUE(rows.ok()) << rows.status().message();
    return Ids(*rows);
  }
  testutil::TempDir dir_;
  std::optional<RunIndex> index_;
};

TEST_F(RunIndexTest, ListsNewestFirstWithFiltersAndSorts) {
  EXPECT_EQ(List({}), (std::vector<std::string>{"r3-ccc", "r2-bbb", "r1-aaa"}));
  EXPECT_EQ(List({"val_acc>0.8"}), (std::vector<std::string>{"r1-aaa"}));
  EXPECT_EQ(List({}, "-val_acc"), (std::vector<std::string>{"r1-aaa", "r2-bbb", "r3-ccc"}));  // no val_acc: last
  EXPECT_EQ(List({"params.lr<0.05"}, "params.lr"), (std::vector<std::string>{"r1-aaa", "r3-ccc"}));
  EXPECT_EQ(List({"params.optimizer=adam"}, "start"), (std::vector<std::string>{"r1-aaa", "r3-ccc"}));
  EXPECT_EQ(List({"tags.team=nlp"}), (std::vector<std::string>{"r2-bbb"}));
  EXPECT_EQ(List({"commit=c"}, "start"), (std::vector<std::string>{"r1-aaa", "r2-bbb", "r3-ccc"}));
  EXPECT_EQ(List({"commit!=c1"}), (std::vector<std::string>{"r3-ccc"}));
  EXPECT_EQ(List({"status=running", "val_acc<0.8"}), (std::vector<std::string>{"r2-bbb"}));
  RunQuery limited;
  limited.limit = 2;
  EXPECT_EQ(index_->List(limited)->size(), 2u);
}

TEST_F(RunIndexTest, SummariesFollowThePoints) {
  Result<std::vector<RunRow>> rows = index_->List(RunQuery{});
  ASSERT_TRUE(rows.ok());
  const RunRow& r1 = rows->back();
  ASSERT_EQ(r1.id, "r1-aaa");
  const MetricSummary& acc = r1.metrics.at("val_acc");
  EXPECT_EQ(acc.last, 0.9);
  EXPECT_EQ(acc.min, 0.5);
  EXPECT_EQ(acc.count, 3u);
  EXPECT_EQ(acc.last_step, 2);
  ASSERT_TRUE(index_->AddPoints("r1-aaa", Points("val_acc", {0.1}, 4)).ok());
  Result<RunRecord> record = index_->Get("r1-aaa");
  ASSERT_TRUE(record.ok()) << record.status().message();
  EXPECT_EQ(record->metrics.at("val_acc").last, 0.1);
  EXPECT_EQ(record->metrics.at("val_acc").max, 0.9);
  EXPECT_EQ(record->metrics.at("val_acc").count, 4u);
  const MetricSummary& loss = rows->front().metrics.at("loss");
  EXPECT_TRUE(std::isnan(loss.last));  // the last value is NaN: kept as such
  EXPECT_EQ(loss.max, 2.0);
  EXPECT_EQ(index_->Series("r1-aaa", "val_acc")->size(), 4u);
  EXPECT_EQ(*index_->MetricKeys(), (std::vector<std::string>{"val_acc", "loss"}));
}

TEST_F(RunIndexTest, ResolvesUniquePrefixes) {
  EXPECT_EQ(*index_->Resolve("r2"), "r2-bbb");
  EXPECT_EQ(*index_->Resolve("r1-aaa"), "r1-aaa");
  EXPECT_EQ(index_->Resolve("r").status().code(), Code::kInvalidArgument);
  EXPECT_NE(index_->Resolve("r").status().message().find("r1-aaa"), std::string::npos);
  EXPECT_EQ(index_->Resolve("zz").status().code(), Code::kNotFound);
  EXPECT_EQ(index_->Resolve("").status().code(), Code::kInvalidArgument);
}

TEST_F(RunIndexTest, RunsAtCommitsAndReplacing) {
  EXPECT_EQ(Ids(*index_->AtCommits({"c2", "c1"})), (std::vector<std::string>{"r3-ccc", "r1-aaa", "r2-bbb"}));
  RunRecord done = MakeRun("r2-bbb", "2026-11-02T00:00:00Z", "c1", 0.1);
  done.status = std::string(kRunFinished);
  done.exit_code = 0;
  ASSERT_TRUE(index_->PutRun(done).ok());
  EXPECT_EQ(List({"status=finished"}), (std::vector<std::string>{"r2-bbb"}));
  EXPECT_EQ(index_->Get("r2-bbb")->metrics.at("val_acc").count, 2u);  // points survive a record update
  ASSERT_TRUE(index_->Clear().ok());
  EXPECT_EQ(*index_->Count(), 0u);
}

TEST_F(RunIndexTest, CheckpointsOfRunsInPathOrder) {
  RunRecord r = MakeRun("r1-aaa", "2026-11-01T00:00:00Z", "c1", 0.001);
  r.checkpoints = {{"out/b.pt", "fp-b", "sha-b"}, {"out/a.pt", "fp-a", "sha-a"}};
  ASSERT_TRUE(index_->PutRun(r).ok());
  Result<std::vector<std::vector<RunCheckpoint>>> found = index_->CheckpointsOf({"r1-aaa", "r2-bbb", "zz"});
  ASSERT_TRUE(found.ok()) << found.status().message();
  ASSERT_EQ(found->size(), 3u);
  EXPECT_TRUE((*found)[1].empty());  // r2-bbb has none
  EXPECT_TRUE((*found)[2].empty());  // zz is not a run
  const std::vector<RunCheckpoint>& of_r1 = (*found)[0];
  ASSERT_EQ(of_r1.size(), 2u);
  EXPECT_EQ(of_r1[0].path, "out/a.pt");
  EXPECT_EQ(of_r1[0].fingerprint, "fp-a");
  EXPECT_EQ(of_r1[0].file_sha256, "sha-a");
  EXPECT_EQ(of_r1[1].path, "out/b.pt");
  r.checkpoints.pop_back();
  ASSERT_TRUE(index_->PutRun(r).ok());  // a record update replaces the list
  EXPECT_EQ(index_->CheckpointsOf({"r1-aaa"})->at(0).size(), 1u);
  EXPECT_TRUE(index_->CheckpointsOf({})->empty());
}

// Four runs logging at once, each from its own connection (as four processes would): every point
// lands and no write fails with "database is locked".
TEST_F(RunIndexTest, ConcurrentWritersLoseNothing) {
  constexpr int kWriters = 4, kBatches = 50, kPerBatch = 200;
  std::vector<std::thread> threads;
  std::vector<Status> results(kWriters);
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      Result<RunIndex> index = RunIndex::Open(dir_ / "index.db");
      if (!index.ok()) return void(results[w] = index.status());
      const std::string id = "w" + std::to_string(w);
      results[w] = index->PutRun(MakeRun(id, "2026-11-05T00:00:00Z", "c3", 0.01));
      for (int b = 0; b < kBatches && results[w].ok(); ++b) {
        results[w] = index->AddPoints(id, Points("loss", std::vector<double>(kPerBatch, 1.0), 1 + b * kPerBatch));
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const Status& s : results) ASSERT_TRUE(s.ok()) << s.message();
  for (int w = 0; w < kWriters; ++w) {
    EXPECT_EQ(index_->Series("w" + std::to_string(w), "loss")->size(), size_t{kBatches * kPerBatch});
  }
}

}  // namespace
}  // namespace gitmodel
