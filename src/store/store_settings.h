// Storage settings a repository keeps in git's config (docs/storage.md, "Settings"):
//
//   [git-model]
//       maxDeltaDepth = 4     the longest delta chain `git add` builds, 0 (no deltas) to 16
#pragma once

#include <cstdint>
#include <string_view>

#include "gitmodel/status.h"

namespace gitmodel {

class GitRepo;

// A maxDeltaDepth value: a decimal integer from 0 to kMaxDeltaDepth. kInvalidArgument naming the
// key and the allowed range otherwise.
Result<uint8_t> ParseMaxDeltaDepth(std::string_view value);

// git-model.maxDeltaDepth, kDefaultMaxDeltaDepth when unset.
Result<uint8_t> ReadMaxDeltaDepth(const GitRepo& repo);

}  // namespace gitmodel
