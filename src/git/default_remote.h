// The git remote a command talks to when none is named: what `git push` would use.
#pragma once

#include <string>

#include "gitmodel/status.h"

namespace gitmodel {

class GitRepo;

// The current branch's upstream remote, else "origin", else the first remote with a URL; ""
// when the repository has no remote.
Result<std::string> DefaultGitRemote(const GitRepo& repo);

}  // namespace gitmodel
