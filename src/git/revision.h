// Internal to src/git: finding commits by revision text or by hex id prefix.
#pragma once

#include <optional>
#include <string_view>

#include "git/git_handles.h"

namespace gitmodel {

// The commit `spec` names (anything git_revparse_single accepts: a full or abbreviated id, a
// branch, a tag, "HEAD~2"), peeled to a commit. nullopt when nothing by that name exists or it is
// not a commit; an error when the name is ambiguous or the repository cannot be read.
Result<std::optional<GitCommitPtr>> FindCommit(git_repository* repo, std::string_view spec);

// The commit whose id starts with `hex` (4 to 40 hex digits, checked by the caller). nullopt when
// no object has that prefix or it is not a commit; an error when the prefix is ambiguous.
Result<std::optional<GitCommitPtr>> FindCommitByIdPrefix(git_repository* repo, std::string_view hex);

// The tree of `commit`.
Result<GitTreePtr> TreeOf(const git_commit* commit);

}  // namespace gitmodel
