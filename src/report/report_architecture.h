// The report's Architecture section: how a committed checkpoint's modules and parameter count
// changed from the version of the same path before a commit (its first parent's).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "git/repo.h"
#include "gitmodel/status.h"
#include "report/change_report.h"

namespace gitmodel {

// Files the report reads as checkpoints: *.pt, *.pth, *.ckpt, *.safetensors, *.pt2.
bool IsCheckpointPath(std::string_view path);

struct CheckpointLayout {
  std::map<std::string, std::string> tensors;  // name -> "float32[64, 3, 3, 3]"
  uint64_t parameters = 0;                     // elements of every tensor
};

// The tensors of `path` (repository-relative) as committed at `commit`; a git-model pointer is
// rebuilt from the object store (kNotFound naming `git model pull` when its objects are missing).
Result<CheckpointLayout> LayoutAt(const GitRepo& repo, const std::string& commit, const std::string& path);

// Fills `out`'s modules, reshaped tensors and counts for the change from `before` (nullopt: the
// file is new) to `after`. Modules are tensor names without their last component.
void CompareLayouts(const std::optional<CheckpointLayout>& before, const CheckpointLayout& after, ArchitectureChange& out);

// True when `change` shows an architecture change: a new file, modules added or removed, tensors
// reshaped, another parameter count, or an error.
bool ArchitectureChanged(const ArchitectureChange& change);

}  // namespace gitmodel
