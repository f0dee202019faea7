// Shared by `params` and `blame`: the repository of the current directory, its `.git-model.toml`,
// and the ParamQuery built from the command line.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "git/repo.h"
#include "gitmodel/status.h"
#include "hyperparams/param_history.h"

namespace gitmodel::cli {

struct ParamsContext {
  GitRepo repo;
  ParamQuery query;
};

// Opens the repository of ".", reads its `.git-model.toml` (working tree; defaults when absent or
// bare) and fills the query. `files` are made repository-relative (a path that exists relative to
// the current directory is resolved from there; others are taken as repository-relative).
Result<ParamsContext> OpenParamsContext(const std::vector<std::string>& files,
                                        const std::vector<std::string>& key_globs);

// True when `arg` is a revision range ("A..B") or names a commit.
bool LooksLikeRevision(const GitRepo& repo, const std::string& arg);

}  // namespace gitmodel::cli
