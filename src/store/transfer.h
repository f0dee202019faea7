// Moving objects between the local store and a Remote (docs/storage.md, "Remotes"), on several
// threads, with retries for transient failures (remote.h: IsRetryable) and exponential backoff
// with jitter. Both directions can be killed at any point and run again: an object is installed
// (locally: ObjectStore::Adopt; remotely: Remote::Put) whole or not at all, and a rerun skips what
// is already there.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <utility>
#include <vector>

#include "gitmodel/status.h"
#include "store/object_id.h"
#include "store/object_store.h"
#include "store/remote.h"

namespace gitmodel {

struct TransferProgress {
  size_t objects_done = 0;   // transferred, already there or failed
  size_t objects_total = 0;  // grows when a download finds delta bases to fetch
  uint64_t bytes_done = 0;   // object file bytes moved or found already there (uploads)
  uint64_t bytes_total = 0;  // uploads: the bytes of every object considered; downloads: 0 (unknown)
};

struct TransferOptions {
  unsigned jobs = 8;  // objects in flight at once
  int retries = 4;    // further tries of a transient failure
  std::chrono::milliseconds first_backoff{200};  // doubled after each try, then jittered to 50-100%
  // Called after each object, from one thread at a time (never concurrently).
  std::function<void(const TransferProgress&)> progress;
};

struct TransferReport {
  size_t transferred = 0;    // objects moved
  size_t already_there = 0;  // objects the destination had
  uint64_t bytes = 0;        // object file bytes moved
  std::vector<std::pair<ObjectId, Status>> failed;  // one line each, naming object and remote
  bool ok() const { return failed.empty(); }
};

// Uploads `ids` and every delta base they need (ObjectStore::Stat(id).base, recursively) that
// `remote` lacks. Bases go before the objects that need them, and an object whose base failed is
// not uploaded, so the remote never holds a delta it cannot resolve. An error only when nothing
// could start; per-object failures are in the report.
Result<TransferReport> UploadObjects(const ObjectStore& store, Remote& remote, std::span<const ObjectId> ids,
                                     const TransferOptions& options);

// Downloads the objects of `ids` that are not in `store`, through temp files in `<root>/tmp/`, and
// installs each with ObjectStore::Adopt, which verifies it: a corrupt object is reported as failed
// ("object <hex> from <remote>: ...") and not tried again. A delta object whose base is missing
// locally gets its base downloaded first (chains of at most kMaxDeltaDepth). Temp files are private
// to the run; those a killed run left are ignored, and removed once a day old. kIO when
// `<root>/tmp` cannot be made.
Result<TransferReport> DownloadObjects(const ObjectStore& store, Remote& remote, std::span<const ObjectId> ids,
                                       const TransferOptions& options);

}  // namespace gitmodel
