// Shared by the storage commands (filter-process, track, fsck, gc, stats, push, pull...): the
// repository of the current directory and its git-model object store.
#pragma once

#include <memory>
#include <string>

#include "git/repo.h"
#include "gitmodel/status.h"
#include "store/object_store.h"

namespace gitmodel::cli {

struct StoreContext {
  GitRepo repo;
  std::string git_model_dir;  // <common git dir>/git-model
  ObjectStore store;
  std::string tmp_dir() const { return git_model_dir + "/tmp"; }
};

// kInvalidArgument "not in a git repository" outside one.
Result<std::unique_ptr<StoreContext>> OpenStoreContext();

}  // namespace gitmodel::cli
