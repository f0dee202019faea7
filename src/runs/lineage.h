// The model's lineage, commit by commit: what `git model log` shows (docs/runs.md, "git model
// log"). For each commit of a range, newest first as `git log` lists it: its metadata, the
// hyperparameters it changed (ParamHistory, through the params cache), the runs recorded at it
// (the run index) and the checkpoints those runs wrote. The CLI renders the result as text or
// as the JSON document its header describes (src/cli/cmd_log.cc).
//
// Cost: the commit walk (libgit2 orders the whole range topologically, as `git log --topo-order`
// does, then only the first `max_commits` commits are read), the param history of the range
// (for a single revision a params-cache hit once `params` or `log` has run; a range A..B walks
// its commits' configs), and index reads: one per commit shown and two per run shown, in two
// read transactions. Nothing reads the runs of commits that are not shown. 10,000 runs over
// 1,000 commits, all shown: about 120 ms for the whole command, text output included.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "git/file_history.h"
#include "git/repo.h"
#include "gitmodel/status.h"
#include "hyperparams/param_history.h"
#include "runs/run_index.h"
#include "runs/run_record.h"

namespace gitmodel {

struct LineageOptions {
  HistoryOptions walk;                                    // the range and --first-parent
  size_t max_commits = std::numeric_limits<size_t>::max();  // -n
  ParamQuery params;            // which configs (and keys) count as hyperparameters
  std::string param_cache_dir;  // ParamCacheDir(repo); empty: walk the history without the cache
  std::string index_path;       // the run index; when the file does not exist there are no runs
  std::vector<std::string> metrics;  // metric names to keep in each run's summaries; empty: all
};

struct LineageRun {
  RunRow run;                             // with the summaries `metrics` selects
  std::vector<RunCheckpoint> checkpoints;  // in path order
};

struct LineageCommit {
  CommitMeta commit;
  std::vector<FileParamChanges> params;  // empty when the commit changed no selected value
  std::vector<LineageRun> runs;          // recorded at this commit, oldest first
};

// The lineage of `options.walk`'s first `max_commits` commits. The index is only read, never
// created. Errors: a range that names no commit (kNotFound / kInvalidArgument), an unreadable
// repository, an index that cannot be opened or read.
Result<std::vector<LineageCommit>> BuildLineage(const GitRepo& repo, const LineageOptions& options);

}  // namespace gitmodel
