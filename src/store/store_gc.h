// `git model gc`: removes objects that nothing keeps alive. Alive are: what the commits reachable
// from any ref, from reflog entries newer than `reflog_days`, or from the index need (manifests,
// chunks and the delta bases of those chunks); the working-tree patches provenance records in
// the record index refer to; and every object younger than `grace_days` (a `git add` in progress
// may have stored chunks that no commit names yet; ObjectStore::Put freshens the objects it reuses). Temp files of interrupted writes older than an
// hour go too.
#pragma once

#include <cstddef>
#include <cstdint>

#include "gitmodel/status.h"
#include "store/object_store.h"

namespace gitmodel {

class GitRepo;

struct GcOptions {
  int reflog_days = 90;  // git's gc.reflogExpire default
  int grace_days = 14;   // git's gc.pruneExpire default ("2.weeks.ago")
  bool dry_run = false;
};

struct GcReport {
  size_t kept = 0;
  size_t removed = 0;
  uint64_t removed_bytes = 0;
  size_t temp_files_removed = 0;
  size_t missing = 0;  // objects the history needs that were already absent (see fsck)
};

Result<GcReport> CollectGarbage(const GitRepo& repo, const ObjectStore& store, const GcOptions& options);

}  // namespace gitmodel
