// The constructors of Python, numpy and torch (other than tensors) that checkpoints call in their
// pickles, interpreted as data: OrderedDict -> dict, torch.Size -> tuple, torch.device ->
// device, numpy scalars -> numbers, getattr(Enum, 'NAME') -> enum member, _codecs.encode ->
// bytes, pathlib paths -> strings... Nothing is imported or run.
#pragma once

#include <string>
#include <string_view>

#include "gitmodel/dtype.h"
#include "gitmodel/object_tree.h"
#include "gitmodel/status.h"

namespace gitmodel {

// "torch._utils._rebuild_tensor_v2" -> "_rebuild_tensor_v2".
std::string_view LastComponent(std::string_view dotted);

class ConstructorCalls {
 public:
  explicit ConstructorCalls(NodeArena& arena) : arena_(arena) {}

  // The typed node for `name(*args)` (args a kTuple), or nullptr when `name` is not a
  // constructor we interpret (the caller then keeps a generic object).
  Result<Node*> Call(std::string_view name, Node* args);

 private:
  Result<Node*> New(NodeKind kind);
  Result<Node*> CallBuiltin(std::string_view name, const Node& args);
  Result<Node*> CallCollections(std::string_view name, Node* args);
  Result<Node*> CallNumpy(std::string_view name, const Node& args);
  Result<Node*> NumpyScalar(DType dtype, const std::string& raw);
  Result<Node*> CallTorchMisc(std::string_view name, Node* args);

  NodeArena& arena_;
};

}  // namespace gitmodel
