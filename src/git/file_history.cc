#include "git/file_history.h"

#include <set>
#include <utility>

#include "git/git_handles.h"
#include "git/history_walk.h"
#include "git/revision.h"

namespace gitmodel {
namespace {

Result<GitCommitPtr> LookupCommit(git_repository* repo, const git_oid& id) {
  git_commit* raw = nullptr;
  int error = git_commit_lookup(&raw, repo, &id);
  if (error < 0) return GitError(error, fmt::format("reading commit {}", OidHex(id)));
  return GitCommitPtr(raw);
}

}  // namespace

Status WalkFileHistory(const GitRepo& repo, const HistoryOptions& options, SelectedFiles& files,
                       const HistoryVisitor& visit) {
  EnsureLibgit2();
  GM_ASSIGN_OR_RETURN(GitRevwalkPtr walk, NewHistoryWalk(repo, options));
  git_oid id;
  int error = 0;
  while ((error = git_revwalk_next(&id, walk.get())) == 0) {
    GM_ASSIGN_OR_RETURN(GitCommitPtr commit, LookupCommit(repo.get(), id));
    const std::string tree = OidHex(*git_commit_tree_id(commit.get()));
    std::string parent_tree;
    if (git_commit_parentcount(commit.get()) > 0) {
      GM_ASSIGN_OR_RETURN(GitCommitPtr parent, LookupCommit(repo.get(), *git_commit_parent_id(commit.get(), 0)));
      parent_tree = OidHex(*git_commit_tree_id(parent.get()));
    }
    if (tree == parent_tree) continue;
    GM_ASSIGN_OR_RETURN(FileSet after, files.FilesOfTree(tree));
    GM_ASSIGN_OR_RETURN(FileSet before, files.FilesOfTree(parent_tree));
    if (after == before) continue;
    GM_ASSIGN_OR_RETURN(std::vector<FileDelta> deltas, files.Compare(parent_tree, before, tree, after));
    if (deltas.empty()) continue;
    GM_RETURN_IF_ERROR(visit(MetaOf(commit.get()), deltas));
  }
  if (error != GIT_ITEROVER) return GitError(error, fmt::format("walking {}", options.range));
  return OkStatus();
}

Result<bool> ExtendsHistoryOf(const GitRepo& repo, const std::string& tip, const std::string& base,
                              bool first_parent) {
  EnsureLibgit2();
  if (tip == base) return false;
  GM_ASSIGN_OR_RETURN(GitRevwalkPtr walk, NewHistoryWalk(repo, {.range = base + ".." + tip, .first_parent = first_parent}));
  std::set<std::string> added;
  std::vector<std::vector<std::string>> parents;
  git_oid id;
  int error = 0;
  while ((error = git_revwalk_next(&id, walk.get())) == 0) {
    GM_ASSIGN_OR_RETURN(GitCommitPtr commit, LookupCommit(repo.get(), id));
    const unsigned count = git_commit_parentcount(commit.get());
    if (count == 0) return false;
    added.insert(OidHex(id));
    parents.emplace_back();
    for (unsigned i = 0; i < (first_parent ? 1 : count); ++i)
      parents.back().push_back(OidHex(*git_commit_parent_id(commit.get(), i)));
  }
  if (error != GIT_ITEROVER) return GitError(error, fmt::format("walking {}..{}", base, tip));
  for (const std::vector<std::string>& of_commit : parents)
    for (const std::string& parent : of_commit)
      if (parent != base && !added.contains(parent)) return false;
  return !added.empty();
}

Result<CommitMeta> ReadCommitMeta(const GitRepo& repo, std::string_view revision) {
  EnsureLibgit2();
  GM_ASSIGN_OR_RETURN(auto commit, FindCommit(repo.get(), revision));
  if (!commit) return NotFound("'{}' names no commit of this repository", revision);
  return MetaOf(commit->get());
}

}  // namespace gitmodel
