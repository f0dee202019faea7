// Python and numpy constructors that checkpoints use, turned into typed, inert nodes.
#include "formats/known_constructors.h"

#include <cstring>

#include "formats/pickle_text.h"

namespace gitmodel {
namespace {

const Node* Arg(const Node& args, size_t i) { return i < args.items.size() ? args.items[i] : nullptr; }

bool IsInt(const Node* n) { return n && (n->kind == NodeKind::kInt || n->kind == NodeKind::kBool); }
int64_t IntOf(const Node* n) { return n->kind == NodeKind::kBool ? n->bool_value : n->int_value; }
std::optional<DType> NumpyDType(std::string_view code) {
  static const std::pair<std::string_view, DType> kCodes[] = {
      {"f8", DType::kFloat64}, {"f4", DType::kFloat32}, {"f2", DType::kFloat16},
      {"i8", DType::kInt64},   {"i4", DType::kInt32},   {"i2", DType::kInt16}, {"i1", DType::kInt8},
      {"u8", DType::kUInt64},  {"u4", DType::kUInt32},  {"u2", DType::kUInt16}, {"u1", DType::kUInt8},
      {"b1", DType::kBool},    {"c8", DType::kComplex64}, {"c16", DType::kComplex128}};
  for (auto [c, d] : kCodes)
    if (c == code) return d;
  return std::nullopt;
}

}  // namespace

std::string_view LastComponent(std::string_view dotted) {
  size_t dot = dotted.rfind('.');
  return dot == std::string_view::npos ? dotted : dotted.substr(dot + 1);
}

Result<Node*> ConstructorCalls::New(NodeKind kind) { return arena_.New(kind); }

Result<Node*> ConstructorCalls::CallBuiltin(std::string_view name, const Node& args) {
  const Node* a0 = Arg(args, 0);
  if ((name == "set" || name == "frozenset") && (!a0 || a0->kind == NodeKind::kList || a0->kind == NodeKind::kTuple)) {
    GM_ASSIGN_OR_RETURN(Node * n, New(NodeKind::kSet));
    if (a0) n->items = a0->items;
    if (name == "frozenset") n->class_name = "frozenset";
    return n;
  }
  if (name == "complex" && a0 && a0->kind == NodeKind::kFloat) {
    GM_ASSIGN_OR_RETURN(Node * n, New(NodeKind::kComplex));
    n->float_value = a0->float_value;
    if (const Node* a1 = Arg(args, 1); a1 && a1->kind == NodeKind::kFloat) n->imag_value = a1->float_value;
    return n;
  }
  if (name == "bytearray" && (!a0 || a0->kind == NodeKind::kBytes)) {
    GM_ASSIGN_OR_RETURN(Node * n, New(NodeKind::kBytes));
    if (a0) n->text = a0->text;
    return n;
  }
  if (name == "getattr" && a0 && a0->kind == NodeKind::kGlobal && Arg(args, 1) &&
      Arg(args, 1)->kind == NodeKind::kString) {  // enum members on Python >= 3.11
    GM_ASSIGN_OR_RETURN(Node * n, New(NodeKind::kEnum));
    n->class_name = a0->text;
    n->text = Arg(args, 1)->text;
    return n;
  }
  return static_cast<Node*>(nullptr);
}

Result<Node*> ConstructorCalls::CallCollections(std::string_view name, Node* args) {
  if (name != "OrderedDict" && name != "defaultdict" && name != "Counter") return static_cast<Node*>(nullptr);
  GM_ASSIGN_OR_RETURN(Node * n, New(NodeKind::kDict));
  n->class_name = "collections." + std::string(name);
  const Node* a0 = Arg(*args, 0);
  if (name != "defaultdict" && a0 && a0->kind == NodeKind::kDict) n->entries = a0->entries;
  if (name == "OrderedDict" && a0 && a0->kind == NodeKind::kList) {  // OrderedDict([(k, v), ...])
    for (const Node* pair : a0->items)
      if (pair->kind == NodeKind::kTuple && pair->items.size() == 2) n->entries.emplace_back(pair->items[0], pair->items[1]);
  }
  return n;
}

Result<Node*> ConstructorCalls::CallNumpy(std::string_view name, const Node& args) {
  const Node* a0 = Arg(args, 0);
  if (name == "dtype" && a0 && a0->kind == NodeKind::kString) {
    GM_ASSIGN_OR_RETURN(Node * n, New(NodeKind::kDType));
    auto dt = NumpyDType(a0->text);
    n->text = dt ? std::string(Name(*dt)) : a0->text;
    return n;
  }
  const Node* a1 = Arg(args, 1);
  if (name == "scalar" && a0 && a0->kind == NodeKind::kDType && a1 && a1->kind == NodeKind::kBytes) {
    auto dt = DTypeFromTorchName(a0->text);
    if (!dt || ByteSize(*dt, 1) != a1->text.size()) return static_cast<Node*>(nullptr);
    return NumpyScalar(*dt, a1->text);
  }
  return static_cast<Node*>(nullptr);
}

// numpy.core.multiarray.scalar(dtype, raw bytes) -> a plain number; other dtypes stay objects.
Result<Node*> ConstructorCalls::NumpyScalar(DType dtype, const std::string& raw) {
  const char* p = raw.data();
  auto load = [p]<typename T>(T) { T v; std::memcpy(&v, p, sizeof(T)); return v; };
  auto make_int = [&](int64_t v) { Node* n = arena_.New(NodeKind::kInt); n->int_value = v; return n; };
  auto make_float = [&](double v) { Node* n = arena_.New(NodeKind::kFloat); n->float_value = v; return n; };
  switch (dtype) {
    case DType::kFloat64: return make_float(load(double{}));
    case DType::kFloat32: return make_float(load(float{}));
    case DType::kInt64: return make_int(load(int64_t{}));
    case DType::kInt32: return make_int(load(int32_t{}));
    case DType::kInt16: return make_int(load(int16_t{}));
    case DType::kInt8: return make_int(load(int8_t{}));
    case DType::kUInt8: return make_int(load(uint8_t{}));
    case DType::kUInt16: return make_int(load(uint16_t{}));
    case DType::kUInt32: return make_int(load(uint32_t{}));
    case DType::kBool: {
      Node* n = arena_.New(NodeKind::kBool);
      n->bool_value = load(uint8_t{}) != 0;
      return n;
    }
    default: return static_cast<Node*>(nullptr);
  }
}

Result<Node*> ConstructorCalls::CallTorchMisc(std::string_view name, Node* args) {
  const Node* a0 = Arg(*args, 0);
  if (name == "torch.Size" && a0 && a0->kind == NodeKind::kTuple) {
    GM_ASSIGN_OR_RETURN(Node * n, New(NodeKind::kTuple));
    n->items = a0->items;
    n->class_name = "torch.Size";
    return n;
  }
  if (name == "torch.device" && a0 && a0->kind == NodeKind::kString) {
    GM_ASSIGN_OR_RETURN(Node * n, New(NodeKind::kDevice));
    n->text = a0->text;
    if (const Node* a1 = Arg(*args, 1); IsInt(a1)) n->text += ":" + std::to_string(IntOf(a1));
    return n;
  }
  if ((name == "torch.torch_version.TorchVersion" || name == "torch.serialization._get_layout") && a0 &&
      a0->kind == NodeKind::kString) {
    GM_ASSIGN_OR_RETURN(Node * n, New(NodeKind::kString));
    n->text = a0->text;
    return n;
  }
  if (name.starts_with("torch.jit._pickle.build_") || name == "torch.jit._pickle.restore_type_tag") {
    if (a0) return const_cast<Node*>(a0);
  }
  if (name == "_codecs.encode" && a0 && a0->kind == NodeKind::kString) {
    auto latin1 = Utf8ToLatin1(a0->text);
    if (!latin1) return Corrupt("_codecs.encode: text is not latin-1");
    GM_ASSIGN_OR_RETURN(Node * n, New(NodeKind::kBytes));
    n->text = *latin1;
    return n;
  }
  if ((name == "pathlib.PosixPath" || name == "pathlib.WindowsPath" || name == "pathlib.PurePosixPath" ||
       name == "pathlib.PureWindowsPath" || name == "pathlib.Path")) {
    std::string path;
    for (const Node* part : args->items) {
      if (part->kind != NodeKind::kString) return static_cast<Node*>(nullptr);
      if (!path.empty() && path.back() != '/') path += '/';
      path += part->text;
    }
    GM_ASSIGN_OR_RETURN(Node * n, New(NodeKind::kString));
    n->text = path;
    return n;
  }
  return static_cast<Node*>(nullptr);
}

Result<Node*> ConstructorCalls::Call(std::string_view name, Node* args) {
  if (name.starts_with("builtins.") || name.starts_with("__builtin__."))
    return CallBuiltin(LastComponent(name), *args);
  if (name.starts_with("collections.")) return CallCollections(LastComponent(name), args);
  if (name.starts_with("numpy.core.multiarray.") || name.starts_with("numpy._core.multiarray.") || name == "numpy.dtype")
    return CallNumpy(LastComponent(name), *args);
  return CallTorchMisc(name, args);
}

}  // namespace gitmodel
