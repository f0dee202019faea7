// The non-tensor content of a checkpoint (epoch, loss, hyperparameters, optimizer param_groups)
// as a flat map, and the differences between two such maps.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "gitmodel/checkpoint.h"
#include "gitmodel/diff.h"

namespace gitmodel {

// Dotted key path -> display text (ParamValueText) of every leaf value reachable from the checkpoint's root,
// tensors left out (they are compared as tensors). Keys as hyperparams/flat_params.h writes them
// ("optimizer.param_groups.0.lr"); an empty container is a leaf ("[]", "{}"). safetensors
// metadata appears as "__metadata__.KEY", its provenance record left out.
std::map<std::string, std::string> FlattenContent(const Checkpoint& checkpoint);

// Keys added, removed or changed between `a` and `b`, sorted by key.
std::vector<ContentChange> DiffContent(const std::map<std::string, std::string>& a,
                                       const std::map<std::string, std::string>& b);

}  // namespace gitmodel
