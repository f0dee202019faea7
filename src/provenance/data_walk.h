// Listing what a data hash covers: the regular files and symlinks under a path (data_hash.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gitmodel/status.h"
#include "provenance/stat_cache.h"

namespace gitmodel {

struct WalkEntry {
  std::string relative_path;  // '/'-separated below the root; the file's name for a file root
  std::string absolute_path;  // the root made absolute, then the relative path
  bool symlink = false;       // a symlink (never followed); otherwise a regular file
  FileStat stat;              // lstat() of the entry
};

struct WalkLimits {
  uint64_t max_files = 10'000'000;
  int max_depth = 256;
};

struct WalkResult {
  std::string absolute_root;  // absolute and lexically normal, no trailing '/' (but "/")
  bool directory = false;     // the root is a directory (else a regular file)
  std::vector<WalkEntry> entries;
};

// Lists `root` (a file, or a directory walked recursively; a symlink root is followed), entries
// sorted bytewise by relative path. Errors name the offending path: NotFound, IO (unreadable
// directory), Unsupported (FIFO, socket, device), InvalidArgument (a name holding '\n'), Limit.
Result<WalkResult> WalkData(const std::string& root, const WalkLimits& limits);

}  // namespace gitmodel
