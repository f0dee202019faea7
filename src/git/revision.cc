#include "git/revision.h"

#include <string>

namespace gitmodel {
namespace {

bool IsAbsence(int error) {
  return error == GIT_ENOTFOUND || error == GIT_EINVALIDSPEC || error == GIT_EPEEL ||
         error == GIT_EUNBORNBRANCH;
}

}  // namespace

Result<std::optional<GitCommitPtr>> FindCommit(git_repository* repo, std::string_view spec) {
  std::string text(spec);
  git_object* raw = nullptr;
  int error = git_revparse_single(&raw, repo, text.c_str());
  if (IsAbsence(error)) return std::optional<GitCommitPtr>();
  if (error < 0) return GitError(error, fmt::format("resolving revision '{}'", text));
  GitObjectPtr object(raw);
  git_object* peeled = nullptr;
  error = git_object_peel(&peeled, object.get(), GIT_OBJECT_COMMIT);
  if (IsAbsence(error)) return std::optional<GitCommitPtr>();
  if (error < 0) return GitError(error, fmt::format("reading commit '{}'", text));
  return std::optional<GitCommitPtr>(GitCommitPtr(reinterpret_cast<git_commit*>(peeled)));
}

Result<std::optional<GitCommitPtr>> FindCommitByIdPrefix(git_repository* repo, std::string_view hex) {
  git_oid oid;
  if (hex.size() < GIT_OID_MINPREFIXLEN || hex.size() > GIT_OID_HEXSZ ||
      git_oid_fromstrn(&oid, hex.data(), hex.size()) < 0) {
    return std::optional<GitCommitPtr>();
  }
  git_commit* raw = nullptr;
  int error = git_commit_lookup_prefix(&raw, repo, &oid, hex.size());
  if (error == GIT_ENOTFOUND || error == GIT_EINVALIDSPEC) return std::optional<GitCommitPtr>();
  if (error < 0) return GitError(error, fmt::format("looking up commit '{}'", hex));
  return std::optional<GitCommitPtr>(GitCommitPtr(raw));
}

Result<GitTreePtr> TreeOf(const git_commit* commit) {
  git_tree* raw = nullptr;
  int error = git_commit_tree(&raw, commit);
  if (error < 0) return GitError(error, fmt::format("reading the tree of commit {}", OidHex(*git_commit_id(commit))));
  return GitTreePtr(raw);
}

}  // namespace gitmodel
