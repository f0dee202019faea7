// git model log [REV-RANGE] [--metric M]... [--json] [-n N] [--first-parent]
//
// The model's lineage (src/runs/lineage.h), newest commit first: the headline `params` prints,
// the changed values, then each run (id, name, status with its exit code or signal when it
// failed, "[dirty]" when the tree had uncommitted changes, final metric values) and the
// checkpoints it wrote (fingerprint, path):
//
//   7064e54 2023-11-15 Ada  lower lr again
//       lr: 0.01 -> 0.001
//       run 20261129-200308-5b8fc3  finished  loss=0.1  val_acc=0.9
//         checkpoint c7c0a1bf19d4  out/model.safetensors
//
// --json: one array, an object per commit, newest first. The commit fields and "params" are
// `git model params --json`'s "commits" entries and their "files"; each run is a `git model runs
// --json` entry plus its checkpoints (oldest run first):
//   [{"id", "parents": [ID...], "author", "email", "date" (RFC 3339, author's zone), "subject",
//     "params": [{"path", "old_path", "error"?, "changes": [{"key", "kind", "old"?, "new"?}]}],
//     "runs": [{"id", "name", "status", "commit", "branch", "dirty", "start", "end", "wall_seconds",
//               "exit_code", "signal", "metrics": {KEY: {"last", "min", "max", "count", "last_step"}},
//               "checkpoints": [{"path", "fingerprint", "file_sha256"}]}]}]
// (absent values are null; non-finite metric values are the protocol's strings, "NaN"...).
#include <algorithm>
#include <filesystem>

#include <fmt/core.h>

#include "cli/command.h"
#include "cli/params_context.h"
#include "cli/render.h"
#include "cli/render_params.h"
#include "cli/runs_render.h"
#include "hyperparams/param_history_cache.h"
#include "provenance/record_index.h"
#include "runs/lineage.h"
#include "runs/metric_columns.h"
#include "runs/run_index.h"

namespace gitmodel::cli {
namespace {

struct LogArgs {
  std::vector<std::string> ranges;
  std::vector<std::string> metrics;
  size_t max_count = std::numeric_limits<size_t>::max();
  bool first_parent = false;
  bool json = false;
};

nlohmann::json RunJson(const LineageRun& lineage_run) {
  nlohmann::json out = RunRowJson(lineage_run.run);
  out["checkpoints"] = nlohmann::json::array();
  for (const RunCheckpoint& c : lineage_run.checkpoints)
    out["checkpoints"].push_back({{"path", c.path}, {"fingerprint", c.fingerprint}, {"file_sha256", c.file_sha256}});
  return out;
}

nlohmann::json LineageCommitJson(const LineageCommit& c) {
  nlohmann::json commit = CommitJson(c.commit);
  commit["params"] = FileChangesJson(c.params);
  commit["runs"] = nlohmann::json::array();
  for (const LineageRun& run : c.runs) commit["runs"].push_back(RunJson(run));
  return commit;
}

// The array one commit at a time: one tree for 10,000 runs is slow to build and free (the
// whole command: 270 -> 210 ms).
void PrintJson(const std::vector<LineageCommit>& lineage) {
  std::string out = "[";
  for (size_t i = 0; i < lineage.size(); ++i) {
    if (i) out += ",";
    out += JsonLine(LineageCommitJson(lineage[i]));
  }
  fmt::print("{}]\n", out);
}

// "finished", "failed (exit 3)", "killed (signal 9)", with " [dirty]" for uncommitted changes.
std::string StatusText(const RunRow& r) {
  std::string out = r.status;
  if (r.signal) out += fmt::format(" (signal {})", *r.signal);
  else if (r.exit_code && *r.exit_code != 0) out += fmt::format(" (exit {})", *r.exit_code);
  if (r.dirty) out += " [dirty]";
  return out;
}

std::string RunText(const LineageRun& lineage_run) {
  const RunRow& r = lineage_run.run;
  std::string out = fmt::format("    run {}{}  {}", r.id, r.name.empty() ? "" : " (" + r.name + ")", StatusText(r));
  for (const auto& [key, summary] : r.metrics) out += fmt::format("  {}={:.6g}", key, summary.last);
  out += "\n";
  for (const RunCheckpoint& c : lineage_run.checkpoints)
    out += fmt::format("      checkpoint {}  {}\n", c.fingerprint.substr(0, 12), c.path);
  return out;
}

void PrintText(const std::vector<LineageCommit>& lineage) {
  for (size_t i = 0; i < lineage.size(); ++i) {
    const LineageCommit& c = lineage[i];
    std::string text = fmt::format("{}{}\n{}", i ? "\n" : "", CommitHeadline(c.commit), FileChangesText(c.params, 4));
    for (const LineageRun& run : c.runs) text += RunText(run);
    fmt::print("{}", text);
  }
}

constexpr size_t kTextMetrics = 4;
constexpr uint64_t kRunsSampled = 50;

// Text shows at most kTextMetrics metrics per run unless --metric names them: the ones most of
// the newest runs have (as `git model runs` picks its columns). Loading only those keeps `log`
// fast with 100 metrics a run; --json has every metric.
std::vector<std::string> TextMetrics(const std::string& index_path) {
  std::error_code ec;
  if (!std::filesystem::exists(index_path, ec)) return {};
  Result<RunIndex> index = RunIndex::Open(index_path);
  RunQuery newest_runs;
  newest_runs.limit = kRunsSampled;
  Result<std::vector<RunRow>> newest = index.ok() ? index->List(newest_runs) : index.status();
  if (!newest.ok()) return {};
  std::vector<std::string> keys = MetricColumns(*newest, {}, kTextMetrics);
  std::sort(keys.begin(), keys.end());
  return keys;
}

int RunLog(const LogArgs& args) {
  if (args.ranges.size() > 1) {
    PrintError(fmt::format("more than one revision range: '{}' and '{}'", args.ranges[0], args.ranges[1]));
    return kExitError;
  }
  auto context = OpenParamsContext({}, {});
  if (!context.ok()) {
    PrintError(context.status().message());
    return kExitError;
  }
  LineageOptions options;
  options.walk = {.range = args.ranges.empty() ? "HEAD" : args.ranges[0], .first_parent = args.first_parent};
  options.max_commits = args.max_count;
  options.params = context->query;
  options.param_cache_dir = ParamCacheDir(context->repo);
  options.index_path = RecordIndexPath(GitModelDir(context->repo));
  options.metrics = args.metrics.empty() && !args.json ? TextMetrics(options.index_path) : args.metrics;
  auto lineage = BuildLineage(context->repo, options);
  if (!lineage.ok()) {
    PrintError(lineage.status().message());
    return kExitError;
  }
  if (args.json) PrintJson(*lineage);
  else PrintText(*lineage);
  return kExitOk;
}

}  // namespace

void SetupLog(CLI::App& sub, int* exit_code) {
  auto args = std::make_shared<LogArgs>();
  sub.add_option("range", args->ranges, "A revision (its history) or a range A..B; default HEAD");
  sub.add_option("--metric", args->metrics, "Show only this metric of each run (repeatable); commits and runs "
                                            "are all still shown")->allow_extra_args(false);
  sub.add_option("-n,--max-count", args->max_count, "Show at most N commits");
  sub.add_flag("--first-parent", args->first_parent, "Follow only first parents");
  sub.add_flag("--json", args->json, "One JSON document: an array of commits");
  sub.footer("For each commit, newest first: the hyperparameters it changed in the configs .git-model.toml "
             "selects (as `git model params`), the runs `git model run` recorded at it with their final "
             "metrics (text: the 4 that most recent runs have, unless --metric names others; --json: all), "
             "and the checkpoints they wrote.");
  sub.callback([args, exit_code] { *exit_code = RunLog(*args); });
}

}  // namespace gitmodel::cli
