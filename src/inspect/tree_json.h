// The object tree as JSON (the `tree` member of `git model inspect --json`, docs/inspect.md):
// dicts as objects, lists/tuples/sets as arrays, tensors as {"tensor": NAME}, opaque objects as
// {"class": "module.Name", "args": [...], "state": ...}.
#pragma once

#include <nlohmann/json.hpp>

#include "gitmodel/checkpoint.h"

namespace gitmodel {

// Every container is rendered once; a later reference to the same container (pickle memo
// sharing) becomes {"ref": "<path of the first>"}, so hostile sharing cannot blow up the
// output. Depth is bounded by kMaxTreeDepth (deeper: {"truncated": true}).
// JSON has no NaN/Inf: they become the strings "nan", "inf", "-inf".
nlohmann::json FloatJson(double v);

nlohmann::json TreeToJson(const Node* root, const std::vector<TensorRef>& tensors);

}  // namespace gitmodel
