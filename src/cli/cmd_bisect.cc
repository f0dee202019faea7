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
#include <unistd.h>

#include <filesystem>
#include <system_error>

#include <fmt/core.h>

#include "cli/bisect_render.h"
#include "cli/command.h"
#include "cli/params_context.h"
#include "cli/render.h"
#include "provenance/record_index.h"
#include "report/bisect_result.h"
#include "report/bisect_step.h"
#include "report/git_bisect.h"
#include "report/offline_bisect.h"

namespace gitmodel::cli {
namespace {

constexpr size_t kOfflineContext = 3;  // tested commits shown on each side of the answer

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

// The argv git bisect run calls at each commit.
std::vector<std::string> StepCommand(const BisectArgs& args, const std::string& steps_path, bool reuse) {
  std::vector<std::string> step = {SelfPath(), "bisect-step", "--steps", steps_path, "--metric", args.rule.metric,
                                   args.min ? "--min" : "--max", fmt::format("{:.17g}", args.rule.limit),
                                   "--agg", args.agg, "--repeat", std::to_string(args.repeat), "--cwd", CurrentDirectory()};
  if (reuse) step.push_back("--reuse");
  step.push_back("--");
  step.insert(step.end(), args.command.begin(), args.command.end());
  return step;
}

Result<std::string> StepsPath(const GitRepo& repo) {
  const std::string dir = GitModelDir(repo);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return IOError("{}: cannot create: {}", dir, ec.message());
  return dir + "/bisect-steps.jsonl";
}

// The session's steps file, emptied.
Result<std::string> FreshStepsFile(const GitRepo& repo) {
  GM_ASSIGN_OR_RETURN(std::string path, StepsPath(repo));
  std::error_code ec;
  std::filesystem::remove(path, ec);
  return path;
}

// Online: git bisect runs the steps; the evidence is what they saw, the answer git's.
Result<BisectResult> Online(const ParamsContext& ctx, const BisectArgs& args) {
  GM_ASSIGN_OR_RETURN(std::vector<std::string> commits, BisectCommits(ctx.repo, args.range));
  GM_ASSIGN_OR_RETURN(std::string steps_path, FreshStepsFile(ctx.repo));
  GitBisectOptions git{commits.front(), commits.back(), {}, args.range.first_parent, StepCommand(args, steps_path, false), 2};
  GM_ASSIGN_OR_RETURN(GitBisectAnswer answer, RunGitBisect(ctx.repo, git));
  GM_ASSIGN_OR_RETURN(auto steps, ReadBisectSteps(steps_path));
  RecordedBisect bisect{std::move(commits), {}, {}, {}};
  for (const std::string& c : bisect.commits) bisect.evidence.push_back(steps.count(c) ? steps[c] : CommitEvidence{});
  JudgeAndSearch(args.rule, bisect);
  bisect.search.candidates.clear();
  for (const std::string& id : answer.candidates) {
    auto at = std::find(bisect.commits.begin(), bisect.commits.end(), id);
    if (at == bisect.commits.end()) return IOError("git bisect named commit {}, which is not between --good and --bad", id);
    bisect.search.candidates.push_back(static_cast<size_t>(at - bisect.commits.begin()));
  }
  std::sort(bisect.search.candidates.begin(), bisect.search.candidates.end());
  BisectFacts facts{&bisect.commits, &bisect.evidence, &bisect.verdicts, &bisect.search};
  GM_ASSIGN_OR_RETURN(BisectResult result, SummarizeBisect(ctx.repo, args.rule, facts, ctx.query, 0));
  result.mode = "online";
  return result;
}

// --fill: git bisect between the last good and the first bad recorded commit, the skipped ones
// marked, each step counting the runs already recorded at its commit.
Status Fill(const ParamsContext& ctx, const BisectArgs& args, const RecordedBisect& bisect) {
  const BisectSearch& s = bisect.search;
  GitBisectOptions git{bisect.commits[s.last_good], bisect.commits[s.first_bad], {}, args.range.first_parent, {}, 2};
  for (size_t i : s.candidates) {
    if (bisect.verdicts[i].verdict == Verdict::kSkip) git.skip.push_back(bisect.commits[i]);
  }
  GM_ASSIGN_OR_RETURN(std::string steps_path, FreshStepsFile(ctx.repo));
  git.step = StepCommand(args, steps_path, true);
  return RunGitBisect(ctx.repo, git).status();
}

// What --fill's steps saw replaces the index's evidence at their commits: a step counted the
// recorded values too, and its own runs may be dirty (untracked files) where git checked out.
Status AddStepEvidence(const GitRepo& repo, const BisectRule& rule, RecordedBisect& bisect) {
  GM_ASSIGN_OR_RETURN(std::string steps_path, StepsPath(repo));
  GM_ASSIGN_OR_RETURN(auto steps, ReadBisectSteps(steps_path));
  for (size_t i = 0; i < bisect.commits.size(); ++i) {
    auto it = steps.find(bisect.commits[i]);
    if (it != steps.end()) bisect.evidence[i] = it->second;
  }
  JudgeAndSearch(rule, bisect);
  return OkStatus();
}

Result<BisectResult> Offline(const ParamsContext& ctx, const BisectArgs& args) {
  const std::string index = RecordIndexPath(GitModelDir(ctx.repo));
  GM_ASSIGN_OR_RETURN(RecordedBisect bisect, BisectRecordedRuns(ctx.repo, args.range, args.rule, index));
  const bool filling = args.fill && !bisect.search.found() && bisect.search.next_to_test;
  if (filling) {
    GM_RETURN_IF_ERROR(Fill(ctx, args, bisect));
    GM_ASSIGN_OR_RETURN(bisect, BisectRecordedRuns(ctx.repo, args.range, args.rule, index));
    GM_RETURN_IF_ERROR(AddStepEvidence(ctx.repo, args.rule, bisect));
  }
  BisectFacts facts{&bisect.commits, &bisect.evidence, &bisect.verdicts, &bisect.search};
  GM_ASSIGN_OR_RETURN(BisectResult result, SummarizeBisect(ctx.repo, args.rule, facts, ctx.query, kOfflineContext));
  result.mode = filling ? "offline+fill" : "offline";
  return result;
}

int RunBisect(BisectArgs& args) {
  Status checked = CheckArgs(args);
  if (!checked.ok()) return PrintError(checked.message()), kExitError;
  Result<ParamsContext> ctx = OpenParamsContext({}, {});
  if (!ctx.ok()) return PrintError(ctx.status().message()), kExitError;
  Result<BisectResult> result = args.offline ? Offline(*ctx, args) : Online(*ctx, args);
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
