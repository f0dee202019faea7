// What the run commands (runs, log, reindex) open: the repository and its run index.
#pragma once

#include <string>

#include "git/repo.h"
#include "gitmodel/status.h"
#include "runs/run_index.h"
#include "runs/run_record.h"

namespace gitmodel::cli {

struct RunsContext {
  GitRepo repo;
  std::string git_model_dir;
  RunIndex index;
};

// The repository containing the current directory and its index (created when missing).
Result<RunsContext> OpenRunsContext();

// Shared renderings of runs: "2026-11-29 19:47" from RFC 3339; "1.3 s", "12m 03s", "2h 05m";
// a metric value with 6 significant digits; "exit 0", "signal 9", "not started".
std::string ShortTime(const std::string& rfc3339);
std::string Duration(double seconds);
std::string MetricValue(double value);
std::string ExitText(std::optional<int> exit_code, std::optional<int> signal);

}  // namespace gitmodel::cli
