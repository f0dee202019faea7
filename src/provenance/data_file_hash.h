// Hashing one entry of a data set (data_hash.h): a regular file's contents or a symlink's target.
#pragma once

#include <cstdint>
#include <functional>

#include "base/sha256.h"
#include "gitmodel/status.h"
#include "provenance/data_walk.h"

namespace gitmodel {

struct EntryDigest {
  Digest digest{};
  uint64_t size = 0;  // content bytes, or link target bytes
};

// Reads a regular file in 1 MiB preads, calling `on_bytes(n)` after each. The file must still
// match `entry.stat` when opened and after the last byte (else Conflict: it changed while being
// hashed); IO errors name the file. Thread-safe.
Result<EntryDigest> HashRegularFile(const WalkEntry& entry, const std::function<void(uint64_t)>& on_bytes);

// SHA-256 of the link's target text as readlink() returns it; the link is not followed.
Result<EntryDigest> HashSymlink(const WalkEntry& entry);

}  // namespace gitmodel
