// git model gc [--dry-run] [--grace-days N] [--reflog-days N] [--json]: removes store objects that
// no ref, recent reflog entry, the index or a provenance record needs (docs/storage.md).
#include <fmt/core.h>

#include "cli/command.h"
#include "cli/render.h"
#include "cli/store_context.h"
#include "store/store_gc.h"

namespace gitmodel::cli {
namespace {

struct GcArgs {
  GcOptions options;
  bool json = false;
};

int RunGc(const GcArgs& args) {
  auto context = OpenStoreContext();
  if (!context.ok()) {
    PrintError(context.status().message());
    return kExitError;
  }
  auto report = CollectGarbage((*context)->repo, (*context)->store, args.options);
  if (!report.ok()) {
    PrintError(report.status().message());
    return kExitError;
  }
  const GcReport& r = *report;
  if (args.json) {
    fmt::print("{}\n", JsonLine({{"dry_run", args.options.dry_run}, {"kept", r.kept}, {"removed", r.removed},
                                 {"removed_bytes", r.removed_bytes}, {"temp_files_removed", r.temp_files_removed},
                                 {"missing", r.missing}}));
    return kExitOk;
  }
  fmt::print("{} {} object(s), {}; kept {}; {} stale temp file(s)\n", args.options.dry_run ? "would remove" : "removed",
             r.removed, HumanBytes(r.removed_bytes), r.kept, r.temp_files_removed);
  if (r.missing) fmt::print("note: {} object(s) the history needs are not here (see `git model fsck`)\n", r.missing);
  return kExitOk;
}

}  // namespace

void SetupGc(CLI::App& sub, int* exit_code) {
  auto args = std::make_shared<GcArgs>();
  sub.add_flag("--dry-run,-n", args->options.dry_run, "Only count what would be removed");
  sub.add_option("--grace-days", args->options.grace_days, "Keep every object younger than this (default 14)")
      ->check(CLI::NonNegativeNumber);
  sub.add_option("--reflog-days", args->options.reflog_days,
                 "Keep what reflog entries of the last N days reach (default 90)")
      ->check(CLI::NonNegativeNumber);
  sub.add_flag("--json", args->json, "One JSON document with the counts");
  sub.callback([args, exit_code] { *exit_code = RunGc(*args); });
}

}  // namespace gitmodel::cli
