// Internal to src/git: which remote a checkpoint's code is recorded as coming from.
#pragma once

#include <string>

#include "git/git_handles.h"

namespace gitmodel {

struct RemoteChoice {
  std::string name;  // "" when the repository has no remotes
  std::string url;   // remote.<name>.url as configured (no insteadOf rewriting), credentials
                     // stripped (StripCredentials); "" when the remote has no URL
};

// The remote of `branch`'s upstream (branch.<name>.remote), else "origin", else the
// alphabetically first remote with a URL (as git_remote_list orders them). `branch` may be ""
// (detached HEAD).
Result<RemoteChoice> PickRemote(git_repository* repo, const std::string& branch);

}  // namespace gitmodel
