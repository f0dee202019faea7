// Checkpoint object-tree values as JSON, for hyperparameters found inside checkpoints.
// Used by src/hyperparams/ and src/diff/.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "gitmodel/checkpoint.h"

namespace gitmodel {

// The node whose `entries` are the key/value pairs of a dict-like value, or nullptr:
//   a dict (OrderedDict and other subclasses included) -> itself;
//   an object with dict items (SETITEMS on a dict subclass: AttributeDict, EasyDict) or whose
//     class name ends in "Dict" -> itself;
//   argparse.Namespace / types.SimpleNamespace -> its attribute dict (BUILD state);
//   an OmegaConf DictConfig -> the dict in its state's `_content`.
const Node* DictView(const Node* n);

// The text of a string, or of a str subclass pickled as Class('text') (torch's TorchVersion);
// nullptr for anything else.
const std::string* StringValue(const Node* n);

// Converts values to JSON. Scalars map to JSON scalars (big ints and complex numbers as text);
// lists, tuples and sets to arrays; dict-like values (DictView) to objects with keys as
// KeyText writes them; OmegaConf nodes to their `_val` or `_content`; anything else to a short text:
// "<tensor float32[3, 4]>", "<bytes 12>", "<storage>", "<object module.Class>", devices and
// dtypes as their names. Walks a possibly cyclic graph: a container met again on its own path
// is "<cycle>", depth beyond kMaxConfigDepth is "<too deep>", and after kMaxMetadataValues
// values everything is "<truncated>" (shared sub-trees are converted each time they are met,
// so the budget also stops exponential blow-up). Strings are made valid UTF-8.
class NodeJson {
 public:
  static constexpr size_t kMaxMetadataValues = 100'000;

  // How tensors appear: as the short text above, or as a discarded JSON value (is_discarded())
  // for callers that compare tensors separately and want only the rest of the tree.
  enum class Tensors : uint8_t { kText, kDiscarded };

  explicit NodeJson(const Checkpoint& checkpoint, Tensors tensors = Tensors::kText)
      : checkpoint_(checkpoint), tensors_(tensors) {}
  nlohmann::json Convert(const Node* n) { return Value(n, 0); }

 private:
  nlohmann::json Value(const Node* n, int depth);
  nlohmann::json Container(const Node* n, int depth);
  nlohmann::json ObjectValue(const Node* n, int depth);
  std::string TensorText(const Node* n) const;

  const Checkpoint& checkpoint_;
  Tensors tensors_;
  std::unordered_set<const Node*> on_path_;
  size_t values_ = 0;
};

}  // namespace gitmodel
