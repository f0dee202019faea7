#include "runs/metric_columns.h"

#include <gtest/gtest.h>

namespace gitmodel {
namespace {

RunRow WithMetrics(std::vector<std::string> keys) {
  RunRow row;
  for (const std::string& key : keys) row.metrics[key] = MetricSummary{};
  return row;
}

TEST(MetricColumnsTest, PreferredFirstThenTheMostCommon) {
  const std::vector<RunRow> rows = {WithMetrics({"loss", "acc", "lr"}), WithMetrics({"loss", "acc"}),
                                    WithMetrics({"loss", "zeta"})};
  EXPECT_EQ(MetricColumns(rows, {}, 3), (std::vector<std::string>{"loss", "acc", "lr"}));
  EXPECT_EQ(MetricColumns(rows, {"zeta", "zeta"}, 2), (std::vector<std::string>{"zeta", "loss"}));
  EXPECT_EQ(MetricColumns(rows, {"gone"}, 4), (std::vector<std::string>{"gone", "loss", "acc", "lr"}));
  EXPECT_TRUE(MetricColumns({}, {}, 4).empty());
}

}  // namespace
}  // namespace gitmodel
