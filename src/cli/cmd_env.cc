// git model env [--json] | git model env --diff A B [--json] [--exit-code]
#include <fmt/core.h>

#include "cli/command.h"
#include "cli/render.h"
#include "cli/render_record.h"
#include "provenance/record_lookup.h"

namespace gitmodel::cli {
namespace {

struct EnvArgs {
  std::vector<std::string> diff;
  bool json = false;
  bool exit_code = false;
  bool no_python = false;
};

Result<EnvInfo> RecordedEnv(const std::string& file) {
  GM_ASSIGN_OR_RETURN(auto found, FindRecord(file));
  if (!found) return NotFound("{}: no provenance record", file);
  return found->record.env;
}

int RunDiff(const EnvArgs& args) {
  auto a = RecordedEnv(args.diff[0]);
  auto b = a.ok() ? RecordedEnv(args.diff[1]) : a;
  if (!b.ok()) {
    PrintError(b.status().message());
    return kExitError;
  }
  std::vector<EnvDifference> diffs = DiffEnv(*a, *b);
  if (args.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const EnvDifference& d : diffs) out.push_back({{"key", d.key}, {"a", d.a}, {"b", d.b}});
    fmt::print("{}\n", JsonLine({{"a", args.diff[0]}, {"b", args.diff[1]}, {"differences", out}}));
  } else if (diffs.empty()) {
    fmt::print("environments are the same\n");
  } else {
    std::vector<std::vector<std::string>> rows = {{"KEY", Safe(args.diff[0]), Safe(args.diff[1])}};
    for (const EnvDifference& d : diffs) rows.push_back({d.key, Safe(d.a), Safe(d.b)});
    fmt::print("{}", FormatTable(rows));
  }
  return args.exit_code && !diffs.empty() ? kExitNegative : kExitOk;
}

int RunEnv(const EnvArgs& args) {
  if (!args.diff.empty()) return RunDiff(args);
  EnvInfo env = CaptureEnv({.probe_python = !args.no_python});
  if (args.json) fmt::print("{}\n", JsonLine(EnvToJson(env)));
  else fmt::print("{}", LabelledLines(EnvRows(env), 0));
  return kExitOk;
}

}  // namespace

void SetupEnv(CLI::App& sub, int* exit_code) {
  auto args = std::make_shared<EnvArgs>();
  sub.add_option("--diff", args->diff, "Compare the environments recorded in two checkpoints or record files")
      ->expected(2);
  sub.add_flag("--json", args->json, "JSON output");
  sub.add_flag("--exit-code", args->exit_code, "With --diff: exit 1 when the environments differ");
  sub.add_flag("--no-python", args->no_python, "Do not ask python3 for the python and torch versions");
  sub.callback([args, exit_code] { *exit_code = RunEnv(*args); });
}

}  // namespace gitmodel::cli
