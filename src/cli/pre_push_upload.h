// What the pre-push hook does before git pushes: upload the store objects that the pointers in
// the commits being pushed need, so that whoever fetches those commits can get the files.
#pragma once

#include <string>
#include <vector>

#include "hooks/pre_push.h"

namespace gitmodel::cli {

// The git-model remote named like the git remote `git_remote` when there is one, else the
// default. Returns the hook's exit code: 0 (nothing to do, or uploaded), 1 (an upload failed or
// objects are missing locally: git then refuses the push), 2 (an error). Without any git-model
// remote, pointers being pushed get a warning and the push goes on.
int UploadForPush(const std::vector<PushedRef>& refs, const std::string& git_remote);

}  // namespace gitmodel::cli
