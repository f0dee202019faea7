// pre-commit's checks of what is staged (docs/hooks.md): files too large for git, checkpoints
// not stored through git-model's filter, config files that do not parse. Reads the index and the
// object database only; never prints.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "git/repo.h"
#include "gitmodel/status.h"
#include "hyperparams/project_config.h"

namespace gitmodel {

// The `filter` attribute value that marks a file as stored by git-model.
inline constexpr char kGitModelFilter[] = "git-model";

struct StagedProblem {
  enum class Kind { kTooLarge, kCheckpoint, kBadConfig };
  Kind kind = Kind::kTooLarge;
  std::string path;
  uint64_t size = 0;    // kTooLarge: the staged blob's bytes
  std::string detail;   // kCheckpoint: the pattern matched; kBadConfig: the parser's message
                        // ("config.yaml:3:5: ...")
};

// Problems with files added or modified in the index relative to HEAD, in path order (one file
// may have several):
// - kTooLarge: the staged blob (what git would store, after any clean filter) is larger than
//   settings.max_file_bytes;
// - kCheckpoint: the path's base name or whole path matches one of settings.checkpoint_patterns
//   (MatchesConfigGlob rules) and its `filter` attribute is not kGitModelFilter;
// - kBadConfig: the path matches a config glob of `config` (or is .git-model.toml) and the staged
//   blob does not parse. Paths whose extension has no reader (`hparams.txt`) are skipped.
Result<std::vector<StagedProblem>> CheckStagedFiles(const GitRepo& repo, const ProjectConfig& config);

// True when `path` matches one of `patterns`: a pattern without '/' is tried against the base
// name (as .gitattributes does), one with '/' against the whole path.
bool MatchesAnyPattern(const std::vector<std::string>& patterns, const std::string& path);

// True when `path` matches one of `config`'s config globs and its extension has a reader.
bool IsCheckedConfig(const ProjectConfig& config, const std::string& path);

}  // namespace gitmodel
