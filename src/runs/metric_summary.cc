#include "runs/metric_summary.h"

#include <algorithm>
#include <cmath>

namespace gitmodel {

void AddToSummaries(std::span<const MetricPoint> points, std::map<std::string, MetricSummary>& summaries) {
  for (const MetricPoint& point : points) {
    MetricSummary& s = summaries[point.key];
    s.last = point.value;
    ++s.count;
    if (point.step) s.last_step = point.step;
    if (!std::isfinite(point.value)) continue;
    s.min = s.min ? std::min(*s.min, point.value) : point.value;
    s.max = s.max ? std::max(*s.max, point.value) : point.value;
  }
}

}  // namespace gitmodel
