// What git-model's clean and smudge filters do with a file (docs/storage.md), independent of how
// git talks to them (filter_protocol.h for the long-running process; the one-shot
// `git-model filter-clean/-smudge` commands use the same functions with stdin and stdout).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gitmodel/status.h"
#include "store/filter_protocol.h"
#include "store/object_store.h"

namespace gitmodel {

class GitRepo;

struct StoreFilter {
  const GitRepo* repo = nullptr;  // finds the previous version of a path (delta bases)
  ObjectStore store;
  std::string tmp_dir;            // spool files for content git streams in (same file system as the store)
  // Fetches objects a smudge needs from the default remote; unset: no remote configured.
  std::function<Status(const std::vector<ObjectId>&)> fetch;
  std::function<void(const std::string&)> warn;  // one line, no newline
  uint8_t max_delta_depth = kDefaultMaxDeltaDepth;  // git config git-model.maxDeltaDepth (PutOptions)
};

// Reads the content from `read` (returning 0 at the end) and writes what git should store.
// Content that already is a pointer passes through unchanged.
using ByteSource = std::function<Result<size_t>(std::span<std::byte>)>;
Status CleanContent(const StoreFilter& filter, const std::string& path, const ByteSource& read,
                    const std::function<Status(std::span<const std::byte>)>& write);

// Reads what git stored and writes the file. Content that is not a pointer passes through (a file
// committed before it was tracked); a pointer whose objects are missing here and cannot be fetched
// is written as it is, with a warning, so a checkout never fails for want of a model.
Status SmudgeContent(const StoreFilter& filter, const std::string& path, const ByteSource& read,
                     const std::function<Status(std::span<const std::byte>)>& write);

// The long-running filter process handler over the two.
FilterHandler StoreFilterHandler(const StoreFilter& filter);

}  // namespace gitmodel
