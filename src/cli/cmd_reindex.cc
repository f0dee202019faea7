// git model reindex [--json]: rebuilds the run index from the records ref (docs/runs.md).
#include <fmt/core.h>

#include "cli/command.h"
#include "cli/render.h"
#include "cli/runs_context.h"
#include "runs/reindex.h"

namespace gitmodel::cli {
namespace {

int RunReindex(bool json) {
  Result<RunsContext> c = OpenRunsContext();
  Result<ReindexStats> stats = c.ok() ? ReindexRuns(c->repo, c->index, false) : Result<ReindexStats>(c.status());
  if (!stats.ok()) {
    PrintError(stats.status().message());
    return kExitError;
  }
  for (const std::string& skipped : stats->skipped) fmt::print(stderr, "git-model: skipped {}\n", skipped);
  if (json) {
    fmt::print("{}\n", JsonLine({{"runs", stats->runs}, {"metric_points", stats->metric_points},
                                 {"skipped", stats->skipped}}));
  } else {
    fmt::print("indexed {} from refs/git-model/records, {}\n", CountOf(stats->runs, "run"),
               CountOf(stats->metric_points, "metric point"));
  }
  return stats->skipped.empty() ? kExitOk : kExitNegative;
}

}  // namespace

void SetupReindex(CLI::App& sub, int* exit_code) {
  auto json = std::make_shared<bool>(false);
  sub.add_flag("--json", *json, "The counts as one JSON document");
  sub.footer("The index (.git/git-model/index.db) is a cache of refs/git-model/records; this rebuilds its runs. "
             "Exit status: 0 done, 1 some records could not be read (listed), 2 an error.");
  sub.callback([json, exit_code] { *exit_code = RunReindex(*json); });
}

}  // namespace gitmodel::cli
