#include "report/report_metrics.h"

#include <cmath>

#include <gtest/gtest.h>

namespace gitmodel {
namespace {

RunRow MakeRun(double value, std::string status = "finished", bool dirty = false) {
  RunRow row;
  row.status = std::move(status);
  row.dirty = dirty;
  row.metrics["acc"].last = value;
  return row;
}

CommitRuns At(const std::string& id, std::vector<RunRow> runs) {
  CommitRuns c;
  c.commit.id = id;
  c.runs = std::move(runs);
  return c;
}

TEST(ReportMetrics, DirectionFromTheName) {
  EXPECT_TRUE(HigherIsBetter("val_acc"));
  EXPECT_TRUE(HigherIsBetter("f1"));
  EXPECT_FALSE(HigherIsBetter("val_loss"));
  EXPECT_FALSE(HigherIsBetter("eval/WER"));
  EXPECT_FALSE(HigherIsBetter("step_time"));
  EXPECT_TRUE(HigherIsBetter("lossless_ratio"));  // a word, not a substring
}

TEST(ReportMetrics, MedianOfCleanFinishedRunsPerCommit) {
  std::vector<CommitRuns> commits = {
      At("a", {MakeRun(0.5), MakeRun(0.7), MakeRun(0.6)}),
      At("b", {MakeRun(0.9, "failed"), MakeRun(0.1, "finished", true)}),  // nothing counts here
      At("c", {MakeRun(0.8)}),
      At("d", {MakeRun(0.4), MakeRun(std::nan(""))}),
  };
  std::vector<MetricTrend> trends = MetricTrends(commits, {}, 3);
  ASSERT_EQ(trends.size(), 1u);
  const MetricTrend& t = trends[0];
  ASSERT_EQ(t.points.size(), 3u);
  EXPECT_DOUBLE_EQ(t.points[0].value, 0.6);
  EXPECT_EQ(t.points[0].runs, 3u);
  EXPECT_EQ(t.points[2].runs, 2u);
  EXPECT_DOUBLE_EQ(t.points[2].value, 0.4);  // NaN left out of the median
  EXPECT_EQ(t.best.commit.id, "c");
  ASSERT_EQ(t.biggest_moves.size(), 2u);
  EXPECT_EQ(t.biggest_moves[0].commit.id, "d");  // 0.8 -> 0.4
  EXPECT_EQ(t.biggest_moves[0].previous, "c");
  EXPECT_EQ(t.biggest_moves[1].commit.id, "c");
}

TEST(ReportMetrics, NamedMetricsOnlyAndNoneWithoutValues) {
  std::vector<CommitRuns> commits = {At("a", {MakeRun(0.5)})};
  EXPECT_TRUE(MetricTrends(commits, {"loss"}, 3).empty());
  EXPECT_EQ(MetricTrends(commits, {"acc"}, 3).size(), 1u);
}

}  // namespace
}  // namespace gitmodel
