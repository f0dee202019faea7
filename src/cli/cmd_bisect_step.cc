// git model bisect-step --steps FILE --metric M (--min X | --max X) [--agg A] [--repeat N]
//                       [--cwd DIR] [--reuse] -- COMMAND...
//
// What `git model bisect` has `git bisect run` call at each commit (src/report/bisect_step.h):
// runs COMMAND as recorded runs in DIR and exits 0 (good), 1 (bad) or 125 (skip: it failed or
// logged no value). Its own errors exit 255, which stops the bisect.
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/core.h>

#include "cli/command.h"
#include "cli/render.h"
#include "cli/runs_context.h"
#include "provenance/record_index.h"
#include "report/bisect_step.h"

namespace gitmodel::cli {
namespace {

constexpr int kStopBisect = 255;

struct StepArgs {
  BisectStepOptions options;
  std::optional<double> min, max;
  std::string agg = "median";
  std::string cwd;
};

std::string ValuesText(const BisectStep& step, const BisectRule& rule) {
  std::string values;
  for (double v : step.evidence.values) values += (values.empty() ? "" : ", ") + MetricValue(v);
  if (step.evidence.values.size() > 1) values = fmt::format("{} of {}", MetricAggName(rule.agg), values);
  if (step.evidence.runs_without_value) values += fmt::format("{}{} run(s) without a value", values.empty() ? "" : "; ", step.evidence.runs_without_value);
  return values;
}

Status Prepare(StepArgs& args) {
  if (args.min.has_value() == args.max.has_value()) return InvalidArgument("give exactly one of --min and --max");
  BisectRule& rule = args.options.rule;
  rule.good_when_at_least = args.min.has_value();
  rule.limit = args.min ? *args.min : *args.max;
  GM_ASSIGN_OR_RETURN(rule.agg, ParseMetricAgg(args.agg));
  if (!args.cwd.empty() && ::chdir(args.cwd.c_str()) != 0) return IOError("{}: cannot change to it: {}", args.cwd, std::strerror(errno));
  args.options.run.progress = {};
  return OkStatus();
}

int RunStep(StepArgs& args) {
  Status prepared = Prepare(args);
  if (!prepared.ok()) return PrintError(prepared.message()), kStopBisect;
  Result<std::optional<GitRepo>> repo = DiscoverRepo(".");
  if (!repo.ok() || !*repo) return PrintError(repo.ok() ? "bisect-step: not in a git repository" : repo.status().message()), kStopBisect;
  args.options.index_path = RecordIndexPath(GitModelDir(**repo));
  Result<BisectStep> step = RunBisectStep(**repo, args.options);
  if (!step.ok()) return PrintError(step.status().message()), kStopBisect;
  const CommitVerdict& v = step->verdict;
  fmt::print(stderr, "git-model bisect: {} {} {} -> {} ({})\n", step->commit.substr(0, 7), args.options.rule.metric,
             v.value ? MetricValue(*v.value) : "-", VerdictName(v.verdict), ValuesText(*step, args.options.rule));
  return step->git_exit_code;
}

}  // namespace

void SetupBisectStep(CLI::App& sub, int* exit_code) {
  auto args = std::make_shared<StepArgs>();
  BisectStepOptions& o = args->options;
  sub.add_option("--steps", o.steps_path, "The session's steps file (appended)")->required();
  sub.add_option("--metric", o.rule.metric, "The metric")->required();
  sub.add_option("--min", args->min, "Good when at least this");
  sub.add_option("--max", args->max, "Good when at most this");
  sub.add_option("--agg", args->agg, "median, mean, min or max");
  sub.add_option("--repeat", o.repeat, "Values wanted")->check(CLI::Range(1, 100));
  sub.add_option("--cwd", args->cwd, "Where the command runs");
  sub.add_flag("--reuse", o.reuse_recorded, "Count values already recorded at the commit");
  sub.add_option("command", o.run.command, "The command, after --")->required()->expected(-1);
  sub.group("");  // git runs it; `git model --help` does not list it
  sub.callback([args, exit_code] { *exit_code = RunStep(*args); });
}

}  // namespace gitmodel::cli
