#include "runs/metric_columns.h"

#include <algorithm>
#include <map>

namespace gitmodel {

std::vector<std::string> MetricColumns(const std::vector<RunRow>& rows, std::vector<std::string> preferred,
                                       size_t count) {
  std::map<std::string, size_t> counts;
  for (const RunRow& row : rows) {
    for (const auto& entry : row.metrics) ++counts[entry.first];
  }
  std::vector<std::pair<std::string, size_t>> by_count(counts.begin(), counts.end());
  std::stable_sort(by_count.begin(), by_count.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<std::string> columns;
  auto add = [&](const std::string& key) {
    if (columns.size() < count && std::find(columns.begin(), columns.end(), key) == columns.end()) {
      columns.push_back(key);
    }
  };
  for (const std::string& key : preferred) add(key);
  for (const auto& entry : by_count) add(entry.first);
  return columns;
}

}  // namespace gitmodel
