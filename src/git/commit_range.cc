#include "git/commit_range.h"

#include <utility>

#include "git/git_handles.h"
#include "git/revision.h"

namespace gitmodel {
namespace {

using GitRevwalkPtr = std::unique_ptr<git_revwalk, GitFree<git_revwalk, git_revwalk_free>>;

Result<GitCommitPtr> RequireCommit(const GitRepo& repo, std::string_view revision) {
  GM_ASSIGN_OR_RETURN(auto found, FindCommit(repo.get(), revision));
  if (!found) return NotFound("commit {} is not in the repository {}", revision, WorkdirOf(repo));
  return std::move(*found);
}

// A walk over the commits reachable from `include` and not from `exclude`, children first.
Result<GitRevwalkPtr> NewWalk(git_repository* repo, const git_oid& include, const git_oid& exclude) {
  git_revwalk* raw = nullptr;
  int error = git_revwalk_new(&raw, repo);
  if (error < 0) return GitError(error, "starting a walk over the history");
  GitRevwalkPtr walk(raw);
  error = git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
  if (error >= 0) error = git_revwalk_push(walk.get(), &include);
  if (error >= 0) error = git_revwalk_hide(walk.get(), &exclude);
  if (error < 0) return GitError(error, fmt::format("walking {}..{}", OidHex(exclude), OidHex(include)));
  return walk;
}

Result<CommitLine> ReadLogged(git_repository* repo, const git_oid& id) {
  git_commit* raw = nullptr;
  int error = git_commit_lookup(&raw, repo, &id);
  if (error < 0) return GitError(error, fmt::format("reading commit {}", OidHex(id)));
  GitCommitPtr commit(raw);
  const char* summary = git_commit_summary(commit.get());  // null only when out of memory
  return CommitLine{OidHex(id), summary ? summary : ""};
}

// Counts the commits of `include`..`exclude`'s walk, appending the first `limit` to `listed` when
// it is set.
Result<size_t> WalkRange(git_repository* repo, const git_oid& include, const git_oid& exclude, size_t limit,
                         std::vector<CommitLine>* listed) {
  GM_ASSIGN_OR_RETURN(GitRevwalkPtr walk, NewWalk(repo, include, exclude));
  size_t count = 0;
  git_oid id;
  int error = 0;
  while ((error = git_revwalk_next(&id, walk.get())) == 0) {
    ++count;
    if (listed == nullptr || listed->size() >= limit) continue;
    GM_ASSIGN_OR_RETURN(CommitLine commit, ReadLogged(repo, id));
    listed->push_back(std::move(commit));
  }
  if (error != GIT_ITEROVER) return GitError(error, fmt::format("walking {}..{}", OidHex(exclude), OidHex(include)));
  return count;
}

}  // namespace

Result<CommitRange> CommitsBetween(const GitRepo& repo, std::string_view from, std::string_view to,
                                            size_t limit) {
  GM_ASSIGN_OR_RETURN(GitCommitPtr from_commit, RequireCommit(repo, from));
  GM_ASSIGN_OR_RETURN(GitCommitPtr to_commit, RequireCommit(repo, to));
  const git_oid& from_id = *git_commit_id(from_commit.get());
  const git_oid& to_id = *git_commit_id(to_commit.get());
  CommitRange result;
  result.from = OidHex(from_id);
  result.to = OidHex(to_id);
  GM_ASSIGN_OR_RETURN(result.total, WalkRange(repo.get(), to_id, from_id, limit, &result.commits));
  GM_ASSIGN_OR_RETURN(result.behind, WalkRange(repo.get(), from_id, to_id, 0, nullptr));
  return result;
}

}  // namespace gitmodel
