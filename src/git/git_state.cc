#include "git/git_state.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "git/git_handles.h"
#include "git/head_state.h"
#include "git/remote_pick.h"
#include "git/repo.h"
#include "git/revision.h"
#include "git/working_patch.h"
#include "git/worktree_status.h"

namespace gitmodel {
namespace {

Status CheckOverride(std::string_view id) {
  bool hex = std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isxdigit(c); });
  if (hex && id.size() >= 4 && id.size() <= 64) return OkStatus();
  return InvalidArgument("commit id override '{}' is not 4 to 64 hex digits", id);
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// The commit to record, describe and take the patch against, filling state.commit*.
Result<std::optional<GitCommitPtr>> RecordedCommit(git_repository* repo, const GitCaptureOptions& options,
                                                   GitState& state) {
  if (options.commit_override.empty()) {
    if (state.commit.empty()) return std::optional<GitCommitPtr>();
    return FindCommitByIdPrefix(repo, state.commit);
  }
  state.commit_overridden = true;
  std::string id = Lower(options.commit_override);
  GM_ASSIGN_OR_RETURN(auto commit, FindCommitByIdPrefix(repo, id));
  state.commit = commit ? OidHex(*git_commit_id(commit->get())) : id;
  return commit;
}

// The patch base: the recorded commit when the repository has it, else HEAD (if any).
std::string PatchBase(const std::optional<GitCommitPtr>& recorded, const HeadState& head) {
  return recorded ? OidHex(*git_commit_id(recorded->get())) : head.commit;
}

std::vector<std::string> Without(std::vector<std::string> paths, const std::set<std::string>& excluded) {
  std::erase_if(paths, [&](const std::string& p) { return excluded.count(p) > 0; });
  return paths;
}

Status CaptureWorkingTree(git_repository* repo, const std::string& base, const std::set<std::string>& excluded,
                          GitState& state) {
  GM_ASSIGN_OR_RETURN(WorktreeStatus status, ReadWorktreeStatus(repo));
  state.changed = Without(std::move(status.changed), excluded);
  state.untracked = Without(std::move(status.untracked), excluded);
  state.dirty = !state.changed.empty() || !state.untracked.empty();
  GM_ASSIGN_OR_RETURN(state.patch, WorkingPatch(repo, base, {}, excluded));
  return OkStatus();
}

Result<GitState> CaptureIn(const GitRepo& repo, const GitCaptureOptions& options) {
  git_repository* r = repo.get();
  GitState state;
  state.in_repo = true;
  state.workdir = WorkdirOf(repo);
  state.shallow = git_repository_is_shallow(r) == 1;
  GM_ASSIGN_OR_RETURN(HeadState head, ReadHead(r));
  state.commit = head.commit;
  state.branch = head.branch;
  state.detached = head.detached;
  GM_ASSIGN_OR_RETURN(auto recorded, RecordedCommit(r, options, state));
  if (recorded) {
    GM_ASSIGN_OR_RETURN(state.describe, DescribeCommit(r, recorded->get()));
  }
  GM_ASSIGN_OR_RETURN(RemoteChoice remote, PickRemote(r, head.branch));
  state.remote = std::move(remote.url);
  state.remote_name = std::move(remote.name);
  if (git_repository_is_bare(r) == 1) return state;
  GM_RETURN_IF_ERROR(CaptureWorkingTree(r, PatchBase(recorded, head), options.exclude_paths, state));
  return state;
}

}  // namespace

Result<GitState> CaptureGitState(const std::string& path, const GitCaptureOptions& options) {
  if (!options.commit_override.empty()) GM_RETURN_IF_ERROR(CheckOverride(options.commit_override));
  GM_ASSIGN_OR_RETURN(std::optional<GitRepo> repo, DiscoverRepo(path));
  if (!repo) return GitState{};
  Result<GitState> state = CaptureIn(*repo, options);
  if (!state.ok()) return state.status().WithContext(fmt::format("capturing git state of '{}'", WorkdirOf(*repo)));
  return state;
}

}  // namespace gitmodel
