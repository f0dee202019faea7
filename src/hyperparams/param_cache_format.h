// The file format of the params history cache (docs/params.md, "The history cache"): a compact
// binary file (layout in param_cache_format.cc) holding the tip commit the entries were computed
// from and every ParamCommit of its history (all keys), newest first.
//
// The file lives under .git/ and is written only by git-model, but it is read as untrusted: any
// unexpected shape makes DecodeParamCache fail, and the caller then rebuilds the cache.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "gitmodel/status.h"
#include "hyperparams/param_history.h"

namespace gitmodel {

// Bump when the file's shape or what an entry means changes (a parser or comparison fix that
// changes entries included), so older caches are rebuilt rather than trusted.
inline constexpr int kParamCacheVersion = 2;

struct ParamCache {
  nlohmann::json selection;  // what the entries depend on besides the history (ParamCacheSelection)
  std::string tip;           // the commit (hex id) whose history `commits` is
  std::vector<ParamCommit> commits;
};

// The cache's identity for a walk and query: the format version, the config files selected
// (globs or exact paths) and the first-parent flag. Key globs are not part of it: entries hold
// every key and are filtered when read (SelectParamChanges).
nlohmann::json ParamCacheSelection(const ParamQuery& query, bool first_parent);

std::string EncodeParamCache(const ParamCache& cache);

// kCorrupt (naming `what`) on anything but a document EncodeParamCache wrote with this version.
Result<ParamCache> DecodeParamCache(std::string_view text, std::string_view what);

}  // namespace gitmodel
