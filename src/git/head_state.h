// Internal to src/git: what HEAD points at, and `git describe --tags --always` of a commit.
#pragma once

#include <string>

#include "git/git_handles.h"

namespace gitmodel {

struct HeadState {
  std::string commit;  // full hex id; "" when the branch is unborn (no commits yet)
  std::string branch;  // short name of the branch HEAD points at (even if unborn); "" when detached
  bool detached = false;
};

Result<HeadState> ReadHead(git_repository* repo);

// `git describe --tags --always` of `commit`: the nearest tag (lightweight or annotated) with
// "-<n>-g<abbrev>" when the commit is not tagged itself, else the abbreviated id. In a shallow
// clone, where libgit2 cannot walk past the boundary, the abbreviated id.
Result<std::string> DescribeCommit(git_repository* repo, const git_commit* commit);

}  // namespace gitmodel
