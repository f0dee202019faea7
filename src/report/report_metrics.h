// The report's Performance section: each metric's value per commit (the median of the last
// values of the finished, clean runs recorded there), first -> last, best, and the commits that
// moved it most (docs/report.md).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "report/change_report.h"
#include "runs/run_index.h"

namespace gitmodel {

struct CommitRuns {
  ReportCommit commit;
  std::vector<RunRow> runs;
};

// True unless the name reads as something to minimise: loss, error, err, perplexity, ppl, mse,
// mae, rmse, wer, cer, nll, latency, time (as a word of the name: "val_loss", "eval/wer").
bool HigherIsBetter(std::string_view key);

// Trends of `metrics` (every metric the runs logged, when empty), by name, over `commits` oldest
// first; a metric no commit has a value of is left out. At most `top_moves` moves each.
std::vector<MetricTrend> MetricTrends(const std::vector<CommitRuns>& commits, const std::vector<std::string>& metrics,
                                      size_t top_moves);

}  // namespace gitmodel
