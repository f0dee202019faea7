// The inert object tree a checkpoint's pickle (or header) describes.
//
// Nodes live in an arena owned by the Checkpoint (or the PickleReader that built them); pointers
// stay valid while it lives. Pickles may share a node from several places (memo) and may even build
// cycles, so the tree is a graph: walkers must track what they have visited.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

namespace gitmodel {

struct Node;

enum class NodeKind : uint8_t {
  kNone, kBool, kInt, kBigInt, kFloat, kComplex, kString, kBytes,
  kList, kTuple, kDict, kSet,
  kTensor,   // tensor_index into Checkpoint::tensors()
  kStorage,  // a storage referenced directly, not through a tensor (text = storage key)
  kGlobal,   // a class or function reference, never imported (text = "module.name")
  kObject,   // an instance of a class we do not interpret: class_name, args, state, items
  kEnum,     // an enum member: class_name, text = member name
  kDevice,   // torch.device: text = "cuda:0"
  kDType,    // torch dtype or numpy dtype: text = "float32"
};

struct Node {
  NodeKind kind = NodeKind::kNone;
  bool bool_value = false;
  int64_t int_value = 0;       // kInt; kTensor: tensor index
  double float_value = 0;      // kFloat; kComplex: real part
  double imag_value = 0;       // kComplex: imaginary part
  std::string text;            // kString, kBytes (raw bytes), kBigInt (decimal), kGlobal, kEnum...
  std::string class_name;      // kObject, kEnum, and kDict/kList for subclasses (OrderedDict...)
  std::vector<Node*> items;    // kList, kTuple, kSet; kObject: list-like items (APPEND on objects)
  std::vector<std::pair<Node*, Node*>> entries;  // kDict; kObject: dict-like items (SETITEM)
  Node* args = nullptr;        // kObject: constructor arguments (a tuple)
  Node* state = nullptr;       // kObject: BUILD state; kDict: instance attributes (_metadata)
};

// Owns nodes; addresses are stable (deque never moves elements).
class NodeArena {
 public:
  Node* New(NodeKind kind) {
    nodes_.emplace_back();
    nodes_.back().kind = kind;
    return &nodes_.back();
  }
  size_t size() const { return nodes_.size(); }

 private:
  std::deque<Node> nodes_;
};

}  // namespace gitmodel
