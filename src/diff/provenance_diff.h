// What differs between the provenance records of two checkpoints: the commits between them,
// hyperparameters, metrics, environment and data.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "git/commit_range.h"
#include "gitmodel/diff.h"
#include "gitmodel/status.h"
#include "provenance/env_diff.h"
#include "provenance/record.h"

namespace gitmodel {

struct ProvenanceDiff {
  std::string commit_a, commit_b;  // empty when that record has no commit
  bool dirty_a = false, dirty_b = false;
  std::optional<CommitRange> range;      // A's commit .. B's; absent: same commit, no repository, or a commit not in it
  std::string range_note;                // why range is absent when the commits differ
  std::vector<ContentChange> hyperparams;  // flat keys, values as ParamValueText writes them
  std::vector<ContentChange> metrics;
  std::vector<EnvDifference> env;
  std::vector<ContentChange> data;       // data path -> tree hash
};

struct ProvenanceDiffOptions {
  std::string repo_path;   // where to look for the commits: a directory inside a repository; "" = none
  size_t commit_limit = 20;
};

// Compares two records. Never fails: a missing repository or commit only leaves `range` empty
// with a note.
ProvenanceDiff DiffProvenance(const ProvenanceRecord& a, const ProvenanceRecord& b,
                              const ProvenanceDiffOptions& options);

nlohmann::json ProvenanceDiffToJson(const ProvenanceDiff& diff);

}  // namespace gitmodel
