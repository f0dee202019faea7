#include "hyperparams/param_history_cache.h"

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <optional>
#include <span>
#include <system_error>
#include <utility>

#include "base/atomic_file.h"
#include "base/sha256.h"
#include "hyperparams/param_cache_format.h"

namespace gitmodel {
namespace {

std::string CachePath(const std::string& dir, const nlohmann::json& selection) {
  const std::string text = selection.dump();
  return dir + "/" + ToHex(Sha256Of(std::as_bytes(std::span(text.data(), text.size())))) + ".bin";
}

// The cache at `path` when it is readable, well-formed and for `selection`; nullopt otherwise.
std::optional<ParamCache> Load(const std::string& path, const nlohmann::json& selection, uint64_t max_bytes) {
  auto text = ReadSmallFile(path, max_bytes);
  if (!text.ok()) return std::nullopt;
  auto cache = DecodeParamCache(*text, path);
  if (!cache.ok() || cache->selection != selection) return std::nullopt;
  return std::move(*cache);
}

// Files of the JSON format version 1 used (`<hash>.json`), which nothing reads any more.
void RemoveVersion1Files(const std::string& dir) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.path().extension() == ".json") std::filesystem::remove(entry.path(), ec);
}

// Best effort: a cache that cannot be written (read-only repository, full disk) or would be too
// large is simply not there next time; a stale file is removed so it is not read again.
void Store(const std::string& dir, const std::string& path, const ParamCache& cache, uint64_t max_bytes) {
  std::error_code ec;
  RemoveVersion1Files(dir);
  const std::string text = EncodeParamCache(cache);
  if (text.size() > max_bytes) {
    std::filesystem::remove(path, ec);
    return;
  }
  std::filesystem::create_directories(dir, ec);
  if (!ec) (void)WriteFileAtomically(path, text);
}

// The history of `tip` for every key, from `cached` where it can be used.
Result<CachedHistory> Compute(const GitRepo& repo, const std::string& tip, bool first_parent, const ParamQuery& all,
                              std::optional<ParamCache>& cached) {
  if (cached && cached->tip == tip) return CachedHistory{std::move(cached->commits), ParamCacheUse::kHit};
  if (cached) {
    auto extends = ExtendsHistoryOf(repo, tip, cached->tip, first_parent);
    if (extends.ok() && *extends) {
      const HistoryOptions added{.range = cached->tip + ".." + tip, .first_parent = first_parent};
      GM_ASSIGN_OR_RETURN(ParamHistoryPart part, ParamHistoryOfPart(repo, added, all));
      if (part.joinable) {
        std::move(cached->commits.begin(), cached->commits.end(), std::back_inserter(part.commits));
        return CachedHistory{std::move(part.commits), ParamCacheUse::kExtended};
      }
    }
  }
  GM_ASSIGN_OR_RETURN(ParamHistoryPart full, ParamHistoryOfPart(repo, {.range = tip, .first_parent = first_parent}, all));
  return CachedHistory{std::move(full.commits), ParamCacheUse::kRebuilt};
}

}  // namespace

std::string ParamCacheDir(const GitRepo& repo) { return GitModelDir(repo) + "/params-cache"; }

Result<CachedHistory> CachedParamHistory(const GitRepo& repo, const HistoryOptions& walk, const ParamQuery& query,
                                         const std::string& cache_dir, uint64_t max_bytes) {
  auto tip = ReadCommitMeta(repo, walk.range.empty() ? "HEAD" : walk.range);
  if (walk.range.find("..") != std::string::npos || !tip.ok()) {
    // Ranges bypass the cache; a revision that names no commit gets ParamHistory's error.
    GM_ASSIGN_OR_RETURN(std::vector<ParamCommit> commits, ParamHistory(repo, walk, query));
    return CachedHistory{std::move(commits), ParamCacheUse::kBypassed};
  }
  ParamQuery all = query;
  all.key_globs.clear();
  all.exact_keys.clear();
  const nlohmann::json selection = ParamCacheSelection(query, walk.first_parent);
  const std::string path = CachePath(cache_dir, selection);
  std::optional<ParamCache> cached = Load(path, selection, max_bytes);
  GM_ASSIGN_OR_RETURN(CachedHistory out, Compute(repo, tip->id, walk.first_parent, all, cached));
  if (out.use != ParamCacheUse::kHit) {
    ParamCache fresh{selection, tip->id, std::move(out.commits)};
    Store(cache_dir, path, fresh, max_bytes);
    out.commits = std::move(fresh.commits);
  }
  SelectParamChanges(query, out.commits);
  return out;
}

}  // namespace gitmodel
