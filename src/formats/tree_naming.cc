// Key-path naming of tensors: the contract in include/gitmodel/checkpoint.h (TensorRef::name).
#include <unordered_set>

#include "formats/checkpoint_impl.h"
#include "formats/node_text.h"

namespace gitmodel {
namespace {

std::string Join(const std::string& prefix, std::string_view part) {
  return prefix.empty() ? std::string(part) : prefix + "." + std::string(part);
}

class Namer {
 public:
  explicit Namer(Checkpoint::Impl& impl) : impl_(impl) {}

  Status Walk(const Node* n, const std::string& path, int depth) {
    if (!n) return OkStatus();
    if (depth > kMaxTreeDepth)
      return LimitExceeded("object tree nests deeper than {} levels (at '{}')", kMaxTreeDepth, path.substr(0, 200));
    if (n->kind == NodeKind::kTensor) {
      TensorRef& t = impl_.tensors[static_cast<size_t>(n->int_value)];
      if (t.name.empty()) t.name = path.empty() ? "tensor" : path;
      return OkStatus();
    }
    if (!IsContainer(n) || !visited_.insert(n).second) return OkStatus();
    for (auto [k, v] : n->entries) GM_RETURN_IF_ERROR(Walk(v, Join(path, KeyText(k)), depth + 1));
    for (size_t i = 0; i < n->items.size(); ++i) GM_RETURN_IF_ERROR(Walk(n->items[i], Join(path, std::to_string(i)), depth + 1));
    if (n->kind == NodeKind::kObject) {
      GM_RETURN_IF_ERROR(WalkState(n->state, path, depth + 1));
      if (n->args) GM_RETURN_IF_ERROR(Walk(n->args, path, depth + 1));
    }
    return OkStatus();
  }

 private:
  static bool IsContainer(const Node* n) {
    switch (n->kind) {
      case NodeKind::kList: case NodeKind::kTuple: case NodeKind::kDict: case NodeKind::kSet:
      case NodeKind::kObject: return true;
      default: return false;
    }
  }
  // An object's state is its attribute dict, or (dict, slots) for classes with __slots__.
  Status WalkState(const Node* state, const std::string& path, int depth) {
    if (!state) return OkStatus();
    if (state->kind == NodeKind::kTuple && state->items.size() == 2) {
      GM_RETURN_IF_ERROR(WalkState(state->items[0], path, depth));
      return WalkState(state->items[1], path, depth);
    }
    return Walk(state, path, depth);
  }

  Checkpoint::Impl& impl_;
  std::unordered_set<const Node*> visited_;
};

void NameLeftovers(Checkpoint::Impl& impl) {
  for (TensorRef& t : impl.tensors) {
    if (!t.quant || t.name.empty()) continue;
    auto name_aux = [&](int64_t index, std::string_view suffix) {
      if (index >= 0 && impl.tensors[static_cast<size_t>(index)].name.empty())
        impl.tensors[static_cast<size_t>(index)].name = t.name + std::string(suffix);
    };
    name_aux(t.quant->scales_tensor, ".q_per_channel_scales");
    name_aux(t.quant->zero_points_tensor, ".q_per_channel_zero_points");
  }
  for (size_t i = 0; i < impl.tensors.size(); ++i)
    if (impl.tensors[i].name.empty()) impl.tensors[i].name = fmt::format("<unreachable>.{}", i);
}

}  // namespace

Status NameTensorsByKeyPath(Checkpoint::Impl& impl) {
  Namer namer(impl);
  GM_RETURN_IF_ERROR(namer.Walk(impl.root, "", 0));
  for (auto& [name, root] : impl.extra_roots) GM_RETURN_IF_ERROR(namer.Walk(root, name, 0));
  NameLeftovers(impl);
  return OkStatus();
}

}  // namespace gitmodel
