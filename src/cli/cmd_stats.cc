// git model stats [--json]: what tensor-level dedup and compression save against a full copy of
// every version (what git-lfs and DVC keep), for everything the refs and the index reach.
#include <fmt/core.h>

#include "cli/command.h"
#include "cli/render.h"
#include "cli/store_context.h"
#include "store/store_stats.h"

namespace gitmodel::cli {
namespace {

nlohmann::json StatsJson(const StoreStats& s) {
  return {{"pointers", s.pointers},         {"files", s.files},
          {"logical_bytes", s.logical_bytes}, {"objects", s.chunks},
          {"unique_bytes", s.unique_bytes}, {"stored_bytes", s.stored_bytes},
          {"delta_objects", s.delta_objects}, {"missing_objects", s.missing},
          {"dedup_ratio", s.dedup_ratio()}, {"compression_ratio", s.compression_ratio()},
          {"stored_vs_full_copies", s.saving_ratio()}, {"local_objects", s.local_objects},
          {"local_bytes", s.local_bytes}};
}

void PrintStats(const StoreStats& s) {
  fmt::print("versions: {} distinct file contents at {} paths/commits\n", s.files, s.pointers);
  fmt::print("full copies of every version:   {:>12}  (what git-lfs would store)\n", HumanBytes(s.logical_bytes));
  fmt::print("after tensor-level dedup:       {:>12}  ({:.2f}x less)\n", HumanBytes(s.unique_bytes), s.dedup_ratio());
  fmt::print("stored (compressed, deltas):    {:>12}  ({:.2f}x less again; {} of {} objects are XOR deltas)\n",
             HumanBytes(s.stored_bytes), s.compression_ratio(), s.delta_objects, s.chunks);
  fmt::print("stored / full copies:           {:>12.3f}\n", s.saving_ratio());
  fmt::print("local store: {} objects, {}\n", s.local_objects, HumanBytes(s.local_bytes));
  if (s.missing) fmt::print("{} needed objects are not in the local store (`git model pull`)\n", s.missing);
}

int RunStats(bool json) {
  auto context = OpenStoreContext();
  if (!context.ok()) {
    PrintError(context.status().message());
    return kExitError;
  }
  auto stats = ComputeStoreStats((*context)->repo, (*context)->store);
  if (!stats.ok()) {
    PrintError(stats.status().message());
    return kExitError;
  }
  if (json) {
    fmt::print("{}\n", JsonLine(StatsJson(*stats)));
  } else {
    PrintStats(*stats);
  }
  return kExitOk;
}

}  // namespace

void SetupStats(CLI::App& sub, int* exit_code) {
  auto json = std::make_shared<bool>(false);
  sub.add_flag("--json", *json, "One JSON document with the byte counts and ratios");
  sub.callback([json, exit_code] { *exit_code = RunStats(*json); });
}

}  // namespace gitmodel::cli
