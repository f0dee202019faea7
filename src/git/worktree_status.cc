#include "git/worktree_status.h"

#include <algorithm>

namespace gitmodel {
namespace {

const char* EntryPath(const git_status_entry& entry) {
  const git_diff_delta* delta = entry.head_to_index ? entry.head_to_index : entry.index_to_workdir;
  if (!delta) return nullptr;
  return delta->new_file.path ? delta->new_file.path : delta->old_file.path;
}

void Classify(const git_status_entry& entry, WorktreeStatus& out) {
  const char* path = EntryPath(entry);
  if (!path || entry.status == GIT_STATUS_CURRENT || (entry.status & GIT_STATUS_IGNORED)) return;
  // `git rm --cached f` leaves f both deleted in the index and untracked: it goes in both lists.
  if (entry.status & GIT_STATUS_WT_NEW) out.untracked.emplace_back(path);
  if (entry.status & ~GIT_STATUS_WT_NEW) out.changed.emplace_back(path);
}

}  // namespace

Result<WorktreeStatus> ReadWorktreeStatus(git_repository* repo) {
  git_status_options options = GIT_STATUS_OPTIONS_INIT;
  options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
  options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS;
  git_status_list* raw = nullptr;
  int error = git_status_list_new(&raw, repo, &options);
  if (error < 0) return GitError(error, "reading the status of the working tree");
  GitStatusListPtr list(raw);
  WorktreeStatus status;
  size_t count = git_status_list_entrycount(list.get());
  for (size_t i = 0; i < count; ++i) Classify(*git_status_byindex(list.get(), i), status);
  std::sort(status.changed.begin(), status.changed.end());
  std::sort(status.untracked.begin(), status.untracked.end());
  status.changed.erase(std::unique(status.changed.begin(), status.changed.end()), status.changed.end());
  return status;
}

}  // namespace gitmodel
