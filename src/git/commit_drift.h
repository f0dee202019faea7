// How far HEAD has moved since a recorded commit.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "git/repo.h"
#include "gitmodel/status.h"

namespace gitmodel {

struct CommitDrift {
  std::string head;                   // full id of HEAD
  size_t ahead = 0;                   // commits reachable from HEAD but not from the recorded one
  size_t behind = 0;                  // commits reachable from the recorded one but not from HEAD
  bool recorded_is_ancestor = false;  // the recorded commit is HEAD or one of its ancestors
};

// Compares HEAD with `recorded_commit` (any revision; normally a full id from a provenance
// record). kNotFound when the recorded commit is not in the repository or HEAD has no commits.
Result<CommitDrift> DriftSince(const GitRepo& repo, std::string_view recorded_commit);

}  // namespace gitmodel
