// git-model filter-process: git's long-running filter process for files with `filter=git-model`
// (git starts it: filter.git-model.process, set by `git model install`). Clean stores the file's
// chunks and answers with a pointer; smudge rebuilds the file from the store (docs/storage.md).
#include <signal.h>

#include <fmt/core.h>

#include "cli/command.h"
#include "cli/render.h"
#include "cli/store_context.h"
#include "store/store_filter.h"

namespace gitmodel::cli {
namespace {

void Warn(const std::string& line) { fmt::print(stderr, "git-model: warning: {}\n", line); }

int RunFilterProcessCommand() {
  ::signal(SIGPIPE, SIG_IGN);  // a closed pipe is an EPIPE error from write, reported to git
  auto context = OpenStoreContext();
  if (!context.ok()) {
    PrintError(context.status().message());
    return kExitError;
  }
  StoreContext& c = **context;
  StoreFilter filter{&c.repo, c.store, c.tmp_dir(), {}, Warn};
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
