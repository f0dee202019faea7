#include "formats/torch_pickle.h"

#include <cstring>

#include "formats/known_constructors.h"

namespace gitmodel {
namespace {

constexpr size_t kMaxRank = 64;

const Node* Arg(const Node& args, size_t i) { return i < args.items.size() ? args.items[i] : nullptr; }

bool IsInt(const Node* n) { return n && (n->kind == NodeKind::kInt || n->kind == NodeKind::kBool); }
int64_t IntOf(const Node* n) { return n->kind == NodeKind::kBool ? n->bool_value : n->int_value; }

Status BadArgs(std::string_view fn, std::string_view what) {
  return Corrupt("{}: {}", fn, what);
}

// A tuple/list of non-negative ints (sizes) or ints (strides), bounded in rank.
Result<std::vector<int64_t>> IntList(const Node* n, std::string_view fn, std::string_view what,
                                     bool allow_negative) {
  if (!n || (n->kind != NodeKind::kTuple && n->kind != NodeKind::kList))
    return BadArgs(fn, fmt::format("{} is not a tuple", what));
  if (n->items.size() > kMaxRank) return BadArgs(fn, fmt::format("{} has rank {} (limit {})", what, n->items.size(), kMaxRank));
  std::vector<int64_t> out;
  for (const Node* item : n->items) {
    if (!IsInt(item)) return BadArgs(fn, fmt::format("{} holds a non-integer", what));
    if (!allow_negative && IntOf(item) < 0) return BadArgs(fn, fmt::format("{} holds a negative value", what));
    out.push_back(IntOf(item));
  }
  return out;
}

}  // namespace

Result<Node*> TorchPickleHooks::New(NodeKind kind) { return impl_.arena.New(kind); }

Result<Node*> TorchPickleHooks::PersistentLoad(Node* pid) {
  if (pid->kind != NodeKind::kTuple || pid->items.size() < 4)
    return Corrupt("persistent id is not a ('storage', type, key, location, numel) tuple");
  const auto& it = pid->items;
  // torch <= 0.3 saved nn.Module classes as ('module', class, source file, source): keep the class.
  if (it[0]->kind == NodeKind::kString && it[0]->text == "module") return it[1];
  if (it[0]->kind != NodeKind::kString || it[0]->text != "storage")
    return Unsupported("persistent id of kind other than 'storage'");
  if (it.size() < 5) return Corrupt("persistent id is not a ('storage', type, key, location, numel) tuple");
  if (it[1]->kind != NodeKind::kGlobal) return Corrupt("persistent id storage type is not a class");
  StorageRef ref;
  std::string_view cls = LastComponent(it[1]->text);
  if (cls != "UntypedStorage") {
    ref.dtype = DTypeFromStorageClass(cls);
    if (!ref.dtype) return Unsupported("unknown storage type '{}'", it[1]->text);
  }
  if (it[2]->kind != NodeKind::kString && it[2]->kind != NodeKind::kInt)
    return Corrupt("persistent id storage key is not a string");
  ref.key = it[2]->kind == NodeKind::kString ? it[2]->text : std::to_string(it[2]->int_value);
  if (it[3]->kind == NodeKind::kString) ref.location = it[3]->text;
  if (!IsInt(it[4]) || IntOf(it[4]) < 0) return Corrupt("persistent id of storage '{}' has a bad element count", ref.key);
  ref.numel = static_cast<uint64_t>(IntOf(it[4]));
  if (it.size() >= 6 && it[5]->kind == NodeKind::kTuple) {  // legacy view: (view_key, offset, size)
    const auto& v = it[5]->items;
    if (v.size() != 3 || v[0]->kind != NodeKind::kString || !IsInt(v[1]) || !IsInt(v[2]) ||
        IntOf(v[1]) < 0 || IntOf(v[2]) < 0)
      return Corrupt("legacy storage view metadata of '{}' is malformed", ref.key);
    StorageRef view = ref;
    view.base_key = ref.key;
    view.key = v[0]->text;
    view.base_offset = static_cast<uint64_t>(IntOf(v[1]));
    view.numel = static_cast<uint64_t>(IntOf(v[2]));
    storages_.try_emplace(ref.key, ref);
    ref = view;
  }
  auto [pos, inserted] = storages_.try_emplace(ref.key, ref);
  if (!inserted && pos->second.dtype != ref.dtype && pos->second.dtype && ref.dtype)
    return Corrupt("storage '{}' is used with two element types", ref.key);
  GM_ASSIGN_OR_RETURN(Node * n, New(NodeKind::kStorage));
  n->text = ref.key;
  return n;
}

Node* TorchPickleHooks::Global(std::string_view module, std::string_view name) {
  if (module == "torch") {
    if (auto dt = DTypeFromTorchName(name); dt && Name(*dt) == name) {
      Node* n = impl_.arena.New(NodeKind::kDType);
      n->text = std::string(name);
      return n;
    }
  }
  return nullptr;
}

bool TorchPickleHooks::Build(Node* target, Node* state) {
  // Tensors/parameters may carry a state (Python attributes set on them), and numpy dtypes
  // carry their byte order: nothing we keep, but not an error either.
  return target->kind == NodeKind::kTensor || target->kind == NodeKind::kDType;
}

Result<Node*> TorchPickleHooks::MakeTensor(const Node& storage, const Node& offset, const Node& size,
                                           const Node& stride, std::optional<DType> dtype) {
  if (storage.kind != NodeKind::kStorage) return Corrupt("tensor rebuild: first argument is not a storage");
  const StorageRef& ref = storages_.at(storage.text);
  if (!IsInt(&offset) || IntOf(&offset) < 0) return Corrupt("tensor rebuild: bad storage offset");
  TensorRef t;
  GM_ASSIGN_OR_RETURN(t.shape, IntList(&size, "tensor rebuild", "size", false));
  GM_ASSIGN_OR_RETURN(t.strides, IntList(&stride, "tensor rebuild", "stride", false));
  if (t.shape.size() != t.strides.size())
    return Corrupt("tensor rebuild: size has {} dimensions but stride has {}", t.shape.size(), t.strides.size());
  t.storage_offset = IntOf(&offset);
  if (!dtype) dtype = ref.dtype;
  if (!dtype) return Corrupt("tensor rebuild: untyped storage '{}' without a dtype", ref.key);
  t.dtype = *dtype;
  t.storage_key = key_prefix_ + ref.key;
  t.device = ref.location;
  impl_.tensors.push_back(std::move(t));
  GM_ASSIGN_OR_RETURN(Node * n, New(NodeKind::kTensor));
  n->int_value = static_cast<int64_t>(impl_.tensors.size() - 1);
  return n;
}

Result<Node*> TorchPickleHooks::RebuildTensor(std::string_view fn, const Node& args) {
  bool v3 = fn == "_rebuild_tensor_v3";
  size_t need = fn == "_rebuild_tensor" ? 4 : v3 ? 7 : 6;
  if (args.items.size() < need) return Corrupt("{}: expected {} arguments, got {}", fn, need, args.items.size());
  std::optional<DType> dtype;
  if (v3) {
    const Node* d = Arg(args, 6);
    if (d->kind != NodeKind::kDType) return Corrupt("{}: argument 7 is not a dtype", fn);
    dtype = DTypeFromTorchName(d->text);
  }
  GM_ASSIGN_OR_RETURN(Node * n, MakeTensor(*args.items[0], *args.items[1], *args.items[2], *args.items[3], dtype));
  TensorRef& t = impl_.tensors.back();
  if (need >= 6 && args.items[4]->kind == NodeKind::kBool) t.requires_grad = args.items[4]->bool_value;
  if (const Node* meta = Arg(args, need); meta && meta->kind == NodeKind::kDict) {
    for (auto [k, v] : meta->entries) {
      if (k->kind == NodeKind::kString && k->text == "conj") t.conj = v->kind == NodeKind::kBool && v->bool_value;
      if (k->kind == NodeKind::kString && k->text == "neg") t.neg = v->kind == NodeKind::kBool && v->bool_value;
    }
  }
  return n;
}

Result<Node*> TorchPickleHooks::RebuildQTensor(const Node& args) {
  if (args.items.size() < 5) return Corrupt("_rebuild_qtensor: expected 7 arguments, got {}", args.items.size());
  GM_ASSIGN_OR_RETURN(Node * n, MakeTensor(*args.items[0], *args.items[1], *args.items[2], *args.items[3], std::nullopt));
  const Node* q = args.items[4];
  if (q->kind != NodeKind::kTuple || q->items.empty()) return Corrupt("_rebuild_qtensor: quantizer parameters are not a tuple");
  QuantParams qp;
  qp.scheme = std::string(LastComponent(q->items[0]->text));
  const auto& p = q->items;
  if (p.size() >= 3 && p[1]->kind == NodeKind::kFloat && IsInt(p[2])) {
    qp.scale = p[1]->float_value;
    qp.zero_point = IntOf(p[2]);
  } else if (p.size() >= 4) {
    if (p[1]->kind == NodeKind::kTensor) qp.scales_tensor = p[1]->int_value;
    if (p[2]->kind == NodeKind::kTensor) qp.zero_points_tensor = p[2]->int_value;
    if (IsInt(p[3])) qp.axis = IntOf(p[3]);
  }
  TensorRef& t = impl_.tensors[static_cast<size_t>(n->int_value)];
  t.quant = qp;
  if (args.items.size() >= 6 && args.items[5]->kind == NodeKind::kBool) t.requires_grad = args.items[5]->bool_value;
  return n;
}

Result<Node*> TorchPickleHooks::RebuildMeta(const Node& args) {
  // _rebuild_meta_tensor_no_storage(dtype, size, stride, requires_grad): shape only, no bytes.
  if (args.items.size() < 3 || args.items[0]->kind != NodeKind::kDType)
    return Corrupt("_rebuild_meta_tensor_no_storage: malformed arguments");
  auto dtype = DTypeFromTorchName(args.items[0]->text);
  if (!dtype) return Corrupt("_rebuild_meta_tensor_no_storage: unknown dtype '{}'", args.items[0]->text.substr(0, 40));
  TensorRef t;
  t.dtype = *dtype;
  GM_ASSIGN_OR_RETURN(t.shape, IntList(args.items[1], "meta tensor", "size", false));
  GM_ASSIGN_OR_RETURN(t.strides, IntList(args.items[2], "meta tensor", "stride", false));
  if (t.shape.size() != t.strides.size()) return Corrupt("meta tensor: size and stride ranks differ");
  t.device = "meta";
  t.has_storage = false;
  t.storage_key = "";
  impl_.tensors.push_back(std::move(t));
  GM_ASSIGN_OR_RETURN(Node * n, New(NodeKind::kTensor));
  n->int_value = static_cast<int64_t>(impl_.tensors.size() - 1);
  return n;
}

Result<Node*> TorchPickleHooks::RebuildParameter(const Node& args) {
  if (args.items.empty() || args.items[0]->kind != NodeKind::kTensor)
    return Corrupt("_rebuild_parameter: first argument is not a tensor");
  TensorRef& t = impl_.tensors[static_cast<size_t>(args.items[0]->int_value)];
  t.is_parameter = true;
  if (args.items.size() >= 2 && args.items[1]->kind == NodeKind::kBool) t.requires_grad = args.items[1]->bool_value;
  return args.items[0];
}

Result<Node*> TorchPickleHooks::Call(Node* callable, Node* args) {
  if (callable->kind != NodeKind::kGlobal) return static_cast<Node*>(nullptr);
  std::string_view name = callable->text;
  if (name.starts_with("torch._utils._rebuild_tensor")) return RebuildTensor(LastComponent(name), *args);
  if (name == "torch._utils._rebuild_qtensor") return RebuildQTensor(*args);
  if (name == "torch._utils._rebuild_meta_tensor_no_storage") return RebuildMeta(*args);
  if (name == "torch._utils._rebuild_parameter" || name == "torch._utils._rebuild_parameter_with_state" ||
      name == "torch.nn.parameter.Parameter")  // torch <= 0.3: Parameter(tensor, requires_grad)
    return RebuildParameter(*args);
  if (name == "torch._tensor._rebuild_from_type_v2" || name == "torch._tensor._rebuild_from_type") {
    // (func, new_type, args, state): the tensor func builds, re-typed as a subclass.
    if (args->items.size() >= 3 && args->items[2]->kind == NodeKind::kTuple) return Call(args->items[0], args->items[2]);
    return static_cast<Node*>(nullptr);
  }
  return ConstructorCalls(impl_.arena).Call(name, args);
}

}  // namespace gitmodel
