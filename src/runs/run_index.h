// The run index: recorded runs, their parameters, tags, metric series and checkpoints in the index
// database (index_db.h; docs/runs.md, "The index"). A cache of the records ref: `git model
// reindex` rebuilds it with Clear and PutRun/AddPoints from the ref's files.
//
// Several processes may write at once (four runs logging metrics): every write is one short
// BEGIN IMMEDIATE transaction under SQLite's busy timeout. Not thread-safe; open one per thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/sqlite_db.h"
#include "gitmodel/status.h"
#include "runs/metrics_line.h"
#include "runs/run_query.h"
#include "runs/run_record.h"

namespace gitmodel {

// One row of a listing: the run's own fields and the metric summaries the index holds (for a run
// still going, newer than its record's). Find gives the whole record.
struct RunRow {
  std::string id;
  std::string name;
  std::string status;
  std::string commit;
  std::string branch;
  bool dirty = false;
  std::string start;
  std::string end;
  std::optional<double> wall_seconds;
  std::optional<int> exit_code;
  std::optional<int> signal;
  std::map<std::string, MetricSummary> metrics;
};

// One run's last value of a metric, for bisecting on it (src/report/).
struct RunMetricValue {
  std::string run_id;
  std::string commit;
  std::string status;
  bool dirty = false;
  std::optional<double> last;  // nullopt: the run logged no value of the metric (NaN is NaN)
};

class RunIndex {
 public:
  static Result<RunIndex> Open(const std::string& db_path);

  // Inserts or replaces the run, its parameters, tags and checkpoints. Metric summaries are taken
  // from the record only when it has some (a finished run); points are added with AddPoints. The
  // record is stored as `record_text` when given (the records ref's bytes), else serialized.
  Status PutRun(const RunRecord& record, std::string_view record_text = {});
  // Appends points (in line order, after the ones already added) and updates the summaries.
  Status AddPoints(std::string_view run_id, std::span<const MetricPoint> points);
  // Removes every run (the record index is kept).
  Status Clear();
  // Removes one run's points and summaries (before they are added again).
  Status ClearPoints(std::string_view run_id);

  // Runs matching `query` (run_query.h), ordered and limited as it says, with the summaries of
  // the metrics in `metric_keys` (all of them when empty).
  Result<std::vector<RunRow>> List(const RunQuery& query, const std::vector<std::string>& metric_keys = {}) const;
  // The full id of the run whose id is `id_or_prefix` or starts with it; kNotFound, or
  // kInvalidArgument when several match (naming some).
  Result<std::string> Resolve(std::string_view id_or_prefix) const;
  // The record of run `id`, with the index's metric summaries (newer while it runs).
  Result<RunRecord> Get(std::string_view id) const;
  // Runs at any of `commits` (full ids), oldest first, with the summaries of the metrics in
  // `metric_keys` (all of them when empty).
  Result<std::vector<RunRow>> AtCommits(const std::vector<std::string>& commits,
                                        const std::vector<std::string>& metric_keys = {}) const;
  // The checkpoints each of `run_ids` wrote (as its record lists them), in path order: element i
  // is run_ids[i]'s, empty for a run without any or not in the index.
  Result<std::vector<std::vector<RunCheckpoint>>> CheckpointsOf(const std::vector<std::string>& run_ids) const;
  // Every run with its last value of metric `key`, in no order: one statement over the runs
  // table (10,000 runs: a few milliseconds), for callers that want most commits' values.
  Result<std::vector<RunMetricValue>> MetricValues(std::string_view key) const;
  // Metric names over all runs, the most common first.
  Result<std::vector<std::string>> MetricKeys() const;
  // Every point of one metric of one run, in line order.
  Result<std::vector<MetricPoint>> Series(std::string_view run_id, std::string_view key) const;
  // The record text the index holds for run `id` (as PutRun stored it); kNotFound.
  Result<std::string> RecordText(std::string_view id) const;
  // How many runs the index holds.
  Result<uint64_t> Count() const;

 private:
  explicit RunIndex(SqliteDb db) : db_(std::move(db)) {}
  Result<std::vector<RunRow>> Rows(const RunListSql& query) const;
  Status LoadSummaries(std::vector<RunRow>& rows, const std::vector<std::string>& metric_keys) const;
  SqliteDb db_;
};

}  // namespace gitmodel
