#include "git/working_patch.h"

#include <string>

#include "git/git_handles.h"
#include "git/large_file_patch.h"
#include "git/revision.h"

namespace gitmodel {
namespace {

Result<GitTreePtr> BaseTree(git_repository* repo, std::string_view base_commit) {
  if (base_commit.empty()) return GitTreePtr();
  GM_ASSIGN_OR_RETURN(auto commit, FindCommitByIdPrefix(repo, base_commit));
  if (!commit) return NotFound("commit {} is not in the repository", base_commit);
  return TreeOf(commit->get());
}

// True when adding `path` to `index` would put a file where a directory is or the reverse.
bool CollidesWithIndex(git_index* index, const std::string& path) {
  size_t pos = 0;
  if (git_index_find_prefix(&pos, index, (path + "/").c_str()) == 0) return true;
  for (size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1)) {
    if (git_index_get_bypath(index, path.substr(0, slash).c_str(), 0)) return true;
  }
  return false;
}

struct AddMissingPayload {
  git_index* index;
  Status status;
};

// git_tree_walk callback: adds a base-tree file the index lacks, with empty stat data so the diff
// hashes the working-tree file instead of trusting timestamps.
int AddIfMissing(const char* root, const git_tree_entry* entry, void* payload) {
  auto* p = static_cast<AddMissingPayload*>(payload);
  if (git_tree_entry_type(entry) == GIT_OBJECT_TREE) return 0;
  std::string path = std::string(root) + git_tree_entry_name(entry);
  if (git_index_get_bypath(p->index, path.c_str(), 0) || CollidesWithIndex(p->index, path)) return 0;
  git_index_entry added{};
  added.mode = git_tree_entry_filemode(entry);
  git_oid_cpy(&added.id, git_tree_entry_id(entry));
  added.path = path.c_str();
  int error = git_index_add(p->index, &added);
  if (error < 0) p->status = GitError(error, fmt::format("tracking '{}' for the patch", path));
  return error < 0 ? -1 : 0;
}

// A private copy of the repository's index (never written back) with conflicts dropped and every
// base-tree file it lacks added back, so "tracked" means "in the base tree or in the index" and
// the working tree decides each tracked file's content. Opened from the index file so libgit2's
// racy-timestamp check still applies to the copied entries.
Result<GitIndexPtr> TrackingIndex(git_repository* repo, git_tree* base) {
  std::string path = std::string(git_repository_path(repo)) + "index";
  git_index* raw = nullptr;
  int error = git_index_open(&raw, path.c_str());
  if (error < 0) return GitError(error, fmt::format("reading the index '{}'", path));
  GitIndexPtr index(raw);
  error = git_index_conflict_cleanup(index.get());
  if (error < 0) return GitError(error, "dropping conflicts from a copy of the index");
  if (!base) return index;
  AddMissingPayload payload{index.get(), OkStatus()};
  error = git_tree_walk(base, GIT_TREEWALK_PRE, AddIfMissing, &payload);
  if (!payload.status.ok()) return payload.status;
  if (error < 0) return GitError(error, "walking the base tree");
  return index;
}

git_diff_options PatchOptions() {
  git_diff_options options;
  git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION);
  options.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS |
                  GIT_DIFF_SHOW_UNTRACKED_CONTENT | GIT_DIFF_SHOW_BINARY;
  options.ignore_submodules = GIT_SUBMODULE_IGNORE_DIRTY;
  options.id_abbrev = GIT_OID_HEXSZ;  // git apply needs full ids to apply binary patches
  return options;
}

// base tree -> index, index -> working tree, merged the way `git diff <commit>` merges them.
Result<GitDiffPtr> WorkingDiff(git_repository* repo, git_tree* base, git_index* index) {
  git_diff_options options = PatchOptions();
  git_diff* raw = nullptr;
  int error = git_diff_tree_to_index(&raw, repo, base, index, &options);
  if (error < 0) return GitError(error, "comparing the base commit with the index");
  GitDiffPtr staged(raw);
  error = git_diff_index_to_workdir(&raw, repo, index, &options);
  if (error < 0) return GitError(error, "comparing the index with the working tree");
  GitDiffPtr unstaged(raw);
  error = git_diff_merge(staged.get(), unstaged.get());
  if (error < 0) return GitError(error, "merging staged and unstaged changes");
  return staged;
}

Status AppendLibgit2Patch(git_diff* diff, size_t i, std::string& out) {
  git_patch* raw = nullptr;
  int error = git_patch_from_diff(&raw, diff, i);
  if (error < 0) return GitError(error, fmt::format("computing the patch of '{}'", git_diff_get_delta(diff, i)->new_file.path));
  if (!raw) return OkStatus();  // nothing to print for this delta
  GitPatchPtr patch(raw);
  GitBuf text;
  error = git_patch_to_buf(text.get(), patch.get());
  if (error < 0) return GitError(error, fmt::format("printing the patch of '{}'", git_diff_get_delta(diff, i)->new_file.path));
  out += text.view();
  return OkStatus();
}

}  // namespace

Result<std::string> WorkingPatch(git_repository* repo, std::string_view base_commit, const LargeFileLimits& limits,
                                 const std::set<std::string>& excluded) {
  GM_ASSIGN_OR_RETURN(GitTreePtr base, BaseTree(repo, base_commit));
  GM_ASSIGN_OR_RETURN(GitIndexPtr index, TrackingIndex(repo, base.get()));
  GM_ASSIGN_OR_RETURN(GitDiffPtr diff, WorkingDiff(repo, base.get(), index.get()));
  std::string out;
  for (size_t i = 0, n = git_diff_num_deltas(diff.get()); i < n; ++i) {
    const git_diff_delta& delta = *git_diff_get_delta(diff.get(), i);
    if (excluded.count(delta.new_file.path) || excluded.count(delta.old_file.path)) continue;
    GM_ASSIGN_OR_RETURN(bool large, IsLargeFileDelta(repo, delta, limits));
    GM_RETURN_IF_ERROR(large ? AppendLargeFilePatch(repo, delta, out) : AppendLibgit2Patch(diff.get(), i, out));
  }
  return out;
}

}  // namespace gitmodel
