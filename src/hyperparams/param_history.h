// Hyperparameter history from git: which commits changed which config values (docs/params.md).
//
// Configs are the files `.git-model.toml` selects (or the defaults, or explicit paths). History is
// read in-process: for each commit only the selected paths' blob ids are compared with the first
// parent's; a changed blob is parsed once (cached by blob id, in parallel) and the two flat maps
// are compared by meaning (DiffParams). A config that does not parse is reported on that commit
// and is not fatal; the next version that parses is compared with the last one that did.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "git/file_history.h"
#include "git/repo.h"
#include "gitmodel/status.h"
#include "hyperparams/flat_params.h"
#include "hyperparams/param_diff.h"

namespace gitmodel {

struct ParamQuery {
  std::vector<std::string> config_globs;  // which files (ProjectConfig::config_globs)
  std::vector<std::string> files;         // exact paths instead of the globs, when non-empty
  std::vector<std::string> key_globs;     // fnmatch patterns on dotted keys ('*' crosses dots); empty: all
  std::vector<std::string> exact_keys;    // keys matched literally (blame)
};

// True when `key` matches the query's key globs or exact keys (or both lists are empty).
bool KeySelected(const ParamQuery& query, std::string_view key);

struct FileParamChanges {
  std::string path;                  // the file's path after the commit (before it, when deleted)
  std::string old_path;              // differs from `path` when the file was renamed
  std::optional<std::string> error;  // the new version does not parse: "<path>:<line>:<column>: ..."
  std::vector<ParamChange> changes;  // those the query selects, in key order
};

struct ParamCommit {
  CommitMeta commit;
  std::vector<FileParamChanges> files;
};

// Commits of `walk` that changed a selected value (or whose config failed to parse), newest
// first. A merge is compared with its first parent; without first_parent, a value it takes
// unchanged from another parent is left out (that parent's commits list the change).
Result<std::vector<ParamCommit>> ParamHistory(const GitRepo& repo, const HistoryOptions& walk,
                                              const ParamQuery& query);

// ParamHistory of exactly the commits `walk` lists (for `A..B`, without A's history), and whether
// those entries are the ones a walk that goes on past them would give. It would not when a
// config that does not parse sent the comparison looking for an older version than the walked
// commits hold, or when a rename made the walk follow a new path, which changes what older
// commits show. The history cache (param_history_cache.h) only joins parts that are joinable.
struct ParamHistoryPart {
  std::vector<ParamCommit> commits;
  bool joinable = true;
};
Result<ParamHistoryPart> ParamHistoryOfPart(const GitRepo& repo, const HistoryOptions& walk,
                                            const ParamQuery& query);

// Keeps the changes `query`'s key globs and exact keys select, then the files left with a change
// or an error, then the commits left with a file: ParamHistory with those keys equals
// ParamHistory with none followed by this.
void SelectParamChanges(const ParamQuery& query, std::vector<ParamCommit>& commits);

struct FileParams {
  std::string path;
  std::optional<std::string> error;  // does not parse
  FlatParams params;                 // the selected keys
};

// Every selected value in the configs at `revision`, by file.
Result<std::vector<FileParams>> ParamsAtRevision(const GitRepo& repo, std::string_view revision,
                                                 const ParamQuery& query);

// The changes from `from` to `to` (any two revisions), renamed files paired.
Result<std::vector<FileParamChanges>> ParamsBetween(const GitRepo& repo, std::string_view from,
                                                    std::string_view to, const ParamQuery& query);

}  // namespace gitmodel
