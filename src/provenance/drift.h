// Drift between a provenance record and the world now: code, environment and data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gitmodel/status.h"
#include "provenance/record.h"

namespace gitmodel {

struct CodeDrift {
  bool recorded_in_repo = false;
  bool in_repo_now = false;
  std::string recorded_commit;
  std::optional<bool> commit_exists;  // unset when there is nothing to look up
  std::string head_now;
  uint64_t commits_since = 0;         // HEAD is this many commits ahead of the recorded commit
  bool recorded_is_ancestor = false;
  bool dirty_then = false;
  bool dirty_now = false;
};

struct DataDrift {
  std::string path;
  std::string recorded_hash;
  std::string hash_now;   // "" when it could not be hashed
  std::string status;     // "same", "changed", "missing", "error: ..."
};

// Looks at the repository holding the current directory (where the user runs the command).
Result<CodeDrift> CheckCodeDrift(const GitSection& recorded);
// Environment keys that matter for reproducing numbers: torch, CUDA, cuDNN, driver, python, GPUs.
std::vector<EnvDifference> RuntimeEnvDrift(const EnvInfo& recorded, const EnvInfo& now);
// Re-hashes each recorded data set (paths resolve against the current repository root, else the
// current directory) and compares tree hashes.
std::vector<DataDrift> CheckDataDrift(const std::vector<DataDigest>& recorded, const std::string& cache_path);

// The data-cache path for the current directory's repository (or the per-user cache).
std::string DefaultDataCachePath();
// `<git_model_dir>/data-cache`, or the per-user cache when `git_model_dir` is "".
std::string DataCachePathFor(const std::string& git_model_dir);

}  // namespace gitmodel
