#include "report/offline_bisect.h"

namespace gitmodel {

void JudgeAndSearch(const BisectRule& rule, RecordedBisect& bisect) {
  bisect.verdicts.clear();
  std::vector<Verdict> verdicts;
  for (const CommitEvidence& e : bisect.evidence) {
    bisect.verdicts.push_back(JudgeCommit(e, rule));
    verdicts.push_back(bisect.verdicts.back().verdict);
  }
  bisect.search = SearchFirstBad(verdicts);
}

Result<RecordedBisect> BisectRecordedRuns(const GitRepo& repo, const BisectRangeOptions& range,
                                          const BisectRule& rule, const std::string& index_path) {
  RecordedBisect bisect;
  GM_ASSIGN_OR_RETURN(bisect.commits, BisectCommits(repo, range));
  GM_ASSIGN_OR_RETURN(bisect.evidence, RecordedEvidence(index_path, bisect.commits, rule.metric));
  JudgeAndSearch(rule, bisect);
  return bisect;
}

}  // namespace gitmodel
