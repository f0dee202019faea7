// What a repository's history needs from the model store: the pointers its commits (and index)
// hold, and the objects those pointers need (manifests, chunks, and the chunks' delta bases).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "gitmodel/status.h"
#include "store/object_store.h"
#include "store/pointer.h"

namespace gitmodel {

class GitRepo;

struct ReachablePointer {
  Pointer pointer;
  std::string path;    // where it was first seen
  std::string commit;  // 40 hex; "" for the index
};

// Distinct pointers (by git blob) in the commits reachable from `tips` but not from `hidden`,
// plus the index's with `include_index`.
Result<std::vector<ReachablePointer>> ReachablePointers(const GitRepo& repo, const std::vector<std::string>& tips,
                                                        const std::vector<std::string>& hidden, bool include_index);

// Distinct pointers in the trees of the commits `revisions` name (not their history).
Result<std::vector<ReachablePointer>> PointersAt(const GitRepo& repo, const std::vector<std::string>& revisions);

struct NeededObject {
  uint64_t raw_bytes = 0;     // 0 while unknown (a missing object)
  uint64_t stored_bytes = 0;  // the local object file's size; 0 when missing
  std::string needed_by;      // "path@commit" of the first pointer that needs it
};

struct NeededObjects {
  std::map<ObjectId, NeededObject> present;
  std::map<ObjectId, NeededObject> missing;
  std::vector<std::string> errors;  // manifests that exist but do not decode
};

// The closure of what `pointers` need: each manifest, its chunks, and their delta bases.
// A missing manifest is listed; its chunks cannot be known.
NeededObjects ObjectsNeeded(const ObjectStore& store, const std::vector<ReachablePointer>& pointers);

}  // namespace gitmodel
