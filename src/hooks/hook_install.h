// Installing git-model's git hooks (pre-commit, commit-msg, pre-push) beside any hooks a
// repository already has. docs/hooks.md describes the scheme; in short:
//
// - Our hook is a small POSIX sh script holding kHookMarker. It runs `<name>.pre-git-model`
//   first when that file exists and is executable (same arguments, same stdin), stops with its
//   exit status when it fails, then execs `git-model hook <name> "$@"`.
// - Install renames a hook that is not ours to `<name>.pre-git-model` (rename keeps its bytes,
//   mode and, for a symlink, the link itself) and writes ours in its place. Installing again
//   changes nothing; an older script of ours is rewritten.
// - Uninstall removes a hook only when it holds the marker and renames `<name>.pre-git-model`
//   back. A hook that is not ours is never removed or overwritten.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "git/repo.h"
#include "gitmodel/status.h"

namespace gitmodel {

inline constexpr std::string_view kHookMarker = "# git-model hook: installed by `git model hooks install`";
inline constexpr std::string_view kChainedSuffix = ".pre-git-model";

// The hooks git-model installs, in the order they are reported.
const std::vector<std::string>& ManagedHookNames();

// The directory git runs hooks from: core.hooksPath when set (a relative value is taken from the
// root of the working tree, where git runs hooks; in a bare repository from the git dir), else
// `<common git dir>/hooks`, which linked worktrees share.
Result<std::string> HooksDir(const GitRepo& repo);

// The script for hook `name`.
std::string HookScript(std::string_view name);

// True when `text` is a hook written by git-model (any version): it holds kHookMarker on a line.
bool IsGitModelHook(std::string_view text);

struct HookAction {
  std::string name;  // "pre-commit"
  std::string path;  // the hook's path
  // install: "installed", "installed, chaining the existing hook", "updated", "already installed"
  // uninstall: "removed", "removed, restored the original hook", "restored the original hook",
  //            "not installed", "left alone: not a git-model hook"
  std::string action;
  bool changed = false;
  std::string chained;  // the `.pre-git-model` path when an original hook is (or was) kept there
};

// Installs every managed hook into `dir` (created if missing). Stops at the first error: kConflict
// when a hook that is not ours is there and `<name>.pre-git-model` already exists too (another
// tool replaced our hook after we had saved the original), so nothing would be lost silently.
Result<std::vector<HookAction>> InstallHooks(const std::string& dir);

// Removes our hooks from `dir` and restores the originals.
Result<std::vector<HookAction>> UninstallHooks(const std::string& dir);

}  // namespace gitmodel
