#include "git/file_history.h"

#include <set>
#include <utility>

#include "git/git_handles.h"
#include "git/revision.h"

namespace gitmodel {
namespace {

using GitRevwalkPtr = std::unique_ptr<git_revwalk, GitFree<git_revwalk, git_revwalk_free>>;

Result<git_oid> RequireCommitId(const GitRepo& repo, std::string_view revision) {
  GM_ASSIGN_OR_RETURN(auto commit, FindCommit(repo.get(), revision));
  if (!commit) return NotFound("'{}' names no commit of this repository", revision);
  return *git_commit_id(commit->get());
}

Result<GitRevwalkPtr> NewWalk(const GitRepo& repo, const HistoryOptions& options) {
  git_revwalk* raw = nullptr;
  int error = git_revwalk_new(&raw, repo.get());
  if (error < 0) return GitError(error, "starting a walk over the history");
  GitRevwalkPtr walk(raw);
  error = git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
  if (error >= 0 && options.first_parent) error = git_revwalk_simplify_first_parent(walk.get());
  if (error < 0) return GitError(error, "starting a walk over the history");
  std::string_view range = options.range.empty() ? "HEAD" : std::string_view(options.range);
  const size_t dots = range.find("..");
  if (range.find("...") != std::string_view::npos) return InvalidArgument("'{}': A...B ranges are not supported; use A..B", range);
  std::string_view include = dots == std::string_view::npos ? range : range.substr(dots + 2);
  if (include.empty()) include = "HEAD";
  GM_ASSIGN_OR_RETURN(git_oid include_id, RequireCommitId(repo, include));
  error = git_revwalk_push(walk.get(), &include_id);
  if (error >= 0 && dots != std::string_view::npos) {
    std::string_view exclude = range.substr(0, dots);
    GM_ASSIGN_OR_RETURN(git_oid exclude_id, RequireCommitId(repo, exclude.empty() ? "HEAD" : exclude));
    error = git_revwalk_hide(walk.get(), &exclude_id);
  }
  if (error < 0) return GitError(error, fmt::format("walking {}", range));
  return walk;
}

CommitMeta MetaOf(const git_commit* commit) {
  CommitMeta meta;
  meta.id = OidHex(*git_commit_id(commit));
  meta.tree = OidHex(*git_commit_tree_id(commit));
  for (unsigned i = 0, n = git_commit_parentcount(commit); i < n; ++i)
    meta.parents.push_back(OidHex(*git_commit_parent_id(commit, i)));
  const git_signature* author = git_commit_author(commit);
  meta.author = author->name ? author->name : "";
  meta.email = author->email ? author->email : "";
  meta.time = author->when.time;
  meta.offset_minutes = author->when.offset;
  const char* summary = git_commit_summary(const_cast<git_commit*>(commit));
  meta.subject = summary ? summary : "";
  return meta;
}

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
  GM_ASSIGN_OR_RETURN(GitRevwalkPtr walk, NewWalk(repo, options));
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
  GM_ASSIGN_OR_RETURN(GitRevwalkPtr walk, NewWalk(repo, {.range = base + ".." + tip, .first_parent = first_parent}));
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
