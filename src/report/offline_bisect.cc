#include "report/offline_bisect.h"

#include <future>

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
  // The index is read on another thread while this one walks the history (10,000 commits: the
  // two take about 20 and 50 ms).
  auto runs = std::async(std::launch::async, [&] { return ReadMetricValues(index_path, rule.metric); });
  GM_ASSIGN_OR_RETURN(bisect.commits, BisectCommits(repo, range));
  GM_ASSIGN_OR_RETURN(std::vector<RunMetricValue> values, runs.get());
  bisect.evidence = EvidenceOf(values, bisect.commits);
  JudgeAndSearch(rule, bisect);
  return bisect;
}

}  // namespace gitmodel
