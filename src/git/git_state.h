// The code provenance of a checkpoint: the repository, commit, branch and the exact uncommitted
// state of the working tree, captured in-process with libgit2.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "gitmodel/status.h"

namespace gitmodel {

struct GitCaptureOptions {
  // Recorded instead of HEAD (CI systems that build a merge or a detached copy). 4 to 64 hex
  // digits; when it names a commit of the repository its full id is recorded and the patch is
  // taken against it, else it is recorded as given (lower-cased) and the patch is against HEAD.
  std::string commit_override;
  // Repo-relative paths ('/'-separated) left out of `changed`, `untracked`, `dirty` and the patch:
  // the checkpoints being stamped, which are outputs, not code.
  std::set<std::string> exclude_paths;
};

struct GitState {
  bool in_repo = false;
  std::string workdir;         // absolute repository root without a trailing '/'; "" outside
  std::string commit;          // full hex id of HEAD (or the override); "" when HEAD is unborn
  std::string branch;          // short branch name HEAD points at; "" when detached
  bool detached = false;
  bool shallow = false;
  bool commit_overridden = false;
  std::string describe;        // `git describe --tags --always` of `commit`; "" when unknown
  bool dirty = false;          // `changed` or `untracked` is not empty
  std::string remote;          // URL of the chosen remote, credentials stripped
  std::string remote_name;     // the upstream remote of `branch`, else "origin", else the first by name
  std::string patch;           // WorkingPatch against `commit` (see working_patch.h); "" when clean
  std::vector<std::string> untracked;  // repo-relative untracked, not ignored files, sorted
  std::vector<std::string> changed;    // repo-relative paths with staged/unstaged changes, sorted
};

// Captures the state of the repository containing `path` (a file or directory; see DiscoverRepo).
// Outside a repository: in_repo == false and nothing else set (not an error). Works with detached
// HEAD, shallow clones, unborn branches (commit "", the patch adds every file) and linked
// worktrees. `dirty`, `changed` and `untracked` compare with HEAD as `git status` does, also when
// the commit is overridden. In a bare repository only the HEAD and remote fields are set.
// Errors: an invalid override (kInvalidArgument); a repository libgit2 cannot read.
Result<GitState> CaptureGitState(const std::string& path, const GitCaptureOptions& options);

}  // namespace gitmodel
