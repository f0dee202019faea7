#include "report/report_metrics.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include "report/bisect_rule.h"

namespace gitmodel {
namespace {

const std::set<std::string> kLowerIsBetter = {"loss", "error", "err", "perplexity", "ppl", "mse", "mae", "rmse",
                                              "wer", "cer", "nll", "latency", "time"};

// The metric's value at each commit that has one, oldest first.
std::vector<MetricAtCommit> PointsOf(const std::vector<CommitRuns>& commits, const std::string& key) {
  std::vector<MetricAtCommit> points;
  for (const CommitRuns& c : commits) {
    std::vector<double> values;  // NaN left out: a commit is NaN only when every run was
    size_t runs = 0;
    for (const RunRow& run : c.runs) {
      auto it = run.metrics.find(key);
      if (run.status != kRunFinished || run.dirty || it == run.metrics.end()) continue;
      ++runs;
      if (!std::isnan(it->second.last)) values.push_back(it->second.last);
    }
    if (runs == 0) continue;
    const double value = values.empty() ? std::nan("") : Aggregate(values, MetricAgg::kMedian);
    points.push_back({c.commit, value, runs});
  }
  return points;
}

bool Better(double a, double b, bool higher) {
  if (std::isnan(b)) return !std::isnan(a);
  if (std::isnan(a)) return false;
  return higher ? a > b : a < b;
}

std::vector<MetricMove> BiggestMoves(const std::vector<MetricAtCommit>& points, size_t top) {
  std::vector<MetricMove> moves;
  for (size_t i = 1; i < points.size(); ++i) {
    if (std::isfinite(points[i].value) && std::isfinite(points[i - 1].value) && points[i].value != points[i - 1].value) {
      moves.push_back({points[i].commit, points[i - 1].commit.id, points[i - 1].value, points[i].value});
    }
  }
  std::stable_sort(moves.begin(), moves.end(), [](const MetricMove& a, const MetricMove& b) {
    return std::fabs(a.to - a.from) > std::fabs(b.to - b.from);
  });
  if (moves.size() > top) moves.resize(top);
  return moves;
}

std::vector<std::string> AllKeys(const std::vector<CommitRuns>& commits) {
  std::set<std::string> keys;
  for (const CommitRuns& c : commits)
    for (const RunRow& run : c.runs)
      for (const auto& [key, summary] : run.metrics) keys.insert(key);
  return {keys.begin(), keys.end()};
}

}  // namespace

bool HigherIsBetter(std::string_view key) {
  std::string word;
  for (size_t i = 0; i <= key.size(); ++i) {
    const char c = i < key.size() ? static_cast<char>(std::tolower(static_cast<unsigned char>(key[i]))) : '_';
    if (std::isalpha(static_cast<unsigned char>(c))) {
      word += c;
      continue;
    }
    if (kLowerIsBetter.count(word)) return false;
    word.clear();
  }
  return true;
}

std::vector<MetricTrend> MetricTrends(const std::vector<CommitRuns>& commits, const std::vector<std::string>& metrics,
                                      size_t top_moves) {
  std::vector<std::string> keys = metrics.empty() ? AllKeys(commits) : metrics;
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  std::vector<MetricTrend> out;
  for (const std::string& key : keys) {
    MetricTrend trend;
    trend.key = key;
    trend.higher_is_better = HigherIsBetter(key);
    trend.points = PointsOf(commits, key);
    if (trend.points.empty()) continue;
    trend.first = trend.points.front();
    trend.last = trend.points.back();
    trend.best = trend.points.front();
    for (const MetricAtCommit& p : trend.points) if (Better(p.value, trend.best.value, trend.higher_is_better)) trend.best = p;
    trend.biggest_moves = BiggestMoves(trend.points, top_moves);
    out.push_back(std::move(trend));
  }
  return out;
}

}  // namespace gitmodel
