// git model bisect --good REV --bad REV --metric M (--min X | --max X) [--repeat N]
//                  [--agg median|mean|min|max] [--first-parent] [--offline [--fill]] [--json]
//                  [-- COMMAND...]
//
// The commit that moved a metric (docs/report.md, "git model bisect"). Online (the default) it
// drives real `git bisect run`: at each commit git checks out, `git model bisect-step` runs
// COMMAND --repeat times as recorded runs and marks the commit good, bad, or skipped (125) when
// the command fails. --offline answers from recorded runs alone; commits without runs are the
// uncertainty left, and --fill runs just those the search needs (through git bisect again).
// The repository is left as it was. Exit 0 when the first bad commit is named, 1 when it could
// be any of several, 2 on error.

#include <filesystem>
#include <system_error>

#include <fmt/core.h>

#include "cli/bisect_render.h"
#include "cli/command.h"
#include "cli/params_context.h"
#include "cli/render.h"
#include "report/bisect_session.h"

namespace gitmodel::cli {
namespace {

struct BisectArgs {
  BisectRangeOptions range;
  BisectRule rule;
  std::optional<double> min, max;
  std::string agg = "median";
  int repeat = 1;
  bool offline = false;
  bool fill = false;
  bool json = false;
  std::vector<std::string> command;
};

Status CheckArgs(BisectArgs& args) {
  if (args.min.has_value() == args.max.has_value()) return InvalidArgument("give exactly one of --min X (good when the metric is at least X) and --max X (at most X)");
  args.rule.good_when_at_least = args.min.has_value();
  args.rule.limit = args.min ? *args.min : *args.max;
  GM_ASSIGN_OR_RETURN(args.rule.agg, ParseMetricAgg(args.agg));
  if (args.fill && !args.offline) return InvalidArgument("--fill completes an --offline bisect; without --offline every step runs");
  if ((!args.offline || args.fill) && args.command.empty()) {
    return InvalidArgument("give the command that evaluates a commit after --, e.g. -- python eval.py (or use --offline)");
  }
  if (args.offline && !args.fill && !args.command.empty()) return InvalidArgument("--offline runs nothing: add --fill to run the command where runs are missing");
  return OkStatus();
}

std::string SelfPath() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? "git-model" : self.string();
}

std::string CurrentDirectory() {
  std::error_code ec;
  return std::filesystem::current_path(ec).string();
}

BisectSessionOptions SessionOptions(const BisectArgs& args, const ParamsContext& ctx) {
  return {args.range, args.rule, args.repeat, args.command, SelfPath(), CurrentDirectory(), ctx.query};
}

int RunBisect(BisectArgs& args) {
  Status checked = CheckArgs(args);
  if (!checked.ok()) return PrintError(checked.message()), kExitError;
  Result<ParamsContext> ctx = OpenParamsContext({}, {});
  if (!ctx.ok()) return PrintError(ctx.status().message()), kExitError;
  const BisectSessionOptions options = SessionOptions(args, *ctx);
  Result<BisectResult> result = args.offline ? BisectOffline(ctx->repo, options, args.fill) : BisectOnline(ctx->repo, options);
  if (!result.ok()) return PrintError(result.status().message()), kExitError;
  for (const std::string& warning : result->warnings) fmt::print(stderr, "git-model: warning: {}\n", warning);
  if (args.json) fmt::print("{}\n", JsonLine(BisectJson(*result)));
  else fmt::print("{}", BisectText(*result));
  return result->found() ? kExitOk : kExitNegative;
}

}  // namespace

void SetupBisect(CLI::App& sub, int* exit_code) {
  auto args = std::make_shared<BisectArgs>();
  sub.add_option("--good", args->range.good, "A commit where the metric was good")->required();
  sub.add_option("--bad", args->range.bad, "A later commit where it is bad (a descendant of --good)")->required();
  sub.add_option("--metric", args->rule.metric, "The metric to judge by, as the command logs it")->required();
  sub.add_option("--min", args->min, "Good when the metric is at least this (accuracy)");
  sub.add_option("--max", args->max, "Good when the metric is at most this (loss)");
  sub.add_option("--repeat", args->repeat, "Runs per commit, for noisy metrics (online and --fill)")
      ->check(CLI::Range(1, 100));
  sub.add_option("--agg", args->agg, "How the runs at a commit combine: median (default), mean, min, max");
  sub.add_flag("--first-parent", args->range.first_parent, "Follow only first parents (merges as single steps)");
  sub.add_flag("--offline", args->offline, "Use recorded runs only: run nothing, check nothing out");
  sub.add_flag("--fill", args->fill, "With --offline: run COMMAND just where the answer needs a run");
  sub.add_flag("--json", args->json, "The answer as one JSON object (docs/report.md)");
  sub.add_option("command", args->command, "The command that evaluates a commit and logs the metric, after --")
      ->expected(-1);
  sub.footer(
      "Online, each step is a recorded run (`git model runs` lists them); a step whose command fails or logs no "
      "value is skipped (exit 125 to git), never blamed. Runs with uncommitted changes do not count offline. The "
      "work tree must be clean; HEAD and the work tree are restored at the end. Exit 0: the first bad commit is "
      "named; 1: it could be any of several (skipped or untested); 2: error.");
  sub.callback([args, exit_code] { *exit_code = RunBisect(*args); });
}

}  // namespace gitmodel::cli
