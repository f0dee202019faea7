#include "runs/metrics_collector.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "runs/metric_summary.h"

namespace gitmodel {
namespace {

constexpr size_t kMaxProblems = 5;

nlohmann::json ValueToJson(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  return value;
}

// One line's points back as a protocol line (metrics_line.h).
std::string LineText(const std::vector<MetricPoint>& points) {
  nlohmann::json line = nlohmann::json::object();
  const MetricPoint& first = points.front();
  if (first.step) line["step"] = *first.step;
  if (first.time) line["time"] = *first.time;
  for (const MetricPoint& point : points) line[point.key] = ValueToJson(point.value);
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

MetricsCollector::MetricsCollector(std::string metrics_path, std::string run_id, RunIndex* index)
    : reader_(std::move(metrics_path)), run_id_(std::move(run_id)), index_(index) {}

void MetricsCollector::Take(Result<std::vector<MetricPoint>> points) {
  if (!points.ok()) {
    if (problems_.size() < kMaxProblems) problems_.push_back(points.status().message());
    return;
  }
  if (points->empty()) return;
  AddToSummaries(*points, summaries_);
  Normalize(*points);
  if (!index_) return;
  Status added = index_->AddPoints(run_id_, *points);
  if (!added.ok() && problems_.size() < kMaxProblems) problems_.push_back(added.message());
}

void MetricsCollector::Poll() { Take(reader_.Poll()); }

void MetricsCollector::Finish() { Take(reader_.Finish()); }

// Points arrive in line order, a line's points together (the reader parses whole lines).
void MetricsCollector::Normalize(const std::vector<MetricPoint>& points) {
  for (size_t first = 0; first < points.size();) {
    size_t end = first;
    while (end < points.size() && points[end].line == points[first].line) ++end;
    const uint64_t line = points[first].line;
    normalized_.append(line - 1 - normalized_through_, '\n');  // lines without points stay, empty
    normalized_ += LineText(std::vector<MetricPoint>(points.begin() + first, points.begin() + end)) + "\n";
    normalized_through_ = line;
    first = end;
  }
}

std::vector<std::string> MetricsCollector::warnings() const {
  std::vector<std::string> out = reader_.warnings();
  out.insert(out.end(), problems_.begin(), problems_.end());
  return out;
}

}  // namespace gitmodel
