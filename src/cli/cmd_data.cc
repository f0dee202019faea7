// git model data hash PATH... [--json] | git model data verify FILE [--json]
#include <fmt/core.h>

#include "cli/command.h"
#include "cli/render.h"
#include "cli/render_record.h"
#include "provenance/drift.h"
#include "provenance/record_lookup.h"

namespace gitmodel::cli {
namespace {

struct DataArgs {
  std::vector<std::string> paths;
  std::string file;
  bool json = false;
  bool no_cache = false;
};

int RunHash(const DataArgs& args) {
  int exit_code = kExitOk;
  std::string cache = args.no_cache ? "" : DefaultDataCachePath();
  for (const std::string& path : args.paths) {
    auto digest = HashData(path, {.cache_path = cache});
    if (!digest.ok()) {
      PrintError(digest.status().message());
      exit_code = kExitError;
      continue;
    }
    if (args.json) fmt::print("{}\n", JsonLine(DataToJson(*digest)));
    else fmt::print("{}  {}  ({} files, {})\n", digest->tree_hash, Safe(path), Thousands(digest->files), HumanBytes(digest->bytes));
  }
  return exit_code;
}

int RunVerify(const DataArgs& args) {
  auto found = FindRecord(args.file);
  if (!found.ok() || !*found) {
    PrintError(found.ok() ? fmt::format("{}: no provenance record", args.file) : found.status().message());
    return kExitError;
  }
  const auto& recorded = (*found)->record.data;
  std::vector<DataDrift> drift = CheckDataDrift(recorded, args.no_cache ? "" : DefaultDataCachePath());
  bool all_same = true;
  nlohmann::json out = nlohmann::json::array();
  for (const DataDrift& d : drift) {
    all_same = all_same && d.status == "same";
    out.push_back({{"path", d.path}, {"recorded", d.recorded_hash}, {"now", d.hash_now}, {"status", d.status}});
    if (!args.json) fmt::print("{:<8} {}\n", d.status, Safe(d.path));
  }
  if (args.json) fmt::print("{}\n", JsonLine({{"path", args.file}, {"data", out}, {"same", all_same}}));
  else if (recorded.empty()) fmt::print("{}: the record lists no data\n", Safe(args.file));
  return all_same ? kExitOk : kExitNegative;
}

}  // namespace

void SetupData(CLI::App& sub, int* exit_code) {
  auto args = std::make_shared<DataArgs>();
  sub.require_subcommand(1);
  CLI::App* hash = sub.add_subcommand("hash", "Tree hash (SHA-256 Merkle), file count and bytes of data sets");
  hash->add_option("paths", args->paths, "Data files or directories")->required();
  hash->add_flag("--json", args->json, "One JSON document per path per line");
  hash->add_flag("--no-cache", args->no_cache, "Re-hash every file instead of trusting the stat cache");
  hash->callback([args, exit_code] { *exit_code = RunHash(*args); });
  CLI::App* verify = sub.add_subcommand("verify", "Compare the data recorded in a checkpoint with the data now");
  verify->add_option("file", args->file, "A stamped checkpoint or record file")->required();
  verify->add_flag("--json", args->json, "JSON output");
  verify->add_flag("--no-cache", args->no_cache, "Re-hash every file instead of trusting the stat cache");
  verify->callback([args, exit_code] { *exit_code = RunVerify(*args); });
}

}  // namespace gitmodel::cli
