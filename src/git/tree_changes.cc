#include "git/tree_changes.h"

#include <algorithm>

#include "git/git_handles.h"
#include "git/repo.h"
#include "git/revision.h"

namespace gitmodel {
namespace {

Result<GitTreePtr> CommitTree(git_repository* repo, std::string_view spec) {
  if (spec.empty()) return GitTreePtr();  // the empty tree: a root commit's parent
  GM_ASSIGN_OR_RETURN(std::optional<GitCommitPtr> commit, FindCommit(repo, spec));
  if (!commit) return NotFound("no commit '{}' in the repository", spec);
  return TreeOf(commit->get());
}

char StatusLetter(git_delta_t status) {
  switch (status) {
    case GIT_DELTA_ADDED: return 'A';
    case GIT_DELTA_DELETED: return 'D';
    case GIT_DELTA_RENAMED: return 'R';
    case GIT_DELTA_TYPECHANGE: return 'T';
    default: return 'M';
  }
}

Result<FileChange> ChangeOf(git_diff* diff, size_t i) {
  const git_diff_delta* delta = git_diff_get_delta(diff, i);
  FileChange change;
  change.path = delta->status == GIT_DELTA_DELETED ? delta->old_file.path : delta->new_file.path;
  change.status = StatusLetter(delta->status);
  if (delta->status == GIT_DELTA_RENAMED) change.old_path = delta->old_file.path;
  git_patch* raw = nullptr;
  if (int e = git_patch_from_diff(&raw, diff, i); e < 0) return GitError(e, "diffing " + change.path);
  GitPatchPtr patch(raw);
  // The content is only looked at for the patch: binary is known from here on.
  change.binary = patch && (git_patch_get_delta(patch.get())->flags & GIT_DIFF_FLAG_BINARY) != 0;
  if (!patch || change.binary) return change;
  size_t context = 0, added = 0, deleted = 0;
  git_patch_line_stats(&context, &added, &deleted, patch.get());
  change.added_lines = added;
  change.deleted_lines = deleted;
  return change;
}

}  // namespace

Result<std::vector<FileChange>> ChangesBetween(const GitRepo& repo, std::string_view from, std::string_view to) {
  GM_ASSIGN_OR_RETURN(GitTreePtr old_tree, CommitTree(repo.get(), from));
  GM_ASSIGN_OR_RETURN(GitTreePtr new_tree, CommitTree(repo.get(), to));
  git_diff* raw = nullptr;
  if (int e = git_diff_tree_to_tree(&raw, repo.get(), old_tree.get(), new_tree.get(), nullptr); e < 0) {
    return GitError(e, fmt::format("diffing {} and {}", from, to));
  }
  GitDiffPtr diff(raw);
  git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
  find.flags = GIT_DIFF_FIND_RENAMES;
  if (int e = git_diff_find_similar(diff.get(), &find); e < 0) return GitError(e, "finding renames");
  std::vector<FileChange> out;
  for (size_t i = 0; i < git_diff_num_deltas(diff.get()); ++i) {
    GM_ASSIGN_OR_RETURN(FileChange change, ChangeOf(diff.get(), i));
    out.push_back(std::move(change));
  }
  std::sort(out.begin(), out.end(), [](const FileChange& a, const FileChange& b) { return a.path < b.path; });
  return out;
}

}  // namespace gitmodel
