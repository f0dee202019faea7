#include "runs/lineage.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <unordered_map>
#include <utility>

#include "git/commit_log.h"
#include "hyperparams/param_history_cache.h"

namespace gitmodel {
namespace {

Result<std::vector<ParamCommit>> ParamChanges(const GitRepo& repo, const LineageOptions& options) {
  if (options.param_cache_dir.empty()) return ParamHistory(repo, options.walk, options.params);
  GM_ASSIGN_OR_RETURN(CachedHistory cached,
                      CachedParamHistory(repo, options.walk, options.params, options.param_cache_dir));
  return std::move(cached.commits);
}

// Moves each commit's param changes onto its lineage entry (commits not shown are dropped).
void AttachParams(std::vector<ParamCommit> changed, std::vector<LineageCommit>& lineage) {
  std::unordered_map<std::string, LineageCommit*> by_id;
  for (LineageCommit& entry : lineage) by_id.emplace(entry.commit.id, &entry);
  for (ParamCommit& c : changed) {
    auto it = by_id.find(c.commit.id);
    if (it != by_id.end()) it->second->params = std::move(c.files);
  }
}

// Runs and their checkpoints from the index at `path`, onto the commits they were recorded at.
Status AttachRuns(const std::string& path, const std::vector<std::string>& metrics,
                  std::vector<LineageCommit>& lineage) {
  std::error_code ec;
  if (lineage.empty() || path.empty() || !std::filesystem::exists(path, ec)) return OkStatus();
  GM_ASSIGN_OR_RETURN(RunIndex index, RunIndex::Open(path));
  std::vector<std::string> commits;
  std::unordered_map<std::string, LineageCommit*> by_id;
  for (LineageCommit& entry : lineage) {
    commits.push_back(entry.commit.id);
    by_id.emplace(entry.commit.id, &entry);
  }
  GM_ASSIGN_OR_RETURN(std::vector<RunRow> rows, index.AtCommits(commits, metrics));
  std::vector<std::string> run_ids;
  run_ids.reserve(rows.size());
  for (const RunRow& row : rows) run_ids.push_back(row.id);
  GM_ASSIGN_OR_RETURN(std::vector<std::vector<RunCheckpoint>> checkpoints, index.CheckpointsOf(run_ids));
  for (size_t i = 0; i < rows.size(); ++i) {
    auto entry = by_id.find(rows[i].commit);
    if (entry == by_id.end()) continue;
    entry->second->runs.push_back({std::move(rows[i]), std::move(checkpoints[i])});
  }
  return OkStatus();
}

}  // namespace

Result<std::vector<LineageCommit>> BuildLineage(const GitRepo& repo, const LineageOptions& options) {
  GM_ASSIGN_OR_RETURN(std::vector<CommitMeta> commits, LogCommits(repo, options.walk, options.max_commits));
  std::vector<LineageCommit> lineage;
  lineage.reserve(commits.size());
  for (CommitMeta& commit : commits) lineage.push_back({std::move(commit), {}, {}});
  if (lineage.empty()) return lineage;
  GM_ASSIGN_OR_RETURN(std::vector<ParamCommit> changed, ParamChanges(repo, options));
  AttachParams(std::move(changed), lineage);
  GM_RETURN_IF_ERROR(AttachRuns(options.index_path, options.metrics, lineage));
  return lineage;
}

}  // namespace gitmodel
