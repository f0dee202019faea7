// The files of a commit's tree that a PathSelector picks (config files), and how they changed
// between two trees, with renames paired. Used by the hyperparameter history (src/hyperparams/).
//
// Thread-safety: a SelectedFiles object caches per repository; use one per thread, like GitRepo.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "git/repo.h"
#include "gitmodel/status.h"

namespace gitmodel {

// Which files of a tree to follow. Paths are repository-relative, '/'-separated.
class PathSelector {
 public:
  virtual ~PathSelector() = default;
  virtual bool Selects(std::string_view path) const = 0;
  // False when no file under directory `dir` can be selected, so the walk skips it.
  virtual bool MayContain(std::string_view dir) const = 0;
};

// path -> blob id (40 hex digits). Only regular files (not links, not submodules).
using FileSet = std::map<std::string, std::string>;

// One selected file's change between two trees. An empty blob id means absent on that side;
// old_path != new_path for a rename (both non-empty).
struct FileDelta {
  std::string old_path, new_path;
  std::string old_blob, new_blob;
};

class SelectedFiles {
 public:
  // `selector` is borrowed and must outlive this object; `repo` likewise.
  SelectedFiles(const GitRepo& repo, const PathSelector& selector);
  ~SelectedFiles();

  // Also follow these exact paths (a renamed config's old name).
  void AddPath(const std::string& path) { extra_paths_.insert(path); }

  // The selected files of the tree `tree_id` (hex). Subtrees are listed once per (id, path).
  Result<FileSet> FilesOfTree(const std::string& tree_id);

  // Changes from `before` to `after` (trees `before_tree` and `after_tree`, hex; "" for no
  // tree). When a selected path appears, libgit2's rename detection (git_diff_find_similar)
  // pairs it with a file that disappeared, selected or not; the old name is then followed too.
  Result<std::vector<FileDelta>> Compare(const std::string& before_tree, const FileSet& before,
                                         const std::string& after_tree, const FileSet& after);

 private:
  struct Impl;
  const GitRepo& repo_;
  const PathSelector& selector_;
  std::set<std::string> extra_paths_;
  std::unique_ptr<Impl> impl_;
};

// The tree id (hex) of the commit `revision` names; kNotFound when it names no commit.
Result<std::string> TreeIdOf(const GitRepo& repo, std::string_view revision);

// The bytes of blob `blob_id` (hex), refusing blobs over `max_bytes` (kLimit).
Result<std::string> ReadBlobText(const GitRepo& repo, const std::string& blob_id, size_t max_bytes);

}  // namespace gitmodel
