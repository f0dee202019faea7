// Parses an untrusted JSON document into nlohmann::json with a nesting limit.
//
// nlohmann's parser is iterative, but copying, comparing and dumping a value recurse, so a
// document nested thousands deep would exhaust the stack later: it is refused here instead.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "gitmodel/status.h"

namespace gitmodel {

inline constexpr int kMaxJsonDepth = 64;

// Corrupt ("<what> is not valid JSON") on syntax errors and invalid UTF-8; kLimit when nested
// deeper than `max_depth`.
Result<nlohmann::json> ParseJsonDocument(std::string_view text, std::string_view what,
                                         int max_depth = kMaxJsonDepth);

}  // namespace gitmodel
