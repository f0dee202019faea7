// The file git hands a diff driver (textconv, git-diff), with git-model pointers read as the file
// they stand for: git stores pointers for tracked files, and `git log -p` hands their text over.
#pragma once

#include <string>

#include "git/driver_input.h"

namespace gitmodel::cli {

// OpenDriverInput, after rebuilding a pointer from the local store. A pointer whose objects are
// not here is described (not a checkpoint: "its objects are not in the local store"), not an
// error: git stops `git log -p` when a driver fails.
Result<DriverInput> OpenDriverFile(const std::string& path);

}  // namespace gitmodel::cli
