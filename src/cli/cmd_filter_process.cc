// git-model filter-process: git's long-running filter process for files with `filter=git-model`
// (git starts it: filter.git-model.process, set by `git model install`). Clean stores the file's
// chunks and answers with a pointer; smudge rebuilds the file from the store (docs/storage.md).
#include <signal.h>

#include <fmt/core.h>

#include "cli/command.h"
#include "cli/render.h"
#include "cli/store_context.h"
#include "cli/transfer_runner.h"
#include "store/model_remotes.h"
#include "store/store_filter.h"
#include "store/store_settings.h"
#include "store/transfer.h"

namespace gitmodel::cli {
namespace {

void Warn(const std::string& line) { fmt::print(stderr, "git-model: warning: {}\n", line); }

// Fetches what a smudge needs from the default git-model remote, connected on first use; without
// one, the filter checks out the pointer and warns.
class DefaultRemoteFetcher {
 public:
  explicit DefaultRemoteFetcher(const StoreContext& context) : context_(context) {}

  Status operator()(const std::vector<ObjectId>& ids) {
    if (!remote_) GM_RETURN_IF_ERROR(Connect());
    GM_ASSIGN_OR_RETURN(TransferReport report, DownloadObjects(context_.store, *remote_, ids, TransferOptions{}));
    return TransferFailures(report);
  }

 private:
  Status Connect() {
    GM_ASSIGN_OR_RETURN(std::optional<ModelRemote> remote, DefaultModelRemote(context_.repo));
    if (!remote) return NotFound("the objects are not in the local store and no git-model remote is configured");
    GM_ASSIGN_OR_RETURN(remote_, ConnectModelRemote(*remote));
    return OkStatus();
  }

  const StoreContext& context_;
  std::unique_ptr<Remote> remote_;
};

int RunFilterProcessCommand() {
  ::signal(SIGPIPE, SIG_IGN);  // a closed pipe is an EPIPE error from write, reported to git
  auto context = OpenStoreContext();
  if (!context.ok()) {
    PrintError(context.status().message());
    return kExitError;
  }
  StoreContext& c = **context;
  Result<uint8_t> max_delta_depth = ReadMaxDeltaDepth(c.repo);
  if (!max_delta_depth.ok()) {
    PrintError(max_delta_depth.status().message());
    return kExitError;
  }
  DefaultRemoteFetcher fetcher(c);
  StoreFilter filter{&c.repo, c.store, c.tmp_dir(), std::ref(fetcher), Warn, *max_delta_depth};
  FilterProcessOptions options;
  options.on_error = [](const FilterRequest& request, const Status& status) {
    fmt::print(stderr, "git-model: {} {}: {}\n", request.command, request.pathname, status.message());
  };
  Status served = RunFilterProcess(0, 1, StoreFilterHandler(filter), options);
  if (!served.ok()) {
    PrintError(served.message());
    return kExitError;
  }
  return kExitOk;
}

}  // namespace

void SetupFilterProcess(CLI::App& sub, int* exit_code) {
  sub.footer("git runs this (filter.git-model.process); it speaks git's filter protocol on stdin/stdout.");
  sub.callback([exit_code] { *exit_code = RunFilterProcessCommand(); });
}

}  // namespace gitmodel::cli
