#include "git/history_walk.h"

#include <string_view>

#include "git/revision.h"

namespace gitmodel {
namespace {

Result<git_oid> RequireCommitId(const GitRepo& repo, std::string_view revision) {
  GM_ASSIGN_OR_RETURN(auto commit, FindCommit(repo.get(), revision));
  if (!commit) return NotFound("'{}' names no commit of this repository", revision);
  return *git_commit_id(commit->get());
}

}  // namespace

Result<GitRevwalkPtr> NewHistoryWalk(const GitRepo& repo, const HistoryOptions& options) {
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

}  // namespace gitmodel
