// Rebuilding one file from its pointer: the work of git's smudge filter (docs/storage.md).
#pragma once

#include <functional>
#include <span>
#include <vector>

#include "gitmodel/status.h"
#include "store/manifest.h"
#include "store/object_store.h"
#include "store/pointer.h"

namespace gitmodel {

using ByteSink = std::function<Status(std::span<const std::byte>)>;

// The manifest `pointer` names, checked against the pointer (file size and SHA-256 fields).
Result<Manifest> ReadManifest(const ObjectStore& store, const Pointer& pointer);

// Writes the file's bytes to `sink` in order. Chunks are decoded on all cores a window at a time,
// the next window while the current one is written. Integrity is a chain of hashes: the pointer
// names the manifest by its SHA-256, the manifest names each chunk by its SHA-256, and every
// chunk is verified as it is read; the whole file is not hashed again. A non-ok Status after
// some bytes were written means those bytes must be thrown away.
Status SmudgeFile(const ObjectStore& store, const Pointer& pointer, const ByteSink& sink, unsigned threads = 0);

// The objects the file needs that the store lacks: the manifest alone when it is missing
// (its chunks are unknown until it is there), else the missing chunks.
Result<std::vector<ObjectId>> MissingObjects(const ObjectStore& store, const Pointer& pointer);

}  // namespace gitmodel
