#include "runs/run_query.h"

#include <gtest/gtest.h>

namespace gitmodel {
namespace {

TEST(RunQueryTest, FiltersNameTheirKind) {
  Result<RunFilter> metric = ParseRunFilter("val_acc>=0.8");
  ASSERT_TRUE(metric.ok()) << metric.status().message();
  EXPECT_EQ(metric->key.kind, RunKeyKind::kMetric);
  EXPECT_EQ(metric->key.name, "val_acc");
  EXPECT_EQ(metric->op, ">=");
  EXPECT_EQ(metric->number, 0.8);
  Result<RunFilter> param = ParseRunFilter("params.optimizer==adam");
  ASSERT_TRUE(param.ok());
  EXPECT_EQ(param->key.kind, RunKeyKind::kParam);
  EXPECT_EQ(param->op, "=");
  EXPECT_FALSE(param->number);
  EXPECT_EQ(ParseRunFilter("tags.team!=nlp")->key.kind, RunKeyKind::kTag);
  EXPECT_EQ(ParseRunFilter("status=failed")->key.kind, RunKeyKind::kField);
  EXPECT_EQ(ParseRunFilter("commit=abc123")->key.kind, RunKeyKind::kField);
}

TEST(RunQueryTest, BadFiltersAreOneLineErrors) {
  for (const char* bad : {"val_acc", "val_acc>high", ">0.8", "params.>1", "tags.team>a", "status<x", "commit>ab",
                          "a!0", "params.opt<adam"}) {
    Result<RunFilter> parsed = ParseRunFilter(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), Code::kInvalidArgument) << bad;
    EXPECT_EQ(parsed.status().message().find('\n'), std::string::npos);
  }
}

TEST(RunQueryTest, SortKeys) {
  Result<RunSort> sort = ParseRunSort("-val_acc");
  ASSERT_TRUE(sort.ok());
  EXPECT_TRUE(sort->descending);
  EXPECT_EQ(sort->key.kind, RunKeyKind::kMetric);
  EXPECT_EQ(ParseRunSort("wall")->key.kind, RunKeyKind::kField);
  EXPECT_EQ(ParseRunSort("+params.lr")->key.kind, RunKeyKind::kParam);
  EXPECT_FALSE(ParseRunSort("tags.team").ok());
  EXPECT_FALSE(ParseRunSort("-").ok());
}

TEST(RunQueryTest, SqlBindsEveryValueAsAParameter) {
  RunQuery query;
  query.filters.push_back(*ParseRunFilter("val_acc>0.8"));
  query.filters.push_back(*ParseRunFilter("name=x'; DROP TABLE runs; --"));
  query.sort = *ParseRunSort("-loss");
  query.limit = 5;
  RunListSql sql = BuildRunListSql(query, "runs.id");
  EXPECT_EQ(sql.sql.find("DROP"), std::string::npos);
  EXPECT_EQ(std::count(sql.sql.begin(), sql.sql.end(), '?'), static_cast<long>(sql.parameters.size()));
  EXPECT_NE(sql.sql.find("ORDER BY sorted.last DESC NULLS LAST"), std::string::npos);
  EXPECT_EQ(std::get<int64_t>(sql.parameters.back()), 5);
}

}  // namespace
}  // namespace gitmodel
