// The commits a bisect searches and what the run index knows about each (docs/report.md,
// "git model bisect").
#pragma once

#include <string>
#include <vector>

#include "git/file_history.h"
#include "git/repo.h"
#include "gitmodel/status.h"
#include "report/bisect_search.h"
#include "runs/run_index.h"

namespace gitmodel {

struct BisectRangeOptions {
  std::string good;  // revisions
  std::string bad;
  bool first_parent = false;
};

// The full ids of the good revision, then the commits of good..bad oldest first, the bad revision
// last: the order `git bisect` narrows (for a history with merges, topological order).
// kInvalidArgument when good is not an ancestor of bad (along first parents with first_parent), or
// both name one commit; kNotFound naming a revision that is no commit.
Result<std::vector<std::string>> BisectCommits(const GitRepo& repo, const BisectRangeOptions& options);

// For each of `commits` (full ids), the values of `metric` from the runs the index at `index_path` recorded
// there: finished runs' last values; failed, killed and unstarted runs, and finished runs without
// the metric, count as runs without a value. Runs with uncommitted changes (dirty) are ignored: they
// did not run the commit. No index file: no evidence.
Result<std::vector<CommitEvidence>> RecordedEvidence(const std::string& index_path,
                                                     const std::vector<std::string>& commits,
                                                     const std::string& metric);

// RecordedEvidence in two halves, so that the index can be read while the history is walked:
// every run's value of `metric` (none without an index file), then the evidence they give.
Result<std::vector<RunMetricValue>> ReadMetricValues(const std::string& index_path, const std::string& metric);
std::vector<CommitEvidence> EvidenceOf(const std::vector<RunMetricValue>& runs, const std::vector<std::string>& commits);

}  // namespace gitmodel
