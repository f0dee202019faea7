// What `git model push` uploads and `git model fetch` downloads: the objects that pointers in a
// set of commits (and the index) need.
#pragma once

#include <string>
#include <vector>

#include "gitmodel/status.h"
#include "store/object_store.h"
#include "store/reachable.h"

namespace gitmodel {

class GitRepo;

struct SyncPlan {
  size_t pointers = 0;
  std::vector<ObjectId> objects;  // present locally (push) or needed (fetch: present ones left out)
  std::vector<std::string> missing;  // push: "<hex> (needed by path@commit)" for objects not here
};

// Objects the pointers in commits reachable from `tips` but not `hidden` need, for uploading:
// every manifest and chunk (delta bases are added by UploadObjects). Objects the local store
// lacks are listed in `missing`: they cannot be pushed from here.
Result<SyncPlan> PlanPush(const GitRepo& repo, const ObjectStore& store, const std::vector<std::string>& tips,
                          const std::vector<std::string>& hidden);

// Objects the pointers at `revisions` (their trees only, not their history; the index too with
// `include_index`) need that the local store lacks. Manifests that are missing are listed as such
// (their chunks are known once they are here: fetch again).
Result<SyncPlan> PlanFetch(const GitRepo& repo, const ObjectStore& store, const std::vector<std::string>& revisions,
                           bool include_index);

}  // namespace gitmodel
