// Which files changed between two commits, with line counts: the "code changes" of
// `git model runs compare` (what `git diff --numstat A B` shows).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gitmodel/status.h"

namespace gitmodel {

class GitRepo;

struct FileChange {
  std::string path;   // the new path (the old one for a deletion)
  std::string old_path;  // the path before a rename; empty otherwise
  char status = 'M';  // A added, D deleted, M modified, R renamed, T type changed
  uint64_t added_lines = 0;
  uint64_t deleted_lines = 0;
  bool binary = false;  // no line counts
};

// Changes from commit `from` to commit `to` (full or abbreviated ids, or any revision; an empty
// `from` is the empty tree, for a root commit), renames detected, sorted by path. kNotFound naming a commit that does not exist.
Result<std::vector<FileChange>> ChangesBetween(const GitRepo& repo, std::string_view from, std::string_view to);

}  // namespace gitmodel
