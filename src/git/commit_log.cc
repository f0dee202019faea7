#include "git/commit_log.h"

#include <string_view>

#include "git/git_handles.h"
#include "git/history_walk.h"

namespace gitmodel {
namespace {

Result<CommitMeta> ReadMeta(const GitRepo& repo, const git_oid& id) {
  git_commit* raw = nullptr;
  const int error = git_commit_lookup(&raw, repo.get(), &id);
  if (error < 0) return GitError(error, fmt::format("reading commit {}", OidHex(id)));
  GitCommitPtr commit(raw);
  return MetaOf(commit.get());
}

}  // namespace

Result<std::vector<CommitMeta>> LogCommits(const GitRepo& repo, const HistoryOptions& range, size_t limit) {
  EnsureLibgit2();
  GM_ASSIGN_OR_RETURN(GitRevwalkPtr walk, NewHistoryWalk(repo, range));
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

Result<std::vector<std::string>> LogCommitIds(const GitRepo& repo, const HistoryOptions& range) {
  EnsureLibgit2();
  GM_ASSIGN_OR_RETURN(GitRevwalkPtr walk, NewHistoryWalk(repo, range));
  std::vector<std::string> out;
  git_oid id;
  int error = 0;
  while ((error = git_revwalk_next(&id, walk.get())) == 0) out.push_back(OidHex(id));
  if (error != GIT_ITEROVER) return GitError(error, fmt::format("walking {}", range.range));
  return out;
}

}  // namespace gitmodel
