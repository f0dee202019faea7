// The whole uncommitted state of a working tree as one patch that `git apply` replays exactly.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "git/large_file_patch.h"
#include "gitmodel/status.h"

namespace gitmodel {

// A patch from `base_commit` (full hex id; "" for none, as in a repository without commits) to the
// working tree, such that `git apply` (or `git apply --index`) on a clean checkout of
// `base_commit` reproduces every file git would track there, byte for byte and with its mode:
// modified, deleted, new (untracked but not ignored, in new directories too), executable-bit
// changes, symlinks, binary files (as "GIT binary patch" with full index lines), files without a
// final newline. "" when the working tree equals `base_commit`.
//
// The working tree wins over the index: a file staged and then changed again appears with its
// working-tree content, one staged and then deleted is absent, and one removed from the index but
// still on disk (`git rm --cached`) is kept. A file counts as tracked (so .gitignore does not hide
// it) when `base_commit` or the index holds it. Plain git format: no rename detection, no
// textconv, no colour; content passes through the repository's clean filters as `git diff` does.
// Submodules appear only as a change of their commit, never their own dirty files.
//
// The patch is complete or the call fails: files of any size are included. Files above `limits`
// are written as binary literals by large_file_patch.h (fast, parallel), the rest by libgit2 (text
// hunks, binary deltas). Holds the whole patch in memory. Never writes the index.
// Paths in `excluded` (repo-relative, '/'-separated) are left out whatever their state: stamp
// excludes the checkpoints it is writing, whose content is not code.
Result<std::string> WorkingPatch(git_repository* repo, std::string_view base_commit,
                                 const LargeFileLimits& limits = {},
                                 const std::set<std::string>& excluded = {});

}  // namespace gitmodel
