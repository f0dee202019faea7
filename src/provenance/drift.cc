#include "provenance/drift.h"

#include <cstdlib>
#include <filesystem>

#include "git/commit_drift.h"
#include "git/commit_show.h"
#include "git/git_state.h"
#include "git/repo.h"

namespace gitmodel {
namespace {

bool IsRuntimeKey(const std::string& key) {
  for (const char* prefix : {"torch", "cuda", "cudnn", "driver", "python", "gpus"}) {
    if (key.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

std::string CurrentRepoRoot() {
  auto repo = DiscoverRepo(".");
  return repo.ok() && repo->has_value() ? WorkdirOf(**repo) : "";
}

DataDrift CheckOne(const DataDigest& recorded, const std::string& root, const std::string& cache_path) {
  DataDrift drift{recorded.path, recorded.tree_hash, "", ""};
  std::filesystem::path p(recorded.path);
  std::string resolved = p.is_absolute() || root.empty() ? recorded.path : (std::filesystem::path(root) / p).string();
  if (!std::filesystem::exists(resolved)) {
    drift.status = "missing";
    return drift;
  }
  auto now = HashData(resolved, {.cache_path = cache_path});
  if (!now.ok()) {
    drift.status = "error: " + now.status().message();
    return drift;
  }
  drift.hash_now = now->tree_hash;
  drift.status = now->tree_hash == recorded.tree_hash ? "same" : "changed";
  return drift;
}

}  // namespace

Result<CodeDrift> CheckCodeDrift(const GitSection& recorded) {
  CodeDrift drift;
  drift.recorded_in_repo = recorded.in_repo;
  drift.recorded_commit = recorded.commit;
  drift.dirty_then = recorded.dirty;
  GM_ASSIGN_OR_RETURN(auto repo, DiscoverRepo("."));
  if (!repo) return drift;
  drift.in_repo_now = true;
  GM_ASSIGN_OR_RETURN(GitState now, CaptureGitState(".", {}));
  drift.head_now = now.commit;
  drift.dirty_now = now.dirty;
  if (recorded.commit.empty()) return drift;
  GM_ASSIGN_OR_RETURN(bool exists, CommitExists(*repo, recorded.commit));
  drift.commit_exists = exists;
  if (!exists || now.commit.empty()) return drift;
  GM_ASSIGN_OR_RETURN(CommitDrift since, DriftSince(*repo, recorded.commit));
  drift.commits_since = since.ahead;
  drift.recorded_is_ancestor = since.recorded_is_ancestor;
  return drift;
}

std::vector<EnvDifference> RuntimeEnvDrift(const EnvInfo& recorded, const EnvInfo& now) {
  std::vector<EnvDifference> out;
  for (EnvDifference& d : DiffEnv(recorded, now)) {
    if (IsRuntimeKey(d.key) && d.key != "torch_source") out.push_back(std::move(d));
  }
  return out;
}

std::vector<DataDrift> CheckDataDrift(const std::vector<DataDigest>& recorded, const std::string& cache_path) {
  std::string root = CurrentRepoRoot();
  std::vector<DataDrift> out;
  for (const DataDigest& d : recorded) out.push_back(CheckOne(d, root, cache_path));
  return out;
}

std::string DefaultDataCachePath() {
  auto repo = DiscoverRepo(".");
  return DataCachePathFor(repo.ok() && repo->has_value() ? GitModelDir(**repo) : "");
}

std::string DataCachePathFor(const std::string& git_model_dir) {
  if (!git_model_dir.empty()) return git_model_dir + "/data-cache";
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  std::string base = xdg && *xdg ? xdg : std::string(home && *home ? home : ".") + "/.cache";
  return base + "/git-model/data-cache";
}

}  // namespace gitmodel
