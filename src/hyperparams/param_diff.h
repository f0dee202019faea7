// Differences between two flat hyperparameter maps, compared by meaning: 1e-3 equals 0.001 and 1
// equals 1.0 (numbers by value), but 64 is not "64" (a number is not a string).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hyperparams/flat_params.h"

namespace gitmodel {

struct ParamChange {
  std::string key;
  std::optional<nlohmann::json> old_value;  // absent: the key was added
  std::optional<nlohmann::json> new_value;  // absent: the key was removed
};

// True when `a` and `b` mean the same value: numbers compare by value (NaN equals NaN), arrays
// element by element, everything else by type and value.
bool SameParamValue(const nlohmann::json& a, const nlohmann::json& b);

// Keys added, removed or changed from `before` to `after`, in key order.
std::vector<ParamChange> DiffParams(const FlatParams& before, const FlatParams& after);

// "lr: 0.01 -> 0.001", "lr: (added) 0.01", "lr: 0.01 -> (removed)"; values as ParamValueText
// writes them.
std::string ParamChangeText(const ParamChange& change);

}  // namespace gitmodel
