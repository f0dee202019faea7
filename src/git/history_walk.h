// Internal to src/git: the walk over a range that `git model params` (file_history.cc) and `git
// model log` (commit_log.cc) share, so both list a range alike, and a commit's metadata.
#pragma once

#include "git/file_history.h"
#include "git/git_handles.h"

namespace gitmodel {

using GitRevwalkPtr = std::unique_ptr<git_revwalk, GitFree<git_revwalk, git_revwalk_free>>;

// A topological, newest-first walk of options.range ("REV", "A..B", "A..", "..B"; "" is HEAD),
// first parents only when asked. kInvalidArgument for A...B, kNotFound for a name that is no commit.
Result<GitRevwalkPtr> NewHistoryWalk(const GitRepo& repo, const HistoryOptions& options);

// Id, tree, parents, author, time and subject of `commit`.
CommitMeta MetaOf(const git_commit* commit);

}  // namespace gitmodel
