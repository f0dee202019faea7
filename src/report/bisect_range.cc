#include "report/bisect_range.h"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <system_error>
#include <unordered_map>

#include "git/ancestry.h"
#include "git/commit_log.h"
#include "runs/run_index.h"
#include "runs/run_record.h"

namespace gitmodel {

Result<std::vector<CommitMeta>> BisectCommits(const GitRepo& repo, const BisectRangeOptions& options) {
  GM_ASSIGN_OR_RETURN(CommitMeta good, ReadCommitMeta(repo, options.good));
  GM_ASSIGN_OR_RETURN(CommitMeta bad, ReadCommitMeta(repo, options.bad));
  if (good.id == bad.id) return InvalidArgument("--good and --bad both name commit {}", good.id.substr(0, 12));
  GM_ASSIGN_OR_RETURN(bool ancestor, IsAncestor(repo, good.id, bad.id));
  if (!ancestor) {
    return InvalidArgument("--good {} is not an ancestor of --bad {}: nothing between them to search",
                           options.good, options.bad);
  }
  HistoryOptions walk{good.id + ".." + bad.id, options.first_parent};
  GM_ASSIGN_OR_RETURN(std::vector<CommitMeta> range, LogCommits(repo, walk, std::numeric_limits<size_t>::max()));
  std::reverse(range.begin(), range.end());  // oldest first; the bad revision is now last
  range.insert(range.begin(), std::move(good));
  return range;
}

Result<std::vector<CommitEvidence>> RecordedEvidence(const std::string& index_path,
                                                     const std::vector<CommitMeta>& commits,
                                                     const std::string& metric) {
  std::vector<CommitEvidence> evidence(commits.size());
  std::error_code ec;
  if (!std::filesystem::exists(index_path, ec)) return evidence;
  std::unordered_map<std::string, size_t> position;
  for (size_t i = 0; i < commits.size(); ++i) position.emplace(commits[i].id, i);
  GM_ASSIGN_OR_RETURN(RunIndex index, RunIndex::Open(index_path));
  GM_ASSIGN_OR_RETURN(std::vector<RunMetricValue> runs, index.MetricValues(metric));
  for (const RunMetricValue& run : runs) {
    auto at = position.find(run.commit);
    if (at == position.end() || run.dirty || run.status == kRunRunning) continue;
    CommitEvidence& e = evidence[at->second];
    if (run.status == kRunFinished && run.last) e.values.push_back(*run.last);
    else ++e.runs_without_value;
  }
  return evidence;
}

}  // namespace gitmodel
