// Driving real `git bisect` (docs/report.md, "Online bisect"): start it between two commits,
// let `git bisect run` call a step command at each commit it checks out, read its answer, and
// always leave the repository as it was (`git bisect reset`: the same HEAD, branch and work tree).
//
// The work tree must have no uncommitted changes to tracked files (bisect checks out other
// commits), and no bisect may be in progress. git's own output and the step's go to `out_fd`.
#pragma once

#include <string>
#include <vector>

#include "git/repo.h"
#include "gitmodel/status.h"

namespace gitmodel {

struct GitBisectOptions {
  std::string good;  // full commit ids
  std::string bad;
  std::vector<std::string> skip;  // commits to mark skipped before the search (known not to run)
  bool first_parent = false;
  std::vector<std::string> step;  // run at each commit, in the work tree's root: exit 0 good,
                                  // 1 bad, 125 skip, anything from 128 up stops the bisect
  int out_fd = 2;
};

struct GitBisectAnswer {
  std::vector<std::string> candidates;  // full ids: one when git names the first bad commit
};

// kInvalidArgument for a dirty work tree, a bisect in progress or a bare repository; an error
// naming git's message when the bisect fails or is stopped (then the repository is reset too).
Result<GitBisectAnswer> RunGitBisect(const GitRepo& repo, const GitBisectOptions& options);

// What `git bisect run` printed, read for its answer: "<id> is the first bad commit", or the ids
// listed after "The first bad commit could be any of:". Empty when neither is there.
std::vector<std::string> ParseBisectAnswer(const std::string& output);

}  // namespace gitmodel
