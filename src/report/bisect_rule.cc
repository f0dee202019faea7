#include "report/bisect_rule.h"

#include <algorithm>
#include <numeric>

#include <fmt/core.h>

namespace gitmodel {

Result<MetricAgg> ParseMetricAgg(std::string_view name) {
  if (name == "median") return MetricAgg::kMedian;
  if (name == "mean") return MetricAgg::kMean;
  if (name == "min") return MetricAgg::kMin;
  if (name == "max") return MetricAgg::kMax;
  return InvalidArgument("--agg '{}': expected median, mean, min or max", name);
}

std::string_view MetricAggName(MetricAgg agg) {
  switch (agg) {
    case MetricAgg::kMedian: return "median";
    case MetricAgg::kMean: return "mean";
    case MetricAgg::kMin: return "min";
    case MetricAgg::kMax: return "max";
  }
  return "median";
}

double Aggregate(std::vector<double> values, MetricAgg agg) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  switch (agg) {
    case MetricAgg::kMin: return values.front();
    case MetricAgg::kMax: return values.back();
    case MetricAgg::kMean: return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(n);
    case MetricAgg::kMedian: break;
  }
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

bool BisectRule::IsGood(double value) const {
  return good_when_at_least ? value >= limit : value <= limit;  // false for NaN either way
}

std::string BisectRule::GoodText() const {
  return fmt::format("{} {} {:.6g}", metric, good_when_at_least ? ">=" : "<=", limit);
}

}  // namespace gitmodel
