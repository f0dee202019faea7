// git model run [--name N] [--config F]... [--param k=v]... [--data P]... [--watch DIR]...
//               [--tag k=v]... [--no-python] -- COMMAND...
#include <unistd.h>

#include <fmt/core.h>

#include "cli/command.h"
#include "cli/render.h"
#include "runs/run_recorder.h"

namespace gitmodel::cli {
namespace {

struct RunArgs {
  RunOptions options;
  std::vector<std::string> tags;
  bool no_python = false;
  bool quiet = false;
};

Status ParseTags(const std::vector<std::string>& tags, std::map<std::string, std::string>& out) {
  for (const std::string& tag : tags) {
    const size_t eq = tag.find('=');
    if (eq == 0 || eq == std::string::npos) return InvalidArgument("--tag '{}': expected KEY=VALUE", tag);
    out[tag.substr(0, eq)] = tag.substr(eq + 1);
  }
  return OkStatus();
}

std::string Outcome(const RunRecord& r, const ChildOutcome& child) {
  if (!child.started) return fmt::format("did not start: {}", child.start_error);
  std::string how = r.signal ? fmt::format("killed by signal {}{}", *r.signal, r.core_dumped ? " (core dumped)" : "")
                             : fmt::format("exit {}", r.exit_code.value_or(-1));
  return fmt::format("{} ({}) in {:.1f} s, peak memory {}", r.status, how, r.wall_seconds.value_or(0),
                     HumanBytes(static_cast<uint64_t>(r.peak_rss_kb.value_or(0)) * 1024));
}

std::string MetricsLine(const RunRecord& r) {
  std::string out;
  for (const auto& [key, summary] : r.metrics) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} {:.6g}", key, summary.last);
    if (summary.last_step) out += fmt::format(" (step {})", *summary.last_step);
  }
  return out;
}

void PrintSummary(const RunResult& result) {
  const RunRecord& r = result.record;
  fmt::print(stderr, "git-model: run {} {}\n", r.id, Outcome(r, result.child));
  if (!r.metrics.empty()) fmt::print(stderr, "  metrics   {}\n", MetricsLine(r));
  for (const std::string& warning : r.metric_warnings) fmt::print(stderr, "  warning   metrics file: {}\n", warning);
  if (r.metric_warnings_dropped) fmt::print(stderr, "  warning   ... and {} more\n", r.metric_warnings_dropped);
  for (const RunCheckpoint& c : r.checkpoints) {
    fmt::print(stderr, "  stamped   {} (fingerprint {})\n", c.path, c.fingerprint.substr(0, 12));
  }
  fmt::print(stderr, "  log       {}\n", result.log_path);
  for (const std::string& problem : result.problems) fmt::print(stderr, "  problem   {}\n", problem);
}

int RunRun(RunArgs& args) {
  Status tags = ParseTags(args.tags, args.options.tags);
  if (!tags.ok()) {
    PrintError(tags.message());
    return kExitError;
  }
  args.options.probe_python = !args.no_python;
  if (!args.quiet && isatty(STDERR_FILENO)) {
    args.options.progress = [](std::string_view note) { fmt::print(stderr, "git-model: {}\n", note); };
  }
  Result<RunResult> result = RecordRun(args.options);
  if (!result.ok()) {
    PrintError(result.status().message());
    return kExitError;
  }
  if (!args.quiet || !result->problems.empty()) PrintSummary(*result);
  return result->child.ShellExitCode();
}

}  // namespace

void SetupRun(CLI::App& sub, int* exit_code) {
  auto args = std::make_shared<RunArgs>();
  RunOptions& o = args->options;
  sub.add_option("command", o.command, "The command to run and record, after --")->required()->expected(-1);
  sub.add_option("--name", o.name, "A name for the run (shown by `git model runs`)");
  sub.add_option("--config", o.config_files, "A config file whose settings are the run's hyperparameters "
                                             "(YAML, JSON, TOML, Python); repeatable")->allow_extra_args(false);
  sub.add_option("--param", o.params, "A hyperparameter key=value (overrides configs); repeatable")
      ->allow_extra_args(false);
  sub.add_option("--data", o.data_paths, "A data file or directory to checksum at the start; repeatable")
      ->allow_extra_args(false);
  sub.add_option("--watch", o.watch_dirs, "Stamp the checkpoints written under this directory (default: files "
                                          "matching `git model track` patterns); repeatable")->allow_extra_args(false);
  sub.add_option("--tag", args->tags, "A tag key=value for finding the run later; repeatable")->allow_extra_args(false);
  sub.add_flag("--no-python", args->no_python, "Do not ask python3 for the python and torch versions");
  sub.add_flag("-q,--quiet", args->quiet, "No summary at the end (problems are still reported)");
  sub.footer(
      "The command gets GIT_MODEL_RUN_ID and GIT_MODEL_METRICS (a file to append JSON lines of metrics to: "
      "python/git_model.py's log(), or any language; docs/runs.md). Its output is shown and saved to "
      ".git/git-model/runs/ID/output.log; signals sent to git-model are passed on. The exit code is the "
      "command's (128 + N when signal N ended it, 127 when it was not found).");
  sub.callback([args, exit_code] { *exit_code = RunRun(*args); });
}

}  // namespace gitmodel::cli
