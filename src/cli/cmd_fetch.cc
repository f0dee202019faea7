// git model fetch [REMOTE] [REV...] [--git-remote NAME] [--json]: fetches and merges the run
// records of the git remote and indexes the new runs (docs/runs.md), then downloads the store
// objects that the pointers at REV (default HEAD, and the index) need and the local store lacks;
// `git model pull` also checks the files out (docs/storage.md).
#include <fmt/core.h>

#include "cli/command.h"
#include "cli/fetch_objects.h"
#include "cli/records_share.h"
#include "cli/render.h"

namespace gitmodel::cli {
namespace {

struct FetchArgs {
  std::string remote;
  std::string git_remote;
  std::vector<std::string> revisions;
  bool json = false;
};

// Runs from the git remote; then the objects from the git-model remote, when there is one.
int RunFetch(const FetchArgs& args) {
  Result<std::string> git_remote = RecordsRemote(args.git_remote);
  Status shared = git_remote.ok() ? FetchRunRecords(*git_remote, args.json) : git_remote.status();
  if (!shared.ok()) {
    PrintError(shared.message());
    return kExitError;
  }
  if (args.remote.empty() && NoModelRemotes()) {
    if (!args.json) fmt::print("no git-model remote: stored objects not fetched (git model remote add NAME URL)\n");
    return kExitOk;
  }
  auto fetched = FetchObjectsFor(args.remote, args.revisions);
  if (!fetched.ok()) {
    PrintError(fetched.status().message());
    return kExitError;
  }
  PrintFetchSummary(*fetched, args.json);
  return fetched->ok() ? kExitOk : kExitError;
}

}  // namespace

void SetupFetch(CLI::App& sub, int* exit_code) {
  auto args = std::make_shared<FetchArgs>();
  sub.add_option("remote", args->remote, "A git-model remote (default: git-model.defaultRemote, origin, or the only one)");
  sub.add_option("revisions", args->revisions, "Commits whose files to fetch (default: HEAD and the index)");
  sub.add_option("--git-remote", args->git_remote, "The git remote to fetch run records from (default: the one "
                                                   "`git fetch` uses)");
  sub.add_flag("--json", args->json, "One JSON document with the counts");
  sub.callback([args, exit_code] { *exit_code = RunFetch(*args); });
}

}  // namespace gitmodel::cli
