#include "report/bisect_search.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace gitmodel {
namespace {

constexpr Verdict G = Verdict::kGood, B = Verdict::kBad, S = Verdict::kSkip, U = Verdict::kUntested;

TEST(BisectSearch, AllKnownFindsTheTransition) {
  BisectSearch s = SearchFirstBad({U, G, G, B, B, U});
  EXPECT_TRUE(s.found());
  EXPECT_EQ(s.last_good, 2u);
  EXPECT_EQ(s.first_bad, 3u);
  EXPECT_EQ(s.candidates, (std::vector<size_t>{3}));
  EXPECT_FALSE(s.next_to_test);
}

TEST(BisectSearch, EndsAreTakenOnTheUsersWord) {
  BisectSearch s = SearchFirstBad({B, U, G});  // the good end measures bad, the bad end good
  EXPECT_EQ(s.last_good, 0u);
  EXPECT_EQ(s.first_bad, 2u);
  EXPECT_EQ(s.candidates, (std::vector<size_t>{1, 2}));
  EXPECT_EQ(s.next_to_test, 1u);
}

TEST(BisectSearch, UntestedAndSkippedBetweenAreCandidates) {
  BisectSearch s = SearchFirstBad({U, G, U, S, U, U, B, U});
  EXPECT_FALSE(s.found());
  EXPECT_EQ(s.candidates, (std::vector<size_t>{2, 3, 4, 5, 6}));
  EXPECT_EQ(s.next_to_test, 4u);  // the middle untested one, never the skipped one
}

TEST(BisectSearch, OnlySkippedLeftCannotBeNarrowed) {
  BisectSearch s = SearchFirstBad({U, G, S, B, U});
  EXPECT_EQ(s.candidates, (std::vector<size_t>{2, 3}));
  EXPECT_FALSE(s.next_to_test);
}

TEST(BisectSearch, BadBeforeTheLastGoodIsAContradiction) {
  BisectSearch s = SearchFirstBad({U, B, G, B, U});
  EXPECT_EQ(s.last_good, 2u);
  EXPECT_EQ(s.first_bad, 3u);
  EXPECT_EQ(s.contradictions, (std::vector<size_t>{1}));
}

TEST(BisectSearch, JudgeAggregatesAndTreatsNanAsWorst) {
  BisectRule rule{"val_acc", true, 0.8, MetricAgg::kMedian};
  EXPECT_EQ(JudgeCommit({{0.9, 0.5, 0.85}, 0}, rule).verdict, Verdict::kGood);
  EXPECT_EQ(JudgeCommit({{0.9, std::nan(""), std::nan("")}, 0}, rule).verdict, Verdict::kBad);
  EXPECT_EQ(JudgeCommit({{}, 2}, rule).verdict, Verdict::kSkip);
  EXPECT_EQ(JudgeCommit({{}, 0}, rule).verdict, Verdict::kUntested);
  BisectRule loss{"loss", false, 0.3, MetricAgg::kMean};
  CommitVerdict v = JudgeCommit({{0.2, 0.3}, 0}, loss);
  EXPECT_EQ(v.verdict, Verdict::kGood);
  EXPECT_DOUBLE_EQ(*v.value, 0.25);
  EXPECT_EQ(JudgeCommit({{std::nan("")}, 0}, loss).verdict, Verdict::kBad);
  EXPECT_TRUE(std::isnan(*JudgeCommit({{std::nan("")}, 0}, loss).value));  // shown as logged
  EXPECT_EQ(JudgeCommit({{-std::numeric_limits<double>::infinity()}, 0}, rule).verdict, Verdict::kBad);
}

TEST(BisectSearch, Aggregates) {
  EXPECT_DOUBLE_EQ(Aggregate({3, 1, 2}, MetricAgg::kMedian), 2);
  EXPECT_DOUBLE_EQ(Aggregate({4, 1, 2, 3}, MetricAgg::kMedian), 2.5);
  EXPECT_DOUBLE_EQ(Aggregate({4, 1}, MetricAgg::kMin), 1);
  EXPECT_DOUBLE_EQ(Aggregate({4, 1}, MetricAgg::kMax), 4);
  EXPECT_FALSE(ParseMetricAgg("mode").ok());
  EXPECT_EQ(*ParseMetricAgg("mean"), MetricAgg::kMean);
  EXPECT_EQ((BisectRule{"loss", false, 0.25, MetricAgg::kMedian}.GoodText()), "loss <= 0.25");
}

}  // namespace
}  // namespace gitmodel
