// Building the change report (change_report.h) of a period from git, the params history and the
// run index: what `git model report` renders (docs/report.md).
//
// Cost: the walk of the range (every commit's metadata), the params history (through the params
// cache), one tree diff per commit of the period (for churn and checkpoints), two versions of each
// checkpoint a commit of the period changed (materialized, pointers rebuilt from the store, only
// their headers parsed), and index reads for the period's runs (one record each, for the
// environment).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "git/file_history.h"
#include "git/repo.h"
#include "gitmodel/status.h"
#include "hyperparams/param_history.h"
#include "report/change_report.h"

namespace gitmodel {

struct ReportOptions {
  HistoryOptions walk;                  // the range ("HEAD" by default) and --first-parent
  std::optional<int64_t> since, until;  // author time bounds, inclusive, seconds since the epoch
  std::vector<std::string> metrics;     // metrics to report; empty: every one recorded
  ParamQuery params;                    // which configs hold hyperparameters
  std::string param_cache_dir;          // ParamCacheDir(repo)
  std::string index_path;               // the run index; a missing file means no runs
  size_t top_files = 10;                // churn rows
  size_t top_moves = 3;                 // biggest moves per metric
};

// Errors: a range that names no commit, an unreadable repository or index. A checkpoint that
// cannot be read is not an error: its architecture entry says why.
Result<ChangeReport> BuildChangeReport(const GitRepo& repo, const ReportOptions& options);

}  // namespace gitmodel
