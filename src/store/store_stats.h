// `git model stats`: what the store saves against keeping a full copy of every version (what
// git-lfs and DVC store), for the versions the repository's refs and index reach.
#pragma once

#include <cstddef>
#include <cstdint>

#include "gitmodel/status.h"
#include "store/object_store.h"

namespace gitmodel {

class GitRepo;

struct StoreStats {
  size_t pointers = 0;            // distinct pointer blobs (file versions at their paths)
  size_t files = 0;               // distinct file contents among them
  uint64_t logical_bytes = 0;     // sum of those contents' sizes: one full copy of each
  size_t chunks = 0;              // distinct objects they need (manifests included)
  uint64_t unique_bytes = 0;      // raw bytes of those objects: after dedup, before compression
  uint64_t stored_bytes = 0;      // their object files: after compression and deltas
  size_t delta_objects = 0;       // of them, stored as XOR deltas
  size_t missing = 0;             // needed but not in the local store (not counted above)
  size_t local_objects = 0;       // everything in the local store, needed or not
  uint64_t local_bytes = 0;
  double dedup_ratio() const { return unique_bytes ? double(logical_bytes) / double(unique_bytes) : 0; }
  double compression_ratio() const { return stored_bytes ? double(unique_bytes) / double(stored_bytes) : 0; }
  double saving_ratio() const { return logical_bytes ? double(stored_bytes) / double(logical_bytes) : 0; }
};

Result<StoreStats> ComputeStoreStats(const GitRepo& repo, const ObjectStore& store);

}  // namespace gitmodel
