// What a run does with its metrics file while the command runs: read what the child appended
// (metrics_file.h), add it to the index, and keep the summaries and a normalized copy for the
// records ref (docs/runs.md, "Metrics in the records ref").
#pragma once

#include <map>
#include <string>
#include <vector>

#include "gitmodel/status.h"
#include "runs/metrics_file.h"
#include "runs/run_index.h"
#include "runs/run_record.h"

namespace gitmodel {

class MetricsCollector {
 public:
  // `index` may be null (the index could not be opened): points are then only collected.
  MetricsCollector(std::string metrics_path, std::string run_id, RunIndex* index);

  // Reads new complete lines. Problems (the file unreadable, the index busy past its retries) are
  // kept as warnings; collecting goes on.
  void Poll();
  // After the child exits: the last lines, a final line without its newline included.
  void Finish();

  const std::map<std::string, MetricSummary>& summaries() const { return summaries_; }
  // The accepted points as JSON lines, one per line of the child's file (empty for a line that
  // had none), so that line numbers survive: what `runs/<id>/metrics.jsonl` holds.
  const std::string& normalized_lines() const { return normalized_; }
  uint64_t lines() const { return reader_.lines(); }
  // The reader's warnings (bad lines), then the collector's own.
  std::vector<std::string> warnings() const;
  uint64_t warnings_dropped() const { return reader_.warnings_dropped(); }

 private:
  void Take(Result<std::vector<MetricPoint>> points);
  void Normalize(const std::vector<MetricPoint>& points);

  MetricsFileReader reader_;
  std::string run_id_;
  RunIndex* index_;
  std::map<std::string, MetricSummary> summaries_;
  std::string normalized_;
  uint64_t normalized_through_ = 0;  // the last line normalized_ holds
  std::vector<std::string> problems_;
};

}  // namespace gitmodel
