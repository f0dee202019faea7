// Text views of the object tree for `git model inspect`: the non-tensor values, and the tree.
#pragma once

#include <string>
#include <vector>

#include "gitmodel/checkpoint.h"

namespace gitmodel {

struct ValueLine {
  std::string path;   // key path ("hyperparams.lr")
  std::string value;  // one-line repr ("0.001", "[0.9, 0.999]", "argparse.Namespace")
};

// Non-tensor values by key path: scalars, short lists of scalars on one line, and the class of
// each object; tensors are left out. Shallow paths come first (epoch before
// loops.fit_loop.state.x), in tree order within a depth. At most `limit` lines; *total receives
// how many there are.
std::vector<ValueLine> NonTensorValues(const Node* root, size_t limit, size_t* total);

// The whole tree, one indented line per node ("layer1: OrderedDict(4)", "  weight: tensor
// float32 [64, 3, 7, 7]"). Shared containers are shown once, later as "-> path". At most `limit`
// lines; *total receives how many there are.
std::vector<std::string> TreeLines(const Node* root, const std::vector<TensorRef>& tensors, size_t limit,
                                   size_t* total);

}  // namespace gitmodel
