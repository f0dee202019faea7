// What `git model bisect` answers (docs/report.md): the first bad commit, or the commits it could
// be; the values around it; what it changed (hyperparameters, files) and who made it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "git/file_history.h"
#include "git/repo.h"
#include "git/tree_changes.h"
#include "gitmodel/status.h"
#include "hyperparams/param_history.h"
#include "report/bisect_rule.h"
#include "report/bisect_search.h"

namespace gitmodel {

struct BisectRow {
  CommitMeta commit;
  CommitVerdict verdict;
  size_t runs = 0;  // with a value
  size_t runs_without_value = 0;
  bool candidate = false;  // could be the first bad commit
};

struct BisectResult {
  BisectRule rule;
  std::string mode;  // "offline", "online", "offline+fill"
  CommitMeta good, bad;
  std::vector<CommitMeta> candidates;  // exactly one when the first bad commit is found
  std::vector<BisectRow> around;       // tested commits near the answer and the candidates, oldest first
  size_t commits = 0;   // strictly between good and bad, plus bad
  size_t tested = 0;    // of those, good or bad
  size_t skipped = 0;
  size_t untested = 0;
  std::vector<std::string> warnings;
  // What the first bad commit changed against its first parent (when found).
  std::vector<FileParamChanges> params;
  std::vector<FileChange> files;

  bool found() const { return candidates.size() == 1; }
};

// The result of a search over `commits` (good first, bad last; only the commits shown are read) with their evidence and verdicts:
// its candidates (the online bisect puts git's answer there) and contradictions. `context`: how
// many tested or skipped commits to show on each side of the candidates (all when 0).
struct BisectFacts {
  const std::vector<std::string>* commits;  // full ids
  const std::vector<CommitEvidence>* evidence;
  const std::vector<CommitVerdict>* verdicts;
  const BisectSearch* search;
};
Result<BisectResult> SummarizeBisect(const GitRepo& repo, const BisectRule& rule, const BisectFacts& facts,
                                     const ParamQuery& params, size_t context);

}  // namespace gitmodel
