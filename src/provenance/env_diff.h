// Differences between two runtime environments, for `git model env --diff` and drift checks.
#pragma once

#include <string>
#include <vector>

#include "provenance/env_info.h"

namespace gitmodel {

struct EnvDifference {
  std::string key;  // the JSON key: "torch", "gpus.0.name", "container.image"
  std::string a;    // the value in the first environment, "unknown" when missing
  std::string b;    // the value in the second environment, "unknown" when missing
};

// Every key whose values differ, in EnvInfo's field order (gpus by index: gpus.0.name,
// gpus.0.memory_bytes, gpus.0.uuid, gpus.1.name...). Numbers are printed in decimal; a GPU
// present on one side only is "unknown" on the other.
std::vector<EnvDifference> DiffEnv(const EnvInfo& a, const EnvInfo& b);

}  // namespace gitmodel
