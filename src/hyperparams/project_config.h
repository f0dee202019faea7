// `.git-model.toml`: a repository's committed settings for git-model. docs/params.md lists every
// key; unknown keys are ignored (newer versions may add some), wrong types are errors naming the
// key.
//
//   [params]
//   files = ["configs/**/*.yaml", "train.py"]   # config globs, relative to the repository root
//
//   [hooks]
//   max_file_bytes = 10_000_000                  # pre-commit: staged files above this are refused
//   checkpoint_patterns = ["*.pt", "*.pth", "*.bin", "*.ckpt", "*.safetensors"]
//   require_cuda = false                         # pre-commit: a short CUDA-availability probe
//   commands = ["black --check ."]               # pre-commit: each must exit 0
//   trailer = true                               # commit-msg: the Hyperparams: trailer
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gitmodel/status.h"

namespace gitmodel {

inline constexpr std::string_view kProjectConfigName = ".git-model.toml";

// The config globs used when `.git-model.toml` names none ('**' crosses directories, '{a,b}'
// alternatives, '*' within one path component).
const std::vector<std::string>& DefaultConfigGlobs();

struct HookSettings {
  uint64_t max_file_bytes = 10'000'000;
  std::vector<std::string> checkpoint_patterns = {"*.pt", "*.pth", "*.bin", "*.ckpt", "*.safetensors"};
  bool require_cuda = false;
  std::vector<std::string> commands;
  bool trailer = true;
};

struct ProjectConfig {
  std::vector<std::string> config_globs = DefaultConfigGlobs();  // [params] files, or the defaults
  bool config_globs_from_file = false;
  HookSettings hooks;
};

// Parses `.git-model.toml` text; `name` names it in errors ("HEAD:.git-model.toml").
// Errors: TOML syntax (kInvalidArgument with line and column), a key of the wrong type.
Result<ProjectConfig> ParseProjectConfig(std::string_view text, std::string_view name);

// `.git-model.toml` in the working tree at `workdir`, or the defaults when there is none.
Result<ProjectConfig> LoadProjectConfig(const std::string& workdir);

// True when `path` (relative to the repository root, '/' separated) matches `glob` with the
// rules above. Used to pick config files for params, blame and the hooks.
bool MatchesConfigGlob(std::string_view glob, std::string_view path);

// False when no path under directory `dir` can match `glob` (walks of trees skip it).
bool ConfigGlobMayMatchUnder(std::string_view glob, std::string_view dir);

}  // namespace gitmodel
