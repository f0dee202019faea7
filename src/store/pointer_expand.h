// Reading a git-model pointer as the file it stands for, for the commands that open checkpoints
// by path (diff, textconv, git-diff): `git model diff HEAD~1:model.pth model.pth` finds a pointer
// in the commit, and git hands diff drivers the pointer text that it stores.
#pragma once

#include <optional>
#include <string>

#include "gitmodel/status.h"

namespace gitmodel {

// The rebuilt file: `<$TMPDIR or /tmp>/gitmodel-ptr-XXXXXX/<base name>`, removed with this object.
class ExpandedFile {
 public:
  ExpandedFile(std::string dir, std::string path) : dir_(std::move(dir)), path_(std::move(path)) {}
  ExpandedFile(ExpandedFile&& other) noexcept;
  ExpandedFile& operator=(ExpandedFile&& other) noexcept;
  ExpandedFile(const ExpandedFile&) = delete;
  ~ExpandedFile();
  const std::string& path() const { return path_; }

 private:
  std::string dir_, path_;
};

// nullopt when the file at `path` is not a pointer. When it is, the file rebuilt from the object
// store of the repository containing `repo_dir`; kNotFound naming `git model pull` when the
// objects are not there (or there is no repository).
Result<std::optional<ExpandedFile>> ExpandPointerFile(const std::string& path, const std::string& repo_dir = ".");

}  // namespace gitmodel
