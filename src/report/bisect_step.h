// One step of an online bisect (docs/report.md, "Online bisect"): what `git bisect run` calls at
// each commit it checks out (the hidden command `git model bisect-step`). It runs the command as
// recorded runs (run_recorder.h) until it has `repeat` values of the metric, judges the commit
// by their aggregate, appends what it saw to the session's steps file, and tells git: 0 good,
// 1 bad, 125 skip (the command failed or logged no value, so the commit cannot be tested).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "git/repo.h"
#include "gitmodel/status.h"
#include "report/bisect_rule.h"
#include "report/bisect_search.h"
#include "runs/run_recorder.h"

namespace gitmodel {

struct BisectStepOptions {
  BisectRule rule;
  int repeat = 1;               // values wanted
  bool reuse_recorded = false;  // count the values already recorded at the commit (--fill)
  std::string index_path;       // the run index, for reuse_recorded
  std::string steps_path;       // appended: one JSON line per step
  RunOptions run;               // the command and where its output goes
};

struct BisectStep {
  std::string commit;  // full id of HEAD
  CommitEvidence evidence;
  CommitVerdict verdict;
  std::vector<std::string> run_ids;  // the runs this step recorded
  int git_exit_code = 125;           // 0 good, 1 bad, 125 skip
};

// The runs stop after `repeat` values, at the first failure before any value (a commit that
// cannot run would fail every time), or after 2 * repeat attempts.
Result<BisectStep> RunBisectStep(const GitRepo& repo, const BisectStepOptions& options);

// The evidence in a steps file, by commit (several steps at one commit are merged). A missing
// file is empty; kCorrupt naming the line for one that does not parse.
Result<std::map<std::string, CommitEvidence>> ReadBisectSteps(const std::string& steps_path);

}  // namespace gitmodel
