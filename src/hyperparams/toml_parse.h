// TOML text to a toml++ table, with git-model's error form. Internal to src/hyperparams/.
#pragma once

#include <string_view>

#include <toml++/toml.h>

#include "gitmodel/status.h"

namespace gitmodel {

// Parses `text` (at most kMaxConfigBytes: kLimit beyond); `name` names it in errors, which are
// kInvalidArgument "<name>:<line>:<column>: <what>" on one line.
Result<toml::table> ParseTomlTable(std::string_view text, std::string_view name);

}  // namespace gitmodel
