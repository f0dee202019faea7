#include "report/bisect_session.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include <fmt/core.h>

#include "provenance/record_index.h"
#include "report/bisect_step.h"
#include "report/git_bisect.h"
#include "report/offline_bisect.h"

namespace gitmodel {
namespace {

constexpr size_t kOfflineContext = 3;  // tested commits shown on each side of the answer

// The argv git bisect run calls at each commit.
std::vector<std::string> StepCommand(const BisectSessionOptions& o, const std::string& steps_path, bool reuse) {
  std::vector<std::string> step = {o.step_program, "bisect-step", "--steps", steps_path, "--metric", o.rule.metric,
                                   o.rule.good_when_at_least ? "--min" : "--max", fmt::format("{:.17g}", o.rule.limit),
                                   "--agg", std::string(MetricAggName(o.rule.agg)), "--repeat", std::to_string(o.repeat),
                                   "--cwd", o.cwd};
  if (reuse) step.push_back("--reuse");
  step.push_back("--");
  step.insert(step.end(), o.command.begin(), o.command.end());
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


// --fill: git bisect between the last good and the first bad recorded commit, the skipped ones
// marked, each step counting the runs already recorded at its commit.
Status Fill(const GitRepo& repo, const BisectSessionOptions& args, const RecordedBisect& bisect) {
  const BisectSearch& s = bisect.search;
  GitBisectOptions git{bisect.commits[s.last_good], bisect.commits[s.first_bad], {}, args.range.first_parent, {}, 2};
  for (size_t i : s.candidates) {
    if (bisect.verdicts[i].verdict == Verdict::kSkip) git.skip.push_back(bisect.commits[i]);
  }
  GM_ASSIGN_OR_RETURN(std::string steps_path, FreshStepsFile(repo));
  git.step = StepCommand(args, steps_path, true);
  return RunGitBisect(repo, git).status();
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

}  // namespace

Result<BisectResult> BisectOnline(const GitRepo& repo, const BisectSessionOptions& args) {
  GM_ASSIGN_OR_RETURN(std::vector<std::string> commits, BisectCommits(repo, args.range));
  GM_ASSIGN_OR_RETURN(std::string steps_path, FreshStepsFile(repo));
  GitBisectOptions git{commits.front(), commits.back(), {}, args.range.first_parent, StepCommand(args, steps_path, false), 2};
  GM_ASSIGN_OR_RETURN(GitBisectAnswer answer, RunGitBisect(repo, git));
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
  GM_ASSIGN_OR_RETURN(BisectResult result, SummarizeBisect(repo, args.rule, facts, args.params, 0));
  result.mode = "online";
  return result;
}

Result<BisectResult> BisectOffline(const GitRepo& repo, const BisectSessionOptions& args, bool fill) {
  const std::string index = RecordIndexPath(GitModelDir(repo));
  GM_ASSIGN_OR_RETURN(RecordedBisect bisect, BisectRecordedRuns(repo, args.range, args.rule, index));
  const bool filling = fill && !bisect.search.found() && bisect.search.next_to_test;
  if (filling) {
    GM_RETURN_IF_ERROR(Fill(repo, args, bisect));
    GM_ASSIGN_OR_RETURN(bisect, BisectRecordedRuns(repo, args.range, args.rule, index));
    GM_RETURN_IF_ERROR(AddStepEvidence(repo, args.rule, bisect));
  }
  BisectFacts facts{&bisect.commits, &bisect.evidence, &bisect.verdicts, &bisect.search};
  GM_ASSIGN_OR_RETURN(BisectResult result, SummarizeBisect(repo, args.rule, facts, args.params, kOfflineContext));
  result.mode = filling ? "offline+fill" : "offline";
  return result;
}

}  // namespace gitmodel
