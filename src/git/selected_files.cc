// Trees are listed by walking only directories the selector may match; each (subtree id, path)
// listing is cached, so an unchanged directory costs one map lookup per commit. Rename detection
// (a full tree diff) runs only when a selected path appears, which is rare.
#include "git/selected_files.h"

#include <unordered_map>

#include "git/git_handles.h"
#include "git/revision.h"

namespace gitmodel {
namespace {

Result<git_oid> ParseOid(const std::string& hex) {
  git_oid oid;
  if (hex.size() != GIT_OID_HEXSZ || git_oid_fromstr(&oid, hex.c_str()) < 0)
    return InvalidArgument("'{}' is not an object id", hex);
  return oid;
}

Result<GitTreePtr> LookupTree(git_repository* repo, const std::string& hex) {
  GM_ASSIGN_OR_RETURN(git_oid oid, ParseOid(hex));
  git_tree* raw = nullptr;
  int error = git_tree_lookup(&raw, repo, &oid);
  if (error < 0) return GitError(error, fmt::format("reading tree {}", hex));
  return GitTreePtr(raw);
}

std::string Join(std::string_view dir, std::string_view name) {
  return dir.empty() ? std::string(name) : fmt::format("{}/{}", dir, name);
}

}  // namespace

struct SelectedFiles::Impl {
  std::unordered_map<std::string, FileSet> listings;  // "<tree id>:<path>" -> selected files under it
};

SelectedFiles::SelectedFiles(const GitRepo& repo, const PathSelector& selector)
    : repo_(repo), selector_(selector), impl_(std::make_unique<Impl>()) {}
SelectedFiles::~SelectedFiles() = default;

namespace {

// Lists the selected files of `tree` (at `dir`) into `out`, caching by tree id and path.
Status ListTree(git_repository* repo, const PathSelector& selector, const git_oid& tree_id, const std::string& dir,
                std::unordered_map<std::string, FileSet>& cache, FileSet& out) {
  const std::string key = OidHex(tree_id) + ":" + dir;
  auto it = cache.find(key);
  if (it == cache.end()) {
    git_tree* raw = nullptr;
    int error = git_tree_lookup(&raw, repo, &tree_id);
    if (error < 0) return GitError(error, fmt::format("reading tree {}", OidHex(tree_id)));
    GitTreePtr tree(raw);
    FileSet files;
    for (size_t i = 0, n = git_tree_entrycount(tree.get()); i < n; ++i) {
      const git_tree_entry* entry = git_tree_entry_byindex(tree.get(), i);
      const std::string path = Join(dir, git_tree_entry_name(entry));
      const git_filemode_t mode = git_tree_entry_filemode(entry);
      if (mode == GIT_FILEMODE_TREE && selector.MayContain(path)) {
        GM_RETURN_IF_ERROR(ListTree(repo, selector, *git_tree_entry_id(entry), path, cache, files));
      } else if ((mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE) && selector.Selects(path)) {
        files.emplace(path, OidHex(*git_tree_entry_id(entry)));
      }
    }
    it = cache.emplace(key, std::move(files)).first;
  }
  out.insert(it->second.begin(), it->second.end());
  return OkStatus();
}

}  // namespace

Result<FileSet> SelectedFiles::FilesOfTree(const std::string& tree_id) {
  if (tree_id.empty()) return FileSet{};
  GM_ASSIGN_OR_RETURN(git_oid oid, ParseOid(tree_id));
  FileSet files;
  GM_RETURN_IF_ERROR(ListTree(repo_.get(), selector_, oid, "", impl_->listings, files));
  if (extra_paths_.empty()) return files;
  GM_ASSIGN_OR_RETURN(GitTreePtr tree, LookupTree(repo_.get(), tree_id));
  for (const std::string& path : extra_paths_) {
    git_tree_entry* raw = nullptr;
    if (git_tree_entry_bypath(&raw, tree.get(), path.c_str()) < 0) continue;
    std::unique_ptr<git_tree_entry, GitFree<git_tree_entry, git_tree_entry_free>> entry(raw);
    if (git_tree_entry_type(entry.get()) == GIT_OBJECT_BLOB) files.emplace(path, OidHex(*git_tree_entry_id(entry.get())));
  }
  return files;
}

namespace {

// Renames into `appeared` paths found by libgit2 between the two trees: new path -> old path.
Result<std::map<std::string, std::string>> FindRenames(git_repository* repo, const std::string& before_tree,
                                                       const std::string& after_tree) {
  std::map<std::string, std::string> renames;
  if (before_tree.empty() || after_tree.empty()) return renames;
  GM_ASSIGN_OR_RETURN(GitTreePtr before, LookupTree(repo, before_tree));
  GM_ASSIGN_OR_RETURN(GitTreePtr after, LookupTree(repo, after_tree));
  git_diff* raw = nullptr;
  int error = git_diff_tree_to_tree(&raw, repo, before.get(), after.get(), nullptr);
  if (error < 0) return GitError(error, "comparing trees to find renamed files");
  GitDiffPtr diff(raw);
  git_diff_find_options options = GIT_DIFF_FIND_OPTIONS_INIT;
  options.flags = GIT_DIFF_FIND_RENAMES;
  error = git_diff_find_similar(diff.get(), &options);
  if (error < 0) return GitError(error, "finding renamed files");
  for (size_t i = 0, n = git_diff_num_deltas(diff.get()); i < n; ++i) {
    const git_diff_delta* delta = git_diff_get_delta(diff.get(), i);
    if (delta->status == GIT_DELTA_RENAMED) renames[delta->new_file.path] = delta->old_file.path;
  }
  return renames;
}

// The blob of `path` in tree `tree_id` ("" when absent).
std::string BlobAt(git_repository* repo, const std::string& tree_id, const std::string& path) {
  auto tree = LookupTree(repo, tree_id);
  if (!tree.ok()) return "";
  git_tree_entry* raw = nullptr;
  if (git_tree_entry_bypath(&raw, tree->get(), path.c_str()) < 0) return "";
  std::string id = OidHex(*git_tree_entry_id(raw));
  git_tree_entry_free(raw);
  return id;
}

}  // namespace

Result<std::vector<FileDelta>> SelectedFiles::Compare(const std::string& before_tree, const FileSet& before,
                                                      const std::string& after_tree, const FileSet& after) {
  std::map<std::string, std::string> renames;  // new path -> old path
  for (const auto& [path, blob] : after) {
    if (before.contains(path)) continue;
    GM_ASSIGN_OR_RETURN(renames, FindRenames(repo_.get(), before_tree, after_tree));
    break;
  }
  std::vector<FileDelta> deltas;
  std::set<std::string> renamed_away;
  for (const auto& [path, blob] : after) {
    auto old = before.find(path);
    if (old != before.end()) {
      if (old->second != blob) deltas.push_back({path, path, old->second, blob});
      continue;
    }
    auto rename = renames.find(path);
    if (rename == renames.end()) {
      deltas.push_back({"", path, "", blob});
      continue;
    }
    const std::string& old_path = rename->second;
    auto old_blob = before.find(old_path);
    deltas.push_back({old_path, path,
                      old_blob != before.end() ? old_blob->second : BlobAt(repo_.get(), before_tree, old_path), blob});
    renamed_away.insert(old_path);
    AddPath(old_path);
  }
  for (const auto& [path, blob] : before)
    if (!after.contains(path) && !renamed_away.contains(path)) deltas.push_back({path, "", blob, ""});
  return deltas;
}

Result<std::string> TreeIdOf(const GitRepo& repo, std::string_view revision) {
  GM_ASSIGN_OR_RETURN(auto commit, FindCommit(repo.get(), revision));
  if (!commit) return NotFound("'{}' names no commit", revision);
  return OidHex(*git_commit_tree_id(commit->get()));
}

Result<std::string> ReadBlobText(const GitRepo& repo, const std::string& blob_id, size_t max_bytes) {
  GM_ASSIGN_OR_RETURN(git_oid oid, ParseOid(blob_id));
  git_blob* raw = nullptr;
  int error = git_blob_lookup(&raw, repo.get(), &oid);
  if (error < 0) return GitError(error, fmt::format("reading blob {}", blob_id));
  GitBlobPtr blob(raw);
  const auto size = static_cast<size_t>(git_blob_rawsize(blob.get()));
  if (size > max_bytes) return LimitExceeded("blob {} is {} bytes, more than the limit of {}", blob_id, size, max_bytes);
  return std::string(static_cast<const char*>(git_blob_rawcontent(blob.get())), size);
}

}  // namespace gitmodel
