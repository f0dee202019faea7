// `git model runs compare ID ID...` (docs/runs.md): runs side by side. Hyperparameters with the
// ones that differ marked, metric summaries, environment differences, and the code changes from
// the first run's commit to each other run's (plus their uncommitted patches).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "git/tree_changes.h"
#include "gitmodel/status.h"
#include "runs/run_record.h"

namespace gitmodel {

class GitRepo;

struct ComparedValue {
  std::string key;
  std::vector<std::optional<std::string>> values;  // one per run; nullopt: the run lacks it
  bool differs = false;
};

struct ComparedMetric {
  std::string key;
  std::vector<std::optional<MetricSummary>> values;  // one per run
};

struct CodeChanges {
  std::string from_commit;  // the first run's
  std::string to_commit;    // this run's
  std::vector<FileChange> files;
  std::string error;        // why they could not be listed (a commit missing here), else empty
};

struct RunComparison {
  std::vector<RunRecord> runs;
  std::vector<ComparedValue> params;       // every key of any run, sorted
  std::vector<ComparedMetric> metrics;     // every key of any run, sorted
  std::vector<ComparedValue> environment;  // the keys that differ between any two runs
  std::vector<CodeChanges> code;           // for runs[1..]: changes from runs[0]'s commit
};

// At least two runs. Code changes need the commits in `repo`; a missing one is reported in
// CodeChanges::error, not as a failure.
Result<RunComparison> CompareRuns(const GitRepo& repo, std::vector<RunRecord> runs);

}  // namespace gitmodel
