#include "cli/records_share.h"

#include <fmt/core.h>

#include "cli/render.h"
#include "cli/runs_context.h"
#include "git/default_remote.h"
#include "runs/records_sync.h"
#include "runs/reindex.h"
#include "store/model_remotes.h"

namespace gitmodel::cli {

Result<std::string> RecordsRemote(const std::string& named) {
  if (!named.empty()) return named;
  GM_ASSIGN_OR_RETURN(std::optional<GitRepo> repo, DiscoverRepo("."));
  if (!repo) return InvalidArgument("not in a git repository");
  return DefaultGitRemote(*repo);
}

Status PushRunRecords(const std::string& git_remote, bool quiet) {
  if (git_remote.empty()) return OkStatus();
  GM_ASSIGN_OR_RETURN(RunsContext c, OpenRunsContext());
  GM_ASSIGN_OR_RETURN(RecordsPush pushed, PushRecords(c.repo, git_remote));
  if (pushed.merged) {  // the remote had runs this repository lacked: they are in the ref now
    GM_ASSIGN_OR_RETURN(ReindexStats stats, ReindexRuns(c.repo, c.index, true));
    if (!quiet) fmt::print("merged the run records of {}: {} new or updated\n", git_remote, CountOf(stats.runs, "run"));
  }
  if (pushed.pushed && !quiet) fmt::print("pushed the run records to {}\n", git_remote);
  return OkStatus();
}

Status FetchRunRecords(const std::string& git_remote, bool quiet) {
  if (git_remote.empty()) return OkStatus();
  GM_ASSIGN_OR_RETURN(RunsContext c, OpenRunsContext());
  GM_ASSIGN_OR_RETURN(RecordsFetch fetched, FetchRecords(c.repo, git_remote));
  if (!fetched.remote_has_records) return OkStatus();
  GM_ASSIGN_OR_RETURN(ReindexStats stats, ReindexRuns(c.repo, c.index, true));
  for (const std::string& skipped : stats.skipped) fmt::print(stderr, "git-model: skipped {}\n", skipped);
  if (!quiet) {
    fmt::print("fetched the run records of {}: {} new or updated\n", git_remote, CountOf(stats.runs, "run"));
  }
  return OkStatus();
}

bool NoModelRemotes() {
  Result<std::optional<GitRepo>> repo = DiscoverRepo(".");
  if (!repo.ok() || !*repo) return false;
  Result<std::vector<ModelRemote>> remotes = ListModelRemotes(**repo);
  return remotes.ok() && remotes->empty();
}

}  // namespace gitmodel::cli
