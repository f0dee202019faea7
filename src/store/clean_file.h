// Storing one file: the work of git's clean filter (docs/storage.md, "How a file is stored").
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "gitmodel/status.h"
#include "store/manifest.h"
#include "store/object_store.h"
#include "store/pointer.h"

namespace gitmodel {

struct CleanOptions {
  // The manifest of the same path's previous version: a chunk whose name and length match one of
  // its chunks is offered that chunk as a delta base.
  std::optional<Manifest> previous;
  unsigned threads = 0;  // 0: all cores
  uint8_t max_delta_depth = kDefaultMaxDeltaDepth;  // PutOptions
};

struct CleanStats {
  uint64_t chunks = 0;
  uint64_t new_chunks = 0;     // not in the store before
  uint64_t delta_chunks = 0;   // of the new ones, stored as deltas
  uint64_t new_bytes = 0;      // object file bytes written
};

struct CleanResult {
  Pointer pointer;
  CleanStats stats;
};

// Cuts the file at `path` into chunks (chunker.h), stores every chunk and the manifest in `store`
// and returns the pointer that stands for the file. The file must not change meanwhile.
Result<CleanResult> CleanFile(const ObjectStore& store, const std::string& path, const CleanOptions& options = {});

}  // namespace gitmodel
