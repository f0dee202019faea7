// The checkpoints a run wrote, which `git model run` stamps at its end (docs/runs.md).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "gitmodel/status.h"

namespace gitmodel {

class GitRepo;

// Regular files modified at or after `since`: under each of `watch_dirs` (recursively) when
// given, else anywhere in the work tree whose `filter` attribute is git-model (`git model track`
// patterns), skipping .git and directories git ignores. Sorted absolute paths. Whether a file is
// a checkpoint is for the stamper to decide.
Result<std::vector<std::string>> WrittenFiles(const GitRepo& repo, const std::vector<std::string>& watch_dirs,
                                              std::filesystem::file_time_type since);

}  // namespace gitmodel
