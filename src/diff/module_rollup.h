// Roll-ups of tensor differences by module, and the architecture change they imply.
// Internal to src/diff/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gitmodel/diff.h"

namespace gitmodel {

// The module path of a tensor name (the name without its last component), cut to `depth`
// components: ("layer1.0.conv1.weight", 2) -> "layer1.0"; ("weight", 2) -> "".
std::string ModuleKey(std::string_view tensor_name, int depth);

// One ModuleDiff per (section, module key), sorted by section then name.
std::vector<ModuleDiff> RollUpModules(const std::vector<TensorDiff>& tensors, int depth);

// Counts, parameter totals and the added/removed modules of the model section. A module is
// added when no tensor of A lies under it but one of B does, and its parent is not itself added;
// removed likewise.
DiffSummary Summarise(const std::vector<TensorDiff>& tensors);

}  // namespace gitmodel
