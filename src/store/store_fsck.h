// `git model fsck`: every local object verified (decoded, delta chain resolved, SHA-256 checked)
// and every object the repository's refs, recent reflogs and index need accounted for.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "gitmodel/status.h"
#include "store/object_store.h"
#include "store/reachable.h"

namespace gitmodel {

class GitRepo;

struct FsckReport {
  size_t objects_checked = 0;
  std::vector<std::pair<ObjectId, std::string>> damaged;  // with the reason
  size_t pointers = 0;
  NeededObjects needed;       // .missing: objects the history needs that are not here
  size_t temp_files = 0;      // left by interrupted writes (harmless; `git model gc` removes them)
  bool clean() const { return damaged.empty() && needed.missing.empty() && needed.errors.empty(); }
};

// `progress(done, total)` is called as objects are verified (from one thread at a time).
Result<FsckReport> FsckStore(const GitRepo& repo, const ObjectStore& store,
                             const std::function<void(size_t, size_t)>& progress = {});

// Files in the store's directories that are not objects: temp files of interrupted writes.
std::vector<std::string> StoreTempFiles(const ObjectStore& store);

}  // namespace gitmodel
