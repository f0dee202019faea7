// Running `git model bisect` (docs/report.md): online through real `git bisect run` with
// `git model bisect-step` at each commit, or offline from recorded runs, `--fill` running just
// the commits the answer needs.
#pragma once

#include <string>
#include <vector>

#include "git/repo.h"
#include "gitmodel/status.h"
#include "hyperparams/param_history.h"
#include "report/bisect_range.h"
#include "report/bisect_result.h"
#include "report/bisect_rule.h"

namespace gitmodel {

struct BisectSessionOptions {
  BisectRangeOptions range;
  BisectRule rule;
  int repeat = 1;
  std::vector<std::string> command;  // empty offline without fill
  std::string step_program;          // the git-model binary git bisect run calls
  std::string cwd;                   // where each step runs the command
  ParamQuery params;                 // for what the first bad commit changed
};

// Online: git bisect runs the steps; the evidence is what they saw, the answer git's.
Result<BisectResult> BisectOnline(const GitRepo& repo, const BisectSessionOptions& options);

// Offline from the run index; with `fill`, an online bisect over the commits still in doubt first.
Result<BisectResult> BisectOffline(const GitRepo& repo, const BisectSessionOptions& options, bool fill);

}  // namespace gitmodel
