// A stat cache makes re-hashing an unchanged data set near-instant: it maps a file's absolute
// path and stat fields to the SHA-256 of its contents. An entry is trusted only when size, mtime,
// ctime, inode and device all match.
//
// Racy entries (git's "racy git" problem): a file changed within the timestamp granularity of
// the moment it was stat-ed keeps the same mtime, so its cached digest could go stale unseen.
// Insert() therefore refuses files whose mtime or ctime is less than kRacyWindowNs before the
// hashing began (2 s covers FAT's 2 s and ext3's 1 s granularity); they are re-hashed next time.
//
// The file (docs/formats.md, "Data tree hash") is text: the version line, then one line per
// entry. A missing, unreadable, corrupt, oversized or unknown-version cache is ignored and
// rebuilt: the cache is an optimisation, never a reason to fail. Not thread-safe.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "base/sha256.h"
#include "gitmodel/status.h"

namespace gitmodel {

struct FileStat {
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  int64_t ctime_ns = 0;
  uint64_t inode = 0;
  uint64_t device = 0;
  bool operator==(const FileStat&) const = default;
};

FileStat FileStatOf(const struct stat& st);

class StatCache {
 public:
  static constexpr char kVersionLine[] = "git-model/stat-cache/v1";
  static constexpr size_t kMaxEntries = 4'000'000;
  static constexpr uint64_t kMaxFileBytes = 1ull << 30;
  static constexpr int64_t kRacyWindowNs = 2'000'000'000;

  StatCache() = default;
  // Never fails; `note`, when set, says why an existing file was ignored.
  static StatCache Load(const std::string& path, std::string* note = nullptr);

  // The digest recorded for `path` when all of `st` matches. A hit marks the entry as in use.
  std::optional<Digest> Lookup(const std::string& path, const FileStat& st);
  // Records a digest unless the entry would be racy: `started_ns` is the wall-clock time (ns since
  // the epoch) taken before `st` was read. Returns whether it was recorded.
  bool Insert(const std::string& path, const FileStat& st, const Digest& digest, int64_t started_ns);
  // Drops entries under directory `dir` (an absolute path) not looked up or inserted since Load:
  // files that were deleted or changed.
  void ForgetUnusedUnder(const std::string& dir);

  // Writes the cache atomically. Entries in use are kept first when there are more than kMaxEntries.
  Status Save(const std::string& path) const;
  size_t size() const { return entries_.size(); }
  // Whether Insert or ForgetUnusedUnder changed anything since Load (else Save can be skipped).
  bool modified() const { return modified_; }

 private:
  struct Entry {
    FileStat stat;
    Digest digest;
    bool used = false;
  };
  std::unordered_map<std::string, Entry> entries_;
  bool modified_ = false;
};

}  // namespace gitmodel
