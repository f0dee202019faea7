// Per-metric summaries of a run's points (run_record.h, MetricSummary): the last value by line
// order, the finite minimum and maximum, the count and the last step.
#pragma once

#include <map>
#include <span>
#include <string>

#include "runs/metrics_line.h"
#include "runs/run_record.h"

namespace gitmodel {

// Folds `points` (in line order, after those already folded) into `summaries`.
void AddToSummaries(std::span<const MetricPoint> points, std::map<std::string, MetricSummary>& summaries);

}  // namespace gitmodel
