// git model fetch [REMOTE] [REV...] [--json]: downloads the store objects that the pointers at
// REV (default HEAD, and the index) need and the local store lacks; `git model pull` also checks
// the files out (docs/storage.md).
#include <fmt/core.h>

#include "cli/command.h"
#include "cli/fetch_objects.h"
#include "cli/render.h"

namespace gitmodel::cli {
namespace {

struct FetchArgs {
  std::string remote;
  std::vector<std::string> revisions;
  bool json = false;
};

int RunFetch(const FetchArgs& args) {
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
  sub.add_flag("--json", args->json, "One JSON document with the counts");
  sub.callback([args, exit_code] { *exit_code = RunFetch(*args); });
}

}  // namespace gitmodel::cli
