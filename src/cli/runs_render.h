// Renderings of `git model runs`, `runs show` and `runs compare` (text and JSON).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runs/run_compare.h"
#include "runs/run_index.h"
#include "runs/run_record.h"

namespace gitmodel::cli {

// The listing table: run fields, then one column per metric in `metric_columns` (last values).
std::string RunsTable(const std::vector<RunRow>& rows, const std::vector<std::string>& metric_columns);
nlohmann::json RunRowJson(const RunRow& row);
nlohmann::json SummaryJson(const MetricSummary& summary);

std::string RunShowText(const RunRecord& record, const std::string& log_path);

// `runs show ID --series KEY`: a table of line, step, time (UTC), value; the JSON is
// {"run", "key", "points": [{"line", "step", "time", "value"}]} (absent values null).
std::string SeriesTable(const std::vector<MetricPoint>& points);
nlohmann::json SeriesJson(const std::string& run_id, const std::string& key, const std::vector<MetricPoint>& points);

std::string CompareText(const RunComparison& comparison);
nlohmann::json CompareJson(const RunComparison& comparison);
// "M train.py  +3 -1", "A weights.bin (binary)"; and as {"path", "status", "added_lines",
// "deleted_lines", "binary"}.
std::string FileChangeText(const FileChange& change);
nlohmann::json FileChangeJson(const FileChange& change);

}  // namespace gitmodel::cli
