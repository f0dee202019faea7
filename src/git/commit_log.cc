#include "git/commit_log.h"

#include <string_view>

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

// The same walk as WalkFileHistory's (file_history.cc), so both list a range alike.
Result<GitRevwalkPtr> NewWalk(const GitRepo& repo, const HistoryOptions& options) {
  git_revwalk* raw = nullptr;
  int error = git_revwalk_new(&raw, repo.get());
  if (error < 0) return GitError(error, "starting a walk over the history");
  GitRevwalkPtr walk(raw);
  error = git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
  if (error >= 0 && options.first_parent) error = git_revwalk_simplify_first_parent(walk.get());
  if (error < 0) return GitError(error, "starting a walk over the history");
  const std::string_view range = options.range.empty() ? "HEAD" : std::string_view(options.range);
  if (range.find("...") != std::string_view::npos)
    return InvalidArgument("'{}': A...B ranges are not supported; use A..B", range);
  const size_t dots = range.find("..");
  std::string_view include = dots == std::string_view::npos ? range : range.substr(dots + 2);
  GM_ASSIGN_OR_RETURN(git_oid include_id, RequireCommitId(repo, include.empty() ? "HEAD" : include));
  error = git_revwalk_push(walk.get(), &include_id);
  if (error >= 0 && dots != std::string_view::npos) {
    const std::string_view exclude = range.substr(0, dots);
    GM_ASSIGN_OR_RETURN(git_oid exclude_id, RequireCommitId(repo, exclude.empty() ? "HEAD" : exclude));
    error = git_revwalk_hide(walk.get(), &exclude_id);
  }
  if (error < 0) return GitError(error, fmt::format("walking {}", range));
  return walk;
}

Result<CommitMeta> ReadMeta(const GitRepo& repo, const git_oid& id) {
  git_commit* raw = nullptr;
  const int error = git_commit_lookup(&raw, repo.get(), &id);
  if (error < 0) return GitError(error, fmt::format("reading commit {}", OidHex(id)));
  GitCommitPtr commit(raw);
  CommitMeta meta;
  meta.id = OidHex(id);
  meta.tree = OidHex(*git_commit_tree_id(commit.get()));
  for (unsigned i = 0, n = git_commit_parentcount(commit.get()); i < n; ++i)
    meta.parents.push_back(OidHex(*git_commit_parent_id(commit.get(), i)));
  const git_signature* author = git_commit_author(commit.get());
  meta.author = author->name ? author->name : "";
  meta.email = author->email ? author->email : "";
  meta.time = author->when.time;
  meta.offset_minutes = author->when.offset;
  const char* summary = git_commit_summary(commit.get());  // null only when out of memory
  meta.subject = summary ? summary : "";
  return meta;
}

}  // namespace

Result<std::vector<CommitMeta>> LogCommits(const GitRepo& repo, const HistoryOptions& range, size_t limit) {
  EnsureLibgit2();
  GM_ASSIGN_OR_RETURN(GitRevwalkPtr walk, NewWalk(repo, range));
  std::vector<CommitMeta> out;
  git_oid id;
  int error = 0;
  while (out.size() < limit && (error = git_revwalk_next(&id, walk.get())) == 0) {
    GM_ASSIGN_OR_RETURN(CommitMeta meta, ReadMeta(repo, id));
    out.push_back(std::move(meta));
  }
  if (out.size() < limit && error != GIT_ITEROVER) return GitError(error, fmt::format("walking {}", range.range));
  return out;
}

}  // namespace gitmodel
