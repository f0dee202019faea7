// `git model bisect --offline`: the first bad commit from recorded runs alone (docs/report.md).
// Nothing is run and nothing is checked out; the commits without runs are the uncertainty left,
// and `--fill` (the CLI, through git_bisect.h) runs only those the search asks for.
//
// Cost: the walk of good..bad (libgit2), one index statement over every run with the metric, and
// a linear pass; 10,000 commits with a run each: see bench/RESULTS.md ("Offline bisect").
#pragma once

#include <string>
#include <vector>

#include "git/file_history.h"
#include "git/repo.h"
#include "gitmodel/status.h"
#include "report/bisect_range.h"
#include "report/bisect_rule.h"
#include "report/bisect_search.h"

namespace gitmodel {

struct RecordedBisect {
  std::vector<std::string> commits;  // full ids: good first, bad last
  std::vector<CommitEvidence> evidence;
  std::vector<CommitVerdict> verdicts;
  BisectSearch search;
};

// The search over `range` with the runs in the index at `index_path`.
Result<RecordedBisect> BisectRecordedRuns(const GitRepo& repo, const BisectRangeOptions& range,
                                          const BisectRule& rule, const std::string& index_path);

// Verdicts of `evidence` by `rule`, and the search over them.
void JudgeAndSearch(const BisectRule& rule, RecordedBisect& bisect);

}  // namespace gitmodel
