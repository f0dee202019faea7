// Dataset checksums (`git model data hash PATH`): one tree hash over a file or a directory.
//
// The tree hash is specified byte by byte in docs/formats.md ("Data tree hash"). In short: a
// SHA-256 over a header line and one line per regular file or symlink, sorted by relative path;
// symlinks below PATH are not followed (their target text is hashed); directories contribute
// only through the paths of what they hold (an empty directory adds nothing); FIFOs, sockets and
// devices are refused. The hash does not depend on where PATH is, on the order of directory
// entries, on timestamps or on the thread count.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gitmodel/status.h"

namespace gitmodel {

inline constexpr char kDataTreeFormat[] = "git-model/data-tree/v1";

struct DataDigest {
  std::string path;       // as given to HashData
  std::string tree_hash;  // 64 lowercase hex digits
  uint64_t files = 0;     // regular files and symlinks hashed
  uint64_t bytes = 0;     // bytes of regular file contents
};

struct DataFileEntry {
  std::string relative_path;  // '/'-separated; for a single-file PATH, the file's name
  std::string sha256;         // hex; of the contents, or of the link target for a symlink
  uint64_t size = 0;          // content bytes, or link target bytes
  bool symlink = false;
};

// What one HashData call did (not part of the digest).
struct DataHashStats {
  uint64_t files_from_cache = 0;  // regular files whose digest came from the stat cache
  uint64_t files_hashed = 0;      // regular files read and hashed
  uint64_t bytes_hashed = 0;
  std::string cache_note{};       // why the cache was not used or not saved; "" when all went well
};

struct DataHashOptions {
  std::string cache_path{};  // the stat cache file (stat_cache.h); "" = no cache. Must not lie inside PATH.
  unsigned threads = 0;    // 0 = all cores
  // Called from worker threads, one call at a time, after each file and every 64 MiB.
  std::function<void(uint64_t done_bytes, uint64_t total_bytes)> progress{};
  uint64_t max_files = 10'000'000;
  int max_depth = 256;                   // directory levels below PATH
  std::function<int64_t()> now_ns{};     // wall clock for the racy-entry rule; nullptr = real time
  DataHashStats* stats = nullptr;        // filled when set
};

// Hashes the file or directory at `path` (PATH itself may be a symlink; it is followed).
// Errors: NotFound (no such path), IO naming the file that cannot be read, Conflict when a file
// changes while it is hashed, Unsupported for special files, InvalidArgument for names holding a
// newline, Limit beyond max_files / max_depth. `files_out`, when set, receives every entry in
// tree-hash order.
Result<DataDigest> HashData(const std::string& path, const DataHashOptions& options,
                            std::vector<DataFileEntry>* files_out = nullptr);

// {"path", "tree_hash", "files", "bytes", "format": kDataTreeFormat}.
nlohmann::json DataToJson(const DataDigest& digest);
// Requires path and a 64-hex tree_hash; files and bytes are optional; unknown keys are ignored;
// a "format" other than kDataTreeFormat is Unsupported; wrong types are Corrupt, naming the key.
Result<DataDigest> DataFromJson(const nlohmann::json& json);

}  // namespace gitmodel
