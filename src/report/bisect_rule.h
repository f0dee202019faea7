// When a commit is good or bad for `git model bisect` (docs/report.md): the value of one metric
// at the commit, aggregated over its runs (--agg), against a threshold (--min X: good when the
// value is at least X; --max X: good when it is at most X).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gitmodel/status.h"

namespace gitmodel {

enum class MetricAgg { kMedian, kMean, kMin, kMax };

// "median", "mean", "min", "max"; kInvalidArgument naming the choices otherwise.
Result<MetricAgg> ParseMetricAgg(std::string_view name);
std::string_view MetricAggName(MetricAgg agg);

// The aggregate of `values` (non-empty, finite). The median of an even count is the mean of the
// two middle values.
double Aggregate(std::vector<double> values, MetricAgg agg);

struct BisectRule {
  std::string metric;
  bool good_when_at_least = true;  // --min; false: --max
  double limit = 0;
  MetricAgg agg = MetricAgg::kMedian;

  // NaN is bad whichever the direction.
  bool IsGood(double value) const;
  // "val_acc >= 0.8" (what a good commit satisfies).
  std::string GoodText() const;
};

}  // namespace gitmodel
