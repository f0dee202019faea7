// A persistent, always-rebuildable cache of ParamHistory (docs/params.md, "The history cache"),
// so repeated `git model params` runs do not walk the history again.
//
// One file per config selection (ParamCacheSelection) under `<git-model dir>/params-cache/`
// holds the tip commit and every entry of its history, for all keys. A run for the same tip
// answers from it; a run for a tip that only adds commits on top of the cached one walks just
// those and stores the joined result; anything else (another branch, a rewritten history, a
// missing, unreadable, corrupt or older-version file) walks everything and replaces the file.
// The cache never causes an error: failing to read it means rebuilding, failing to write it
// means the next run rebuilds too.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "git/file_history.h"
#include "git/repo.h"
#include "gitmodel/status.h"
#include "hyperparams/param_history.h"

namespace gitmodel {

inline constexpr uint64_t kMaxParamCacheBytes = 64u << 20;

enum class ParamCacheUse {
  kBypassed,  // a range A..B: walked without the cache
  kHit,       // answered from the cache
  kExtended,  // walked the new commits only; cache updated
  kRebuilt,   // walked everything; cache written (unless over the size bound or unwritable)
};

struct CachedHistory {
  std::vector<ParamCommit> commits;  // what ParamHistory returns
  ParamCacheUse use = ParamCacheUse::kBypassed;
};

// `<git-model dir>/params-cache` (not created until a cache is written).
std::string ParamCacheDir(const GitRepo& repo);

// ParamHistory(repo, walk, query), through the cache file for `query`'s config selection and
// `walk.first_parent` in `cache_dir`. Ranges `A..B` bypass the cache. A cache larger than
// `max_bytes` is neither written nor read. Errors are ParamHistory's.
Result<CachedHistory> CachedParamHistory(const GitRepo& repo, const HistoryOptions& walk, const ParamQuery& query,
                                         const std::string& cache_dir, uint64_t max_bytes = kMaxParamCacheBytes);

}  // namespace gitmodel
