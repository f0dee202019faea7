// A fast path for the YAML most configs are: block mappings of `key: scalar` lines. It parses
// that subset about 30x faster than yaml-cpp and gives exactly what ParseYamlConfig gives; any
// text outside the subset (sequences, flow collections, anchors, tags, block or multi-line
// scalars, escapes, duplicate keys, document markers, tabs) returns nullopt so the caller falls
// back to ParseYamlConfig. The history walk (param_history) parses thousands of versions of one
// config, which is why this exists.
#pragma once

#include <optional>
#include <string_view>

#include "hyperparams/flat_params.h"

namespace gitmodel {

// The flattened config, or nullopt when `text` is outside the subset (never an error: the full
// parser decides those).
std::optional<FlatParams> TryParseSimpleYaml(std::string_view text);

}  // namespace gitmodel
