// Internal to src/git: `git status` as two sorted path lists.
#pragma once

#include <string>
#include <vector>

#include "git/git_handles.h"

namespace gitmodel {

struct WorktreeStatus {
  std::vector<std::string> changed;    // staged or unstaged changes, conflicts; sorted
  std::vector<std::string> untracked;  // untracked, not ignored files (each file, not its dir); sorted
};

// Compares HEAD with the index and the index with the working tree, as `git status` does (no
// rename detection; a submodule counts as changed when its commit or its files changed). Needs a
// working tree. Reads the index without writing it.
Result<WorktreeStatus> ReadWorktreeStatus(git_repository* repo);

}  // namespace gitmodel
