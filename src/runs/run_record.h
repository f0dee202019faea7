// The record of one `git model run`: schema git-model/run/v1 (docs/runs.md, "The run record").
//
// Written to the records ref (records_ref.h) as `runs/<id>/run.json` when the run starts (status
// "running") and again when it ends; the index (run_index.h) is rebuilt from these files. What the
// run captured at its start (git state, hyperparameters, configs, environment, data) uses the
// provenance record's sections and JSON (record.h), at the top level of the run record.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gitmodel/status.h"
#include "provenance/record.h"

namespace gitmodel {

inline constexpr std::string_view kRunSchema = "git-model/run/v1";

// "running" until the end; then "finished" (exit 0), "failed" (another exit code), "killed" (a
// signal) or "not-started" (the command could not be executed).
inline constexpr std::string_view kRunRunning = "running";
inline constexpr std::string_view kRunFinished = "finished";
inline constexpr std::string_view kRunFailed = "failed";
inline constexpr std::string_view kRunKilled = "killed";
inline constexpr std::string_view kRunNotStarted = "not-started";

struct MetricSummary {
  double last = 0;  // by line order; NaN and infinities included
  std::optional<double> min;  // over the finite values, if any
  std::optional<double> max;
  uint64_t count = 0;
  std::optional<int64_t> last_step;
};

struct RunCheckpoint {
  std::string path;  // relative to the repository root
  std::string fingerprint;
  std::string file_sha256;  // after stamping
};

struct RunRecord {
  std::string id;
  std::string name;
  std::map<std::string, std::string> tags;
  std::vector<std::string> command;
  std::string cwd;  // relative to the repository root ("." at the root)
  std::string status{kRunRunning};
  std::string start;  // RFC 3339 UTC
  std::string end;    // empty while running
  std::optional<double> wall_seconds;
  std::optional<int> exit_code;
  std::optional<int> signal;
  bool core_dumped = false;
  std::optional<int64_t> peak_rss_kb;
  std::optional<double> user_seconds;
  std::optional<double> system_seconds;
  std::map<std::string, MetricSummary> metrics;
  uint64_t metric_lines = 0;
  std::vector<std::string> metric_warnings;  // the first ones (metrics_file.h)
  uint64_t metric_warnings_dropped = 0;
  std::vector<RunCheckpoint> checkpoints;
  // git, hyperparams, hyperparam_sources, config, env, data (the artifact and metrics are unused).
  ProvenanceRecord capture;
};

// The command as one line, each argument quoted for a POSIX shell when it needs it.
std::string CommandLine(const std::vector<std::string>& argv);

nlohmann::json RunRecordToJson(const RunRecord& record);
// Pretty-printed JSON ending in a newline.
std::string SerializeRunRecord(const RunRecord& record);
// Corrupt (naming the field) when malformed; Unsupported for another schema.
Result<RunRecord> ParseRunRecord(std::string_view json_text);

}  // namespace gitmodel
