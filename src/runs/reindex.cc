#include "runs/reindex.h"

#include <map>
#include <string_view>

#include "runs/metrics_line.h"
#include "runs/records_ref.h"
#include "runs/run_id.h"

namespace gitmodel {
namespace {

constexpr size_t kPointsPerWrite = 20000;

struct RunFiles {
  const std::string* record = nullptr;
  const std::string* metrics = nullptr;
};

// runs/<id>/<file> -> the files of each run id; other paths are not runs.
std::map<std::string, RunFiles> GroupByRun(const std::vector<RecordFile>& files) {
  std::map<std::string, RunFiles> runs;
  for (const RecordFile& f : files) {
    std::string_view path = f.path;
    if (!path.starts_with("runs/")) continue;
    path.remove_prefix(5);
    const size_t slash = path.find('/');
    if (slash == std::string_view::npos) continue;
    RunFiles& run = runs[std::string(path.substr(0, slash))];
    const std::string_view name = path.substr(slash + 1);
    if (name == "run.json") run.record = &f.content;
    if (name == "metrics.jsonl") run.metrics = &f.content;
  }
  return runs;
}

Status IndexMetrics(RunIndex& index, const std::string& id, std::string_view text, ReindexStats& stats) {
  std::vector<MetricPoint> batch;
  uint64_t line = 0;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    const std::string_view content = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    MetricsLineResult parsed = ParseMetricsLine(content, ++line);
    for (MetricPoint& point : parsed.points) batch.push_back(std::move(point));
    if (batch.size() >= kPointsPerWrite) {
      GM_RETURN_IF_ERROR(index.AddPoints(id, batch));
      stats.metric_points += batch.size();
      batch.clear();
    }
  }
  GM_RETURN_IF_ERROR(index.AddPoints(id, batch));
  stats.metric_points += batch.size();
  return OkStatus();
}

Status IndexRun(RunIndex& index, const std::string& id, const RunFiles& files, bool only_changed,
                ReindexStats& stats) {
  if (!IsRunId(id)) return Corrupt("runs/{}: not a run id", id);
  if (!files.record) return Corrupt("runs/{}: no run.json", id);
  if (only_changed) {
    Result<std::string> held = index.RecordText(id);
    if (held.ok() && *held == *files.record) {
      ++stats.unchanged;
      return OkStatus();
    }
  }
  GM_ASSIGN_OR_RETURN(RunRecord record, ParseRunRecord(*files.record));
  if (record.id != id) return Corrupt("runs/{}/run.json: holds run {}", id, record.id);
  record.metrics.clear();  // the summaries come from the points, as when the run was live
  GM_RETURN_IF_ERROR(index.PutRun(record, *files.record));
  GM_RETURN_IF_ERROR(index.ClearPoints(id));
  if (files.metrics) GM_RETURN_IF_ERROR(IndexMetrics(index, id, *files.metrics, stats));
  ++stats.runs;
  return OkStatus();
}

}  // namespace

Result<ReindexStats> ReindexRuns(const GitRepo& repo, RunIndex& index, bool only_changed) {
  GM_ASSIGN_OR_RETURN(std::vector<RecordFile> files, ReadRecords(repo, kRecordsRef, "runs"));
  if (!only_changed) GM_RETURN_IF_ERROR(index.Clear());
  ReindexStats stats;
  for (const auto& [id, run] : GroupByRun(files)) {
    Status indexed = IndexRun(index, id, run, only_changed, stats);
    if (indexed.code() == Code::kCorrupt || indexed.code() == Code::kUnsupported) {
      stats.skipped.push_back(indexed.message());
    } else {
      GM_RETURN_IF_ERROR(indexed);
    }
  }
  return stats;
}

}  // namespace gitmodel
