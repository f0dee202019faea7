// git model fsck [--json]: verifies every object in the local store and lists what the
// repository's history needs but the store lacks (docs/storage.md). Exit 0 clean, 1 problems.
#include <fmt/core.h>

#include "cli/command.h"
#include "cli/progress_bar.h"
#include "cli/render.h"
#include "cli/store_context.h"
#include "store/store_fsck.h"

namespace gitmodel::cli {
namespace {

nlohmann::json ReportJson(const FsckReport& r) {
  nlohmann::json damaged = nlohmann::json::array(), missing = nlohmann::json::array();
  for (const auto& [id, why] : r.damaged) damaged.push_back({{"object", ObjectHex(id)}, {"error", why}});
  for (const auto& [id, object] : r.needed.missing)
    missing.push_back({{"object", ObjectHex(id)}, {"needed_by", object.needed_by}});
  return {{"clean", r.clean()},         {"objects_checked", r.objects_checked}, {"damaged", damaged},
          {"pointers", r.pointers},     {"objects_needed", r.needed.present.size() + r.needed.missing.size()},
          {"missing", missing},         {"manifest_errors", r.needed.errors},   {"temp_files", r.temp_files}};
}

void PrintReport(const FsckReport& r) {
  fmt::print("objects verified: {}\n", r.objects_checked);
  fmt::print("pointers in history and index: {} (needing {} objects)\n", r.pointers,
             r.needed.present.size() + r.needed.missing.size());
  for (const auto& [id, why] : r.damaged) fmt::print("damaged: {}\n", why);
  for (const auto& [id, object] : r.needed.missing)
    fmt::print("missing: {} (needed by {})\n", ObjectHex(id), object.needed_by);
  for (const std::string& error : r.needed.errors) fmt::print("bad manifest: {}\n", error);
  if (r.temp_files)
    fmt::print("{} temp file(s) of interrupted writes (harmless; `git model gc` removes them)\n", r.temp_files);
  fmt::print("{}\n", r.clean() ? "store is clean" : "store has problems");
}

int RunFsck(bool json) {
  auto context = OpenStoreContext();
  if (!context.ok()) {
    PrintError(context.status().message());
    return kExitError;
  }
  ProgressBar bar("fsck", "objects");
  auto report = FsckStore((*context)->repo, (*context)->store, [&](size_t done, size_t total) { bar.Update(done, total); });
  if (!report.ok()) {
    PrintError(report.status().message());
    return kExitError;
  }
  if (json) {
    fmt::print("{}\n", JsonLine(ReportJson(*report)));
  } else {
    PrintReport(*report);
  }
  return report->clean() ? kExitOk : kExitNegative;
}

}  // namespace

void SetupFsck(CLI::App& sub, int* exit_code) {
  auto json = std::make_shared<bool>(false);
  sub.add_flag("--json", *json, "One JSON document: counts, damaged and missing objects");
  sub.footer("Exit status: 0 the store is clean, 1 damaged or missing objects, 2 an error.");
  sub.callback([json, exit_code] { *exit_code = RunFsck(*json); });
}

}  // namespace gitmodel::cli
