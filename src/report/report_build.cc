#include "report/report_build.h"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>
#include <system_error>
#include <unordered_map>
#include <unordered_set>

#include "git/commit_log.h"
#include "git/tree_changes.h"
#include "hyperparams/param_history_cache.h"
#include "report/commit_kind.h"
#include "report/report_architecture.h"
#include "report/report_env.h"
#include "report/report_metrics.h"
#include "runs/run_index.h"

namespace gitmodel {
namespace {

ReportCommit ToReportCommit(const CommitMeta& c) { return {c.id, c.author, c.time, c.offset_minutes, c.subject}; }

// The range's commits whose author time is in the period, oldest first.
Result<std::vector<CommitMeta>> PeriodCommits(const GitRepo& repo, const ReportOptions& options) {
  GM_ASSIGN_OR_RETURN(std::vector<CommitMeta> all, LogCommits(repo, options.walk, std::numeric_limits<size_t>::max()));
  std::vector<CommitMeta> period;
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    if (options.since && it->time < *options.since) continue;
    if (options.until && it->time > *options.until) continue;
    period.push_back(std::move(*it));
  }
  return period;
}

void Summarize(const std::vector<CommitMeta>& commits, const ReportOptions& options, ReportSummary& s) {
  s.range = options.walk.range.empty() ? "HEAD" : options.walk.range;
  s.since = options.since;
  s.until = options.until;
  s.commits = commits.size();
  std::map<std::pair<std::string, std::string>, size_t> authors;
  for (const CommitMeta& c : commits) {
    ++authors[{c.author, c.email}];
    s.first_time = std::min(s.first_time.value_or(c.time), c.time);
    s.last_time = std::max(s.last_time.value_or(c.time), c.time);
  }
  for (const auto& [who, count] : authors) s.authors.push_back({who.first, who.second, count});
  std::stable_sort(s.authors.begin(), s.authors.end(), [](const AuthorCount& a, const AuthorCount& b) { return a.commits > b.commits; });
}

std::vector<FeatureGroup> Features(const std::vector<CommitMeta>& commits) {
  std::map<std::string, std::vector<FeatureItem>> by_kind;
  for (const CommitMeta& c : commits) {
    CommitKind kind = ClassifySubject(c.subject);
    by_kind[kind.kind].push_back({ToReportCommit(c), std::move(kind.scope), std::move(kind.description), kind.breaking});
  }
  std::vector<FeatureGroup> groups;
  for (const KindTitle& t : KindTitles()) {
    auto it = by_kind.find(std::string(t.kind));
    if (it != by_kind.end()) groups.push_back({std::string(t.kind), std::string(t.title), std::move(it->second)});
  }
  return groups;
}

Result<std::vector<HyperparamChange>> Hyperparams(const GitRepo& repo, const ReportOptions& options,
                                                  const std::vector<CommitMeta>& commits) {
  GM_ASSIGN_OR_RETURN(CachedHistory history, CachedParamHistory(repo, options.walk, options.params, options.param_cache_dir));
  std::unordered_set<std::string> in_period;
  for (const CommitMeta& c : commits) in_period.insert(c.id);
  std::vector<HyperparamChange> out;
  for (auto it = history.commits.rbegin(); it != history.commits.rend(); ++it) {  // oldest first
    if (!in_period.count(it->commit.id)) continue;
    for (const FileParamChanges& file : it->files)
      for (const ParamChange& change : file.changes) out.push_back({ToReportCommit(it->commit), file.path, change});
  }
  return out;
}

// One checkpoint a commit changed, against its first parent's version.
ArchitectureChange CheckpointChange(const GitRepo& repo, const CommitMeta& commit, const FileChange& file) {
  ArchitectureChange change;
  change.path = file.path;
  change.commit = ToReportCommit(commit);
  auto fail = [&](const Status& s) { change.error = s.message(); return change; };
  Result<CheckpointLayout> after = LayoutAt(repo, commit.id, file.path);
  if (!after.ok()) return fail(after.status());
  std::optional<CheckpointLayout> before;
  if (file.status == 'M' || (file.status == 'R' && IsCheckpointPath(file.old_path))) {
    Result<CheckpointLayout> old = LayoutAt(repo, commit.parents.front(), file.status == 'R' ? file.old_path : file.path);
    if (!old.ok()) return fail(old.status());
    before = std::move(*old);
    change.previous_commit = commit.parents.front();
  }
  CompareLayouts(before, *after, change);
  return change;
}

struct ChurnCount {
  size_t commits = 0;
  uint64_t added = 0, deleted = 0;
};

// Churn and checkpoint changes from each non-merge commit's diff against its parent (merges are
// left out, as `git log --name-only` leaves them out).
Status TreeChanges(const GitRepo& repo, const std::vector<CommitMeta>& commits, const ReportOptions& options,
                   ChangeReport& report) {
  std::map<std::string, ChurnCount> churn;
  for (const CommitMeta& c : commits) {
    if (c.parents.size() > 1) continue;
    GM_ASSIGN_OR_RETURN(std::vector<FileChange> files, ChangesBetween(repo, c.parents.empty() ? "" : c.parents.front(), c.id));
    for (const FileChange& f : files) {
      ChurnCount& count = churn[f.path];
      ++count.commits, count.added += f.added_lines, count.deleted += f.deleted_lines;
      if (f.status == 'D' || !IsCheckpointPath(f.path)) continue;
      ArchitectureChange change = CheckpointChange(repo, c, f);
      if (ArchitectureChanged(change)) report.architecture.push_back(std::move(change));
    }
  }
  for (const auto& [path, count] : churn) report.churn.push_back({path, count.commits, count.added, count.deleted});
  std::stable_sort(report.churn.begin(), report.churn.end(), [](const FileChurn& a, const FileChurn& b) { return a.commits > b.commits; });
  if (report.churn.size() > options.top_files) report.churn.resize(options.top_files);
  return OkStatus();
}

// Runs at the period's commits: the summary's counts, the metric trends, the environment.
Status Runs(const std::vector<CommitMeta>& commits, const ReportOptions& options, ChangeReport& report) {
  std::error_code ec;
  if (options.index_path.empty() || !std::filesystem::exists(options.index_path, ec) || commits.empty()) return OkStatus();
  GM_ASSIGN_OR_RETURN(RunIndex index, RunIndex::Open(options.index_path));
  std::vector<std::string> ids;
  std::unordered_map<std::string, size_t> position;
  for (const CommitMeta& c : commits) position.emplace(c.id, ids.size()), ids.push_back(c.id);
  GM_ASSIGN_OR_RETURN(std::vector<RunRow> rows, index.AtCommits(ids, options.metrics));
  std::vector<CommitRuns> by_commit;
  for (const CommitMeta& c : commits) by_commit.push_back({ToReportCommit(c), {}});
  std::vector<RunEnvironment> environments;
  for (RunRow& row : rows) {
    const CommitRuns& at = by_commit[position.at(row.commit)];
    ++report.summary.runs;
    if (row.status != kRunFinished && row.status != kRunRunning) ++report.summary.failed_runs;
    GM_ASSIGN_OR_RETURN(RunRecord record, index.Get(row.id));
    environments.push_back({row.id, at.commit, std::move(record.capture.env)});
    by_commit[position.at(row.commit)].runs.push_back(std::move(row));
  }
  report.performance = MetricTrends(by_commit, options.metrics, options.top_moves);
  EnvironmentChanges(environments, report.environment, report.environment_unchanged);
  return OkStatus();
}

}  // namespace

Result<ChangeReport> BuildChangeReport(const GitRepo& repo, const ReportOptions& options) {
  GM_ASSIGN_OR_RETURN(std::vector<CommitMeta> commits, PeriodCommits(repo, options));
  ChangeReport report;
  Summarize(commits, options, report.summary);
  report.features = Features(commits);
  GM_ASSIGN_OR_RETURN(report.hyperparams, Hyperparams(repo, options, commits));
  GM_RETURN_IF_ERROR(TreeChanges(repo, commits, options, report));
  GM_RETURN_IF_ERROR(Runs(commits, options, report));
  return report;
}

}  // namespace gitmodel
