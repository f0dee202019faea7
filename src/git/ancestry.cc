#include "git/ancestry.h"

#include "git/git_handles.h"
#include "git/revision.h"

namespace gitmodel {
namespace {

Result<git_oid> CommitId(const GitRepo& repo, std::string_view revision) {
  GM_ASSIGN_OR_RETURN(std::optional<GitCommitPtr> commit, FindCommit(repo.get(), revision));
  if (!commit) return NotFound("'{}' names no commit", revision);
  return *git_commit_id(commit->get());
}

}  // namespace

Result<bool> IsAncestor(const GitRepo& repo, std::string_view ancestor, std::string_view descendant) {
  EnsureLibgit2();
  GM_ASSIGN_OR_RETURN(git_oid a, CommitId(repo, ancestor));
  GM_ASSIGN_OR_RETURN(git_oid d, CommitId(repo, descendant));
  if (git_oid_equal(&a, &d)) return true;
  const int result = git_graph_descendant_of(repo.get(), &d, &a);
  if (result < 0) return GitError(result, "comparing commit ancestry");
  return result == 1;
}

}  // namespace gitmodel
