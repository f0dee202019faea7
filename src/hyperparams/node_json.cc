#include "hyperparams/node_json.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "formats/node_text.h"
#include "hyperparams/config_internal.h"
#include "hyperparams/flat_params.h"

namespace gitmodel {
namespace {

using json = nlohmann::json;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// The value of string key `key` in a dict node's entries, or nullptr.
const Node* Entry(const Node* dict, std::string_view key) {
  if (!dict) return nullptr;
  for (auto [k, v] : dict->entries)
    if (k && k->kind == NodeKind::kString && k->text == key) return v;
  return nullptr;
}

// An object's attribute dict: its state, or the first half of a (dict, slots) state.
const Node* StateDict(const Node* n) {
  const Node* s = n->state;
  if (s && s->kind == NodeKind::kTuple && s->items.size() == 2) s = s->items[0];
  return s && s->kind == NodeKind::kDict ? s : nullptr;
}

}  // namespace

const Node* DictView(const Node* n) {
  if (!n) return nullptr;
  if (n->kind == NodeKind::kDict) return n;
  if (n->kind != NodeKind::kObject) return nullptr;
  const std::string& cls = n->class_name;
  if (StartsWith(cls, "omegaconf.")) {
    const Node* content = Entry(StateDict(n), "_content");
    return content && content->kind == NodeKind::kDict ? content : nullptr;
  }
  if (!n->entries.empty() || EndsWith(cls, "Dict") || EndsWith(cls, "dict")) return n;
  if (cls == "argparse.Namespace" || cls == "types.SimpleNamespace") return StateDict(n);
  return nullptr;
}

const std::string* StringValue(const Node* n) {
  if (!n) return nullptr;
  if (n->kind == NodeKind::kString) return &n->text;
  const bool str_subclass = n->kind == NodeKind::kObject && n->args && n->args->kind == NodeKind::kTuple &&
                            n->args->items.size() == 1 && n->args->items[0]->kind == NodeKind::kString;
  return str_subclass ? &n->args->items[0]->text : nullptr;
}

json NodeJson::Value(const Node* n, int depth) {
  if (!n) return json(nullptr);
  if (++values_ > kMaxMetadataValues) return json("<truncated>");
  if (depth > kMaxConfigDepth) return json("<too deep>");
  switch (n->kind) {
    case NodeKind::kNone: return json(nullptr);
    case NodeKind::kBool: return json(n->bool_value);
    case NodeKind::kInt: return json(n->int_value);
    case NodeKind::kFloat: return json(n->float_value);
    case NodeKind::kBigInt: return json(Utf8Text(n->text));
    case NodeKind::kString: return json(Utf8Text(n->text));
    case NodeKind::kBytes: return json(fmt::format("<bytes {}>", n->text.size()));
    case NodeKind::kTensor:
      return tensors_ == Tensors::kDiscarded ? json(json::value_t::discarded) : json(TensorText(n));
    case NodeKind::kStorage: return json("<storage>");
    case NodeKind::kList: case NodeKind::kTuple: case NodeKind::kSet: case NodeKind::kDict:
      return Container(n, depth);
    case NodeKind::kObject: return ObjectValue(n, depth);
    case NodeKind::kGlobal: case NodeKind::kDevice: case NodeKind::kDType: return json(Utf8Text(n->text));
    case NodeKind::kEnum: return json(Utf8Text(n->class_name + "." + n->text));
    default: return json(Utf8Text(ShortRepr(n, 200)));  // complex
  }
}

json NodeJson::Container(const Node* n, int depth) {
  if (!on_path_.insert(n).second) return json("<cycle>");
  json out;
  if (const Node* dict = DictView(n)) {
    out = json::object();
    for (auto [k, v] : dict->entries) {
      if (k) out[Utf8Text(KeyText(k))] = Value(v, depth + 1);
      if (values_ > kMaxMetadataValues) break;  // the last value says "<truncated>"
    }
  } else {
    out = json::array();
    for (const Node* item : n->items) {
      out.push_back(Value(item, depth + 1));
      if (values_ > kMaxMetadataValues) break;
    }
  }
  on_path_.erase(n);
  return out;
}

json NodeJson::ObjectValue(const Node* n, int depth) {
  if (StartsWith(n->class_name, "omegaconf.")) {  // ValueNodes hold `_val`, containers `_content`
    const Node* state = StateDict(n);
    if (const Node* val = Entry(state, "_val")) return Value(val, depth + 1);
    if (const Node* content = Entry(state, "_content")) return Value(content, depth + 1);
  }
  if (const std::string* text = StringValue(n)) return json(Utf8Text(*text));
  if (DictView(n)) return Container(n, depth);
  return json(fmt::format("<object {}>", Utf8Text(n->class_name.substr(0, 200))));
}

std::string NodeJson::TensorText(const Node* n) const {
  const auto& tensors = checkpoint_.tensors();
  if (n->int_value < 0 || static_cast<size_t>(n->int_value) >= tensors.size()) return "<tensor>";
  const TensorRef& t = tensors[static_cast<size_t>(n->int_value)];
  return fmt::format("<tensor {}[{}]>", Name(t.dtype), fmt::join(t.shape, ", "));
}

}  // namespace gitmodel
