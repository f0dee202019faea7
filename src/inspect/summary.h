// What `git model inspect` reports about a checkpoint without reading tensor bytes.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "gitmodel/checkpoint.h"

namespace gitmodel {

struct DTypeTotals {
  uint64_t tensors = 0;
  uint64_t bytes = 0;
};

// Tensors under one top-level key of the tree ("model_state_dict", "optimizer_state_dict"...).
struct TensorGroup {
  std::string name;
  uint64_t tensors = 0;
  uint64_t parameters = 0;  // elements
  uint64_t bytes = 0;
};

struct Summary {
  uint64_t tensors = 0;
  uint64_t parameters = 0;  // elements over distinct tensors (tied weights counted once)
  uint64_t bytes = 0;       // logical bytes over distinct tensors
  uint64_t shared = 0;      // tensors that are views of the same data as an earlier tensor
  std::map<std::string, DTypeTotals> by_dtype;
  std::vector<TensorGroup> groups;  // first path component, in first-appearance order
};

Summary Summarize(const Checkpoint& checkpoint);

}  // namespace gitmodel
