#include "inspect/tree_json.h"

#include <cmath>
#include <unordered_map>

#include "formats/checkpoint_impl.h"
#include "formats/node_text.h"

namespace gitmodel {
namespace {

using nlohmann::json;

// Raw bytes are not valid JSON strings in general: hex up to 64 bytes, then a length.
json BytesJson(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (size_t i = 0; i < bytes.size() && i < 64; ++i) {
    hex += kHex[static_cast<uint8_t>(bytes[i]) >> 4];
    hex += kHex[static_cast<uint8_t>(bytes[i]) & 15];
  }
  return json{{"bytes", bytes.size()}, {"hex", hex}};
}

class JsonWriter {
 public:
  explicit JsonWriter(const std::vector<TensorRef>& tensors) : tensors_(tensors) {}

  json Write(const Node* n, const std::string& path, int depth) {
    if (!n) return nullptr;
    if (depth > kMaxTreeDepth) return json{{"truncated", true}};
    switch (n->kind) {
      case NodeKind::kNone: return nullptr;
      case NodeKind::kBool: return n->bool_value;
      case NodeKind::kInt: return n->int_value;
      case NodeKind::kBigInt: return json{{"int", n->text}};
      case NodeKind::kFloat: return FloatJson(n->float_value);
      case NodeKind::kComplex: return json{{"complex", {FloatJson(n->float_value), FloatJson(n->imag_value)}}};
      case NodeKind::kString: return json(ValidUtf8(n->text, false));
      case NodeKind::kBytes: return BytesJson(n->text);
      case NodeKind::kTensor: return json{{"tensor", tensors_[static_cast<size_t>(n->int_value)].name}};
      case NodeKind::kStorage: return json{{"storage", n->text}};
      case NodeKind::kGlobal: return json{{"global", n->text}};
      case NodeKind::kEnum: return json{{"enum", n->class_name + "." + n->text}};
      case NodeKind::kDevice: return json{{"device", n->text}};
      case NodeKind::kDType: return json{{"dtype", n->text}};
      default: break;
    }
    auto [it, first] = seen_.try_emplace(n, path);
    if (!first) return json{{"ref", it->second}};
    return WriteContainer(n, path, depth);
  }

 private:
  json WriteContainer(const Node* n, const std::string& path, int depth) {
    auto child = [&](std::string_view part) { return path.empty() ? std::string(part) : path + "." + std::string(part); };
    json items = json::array();
    for (size_t i = 0; i < n->items.size(); ++i) items.push_back(Write(n->items[i], child(std::to_string(i)), depth + 1));
    if (n->kind == NodeKind::kList || n->kind == NodeKind::kTuple || n->kind == NodeKind::kSet) return items;
    json entries = json::object();
    for (auto [k, v] : n->entries) {
      std::string key = ValidUtf8(KeyText(k), false);
      entries[key] = Write(v, child(key), depth + 1);
    }
    if (n->kind == NodeKind::kDict) return entries;
    json obj = {{"class", n->class_name}};  // kObject
    if (n->args && !n->args->items.empty()) obj["args"] = Write(n->args, child("args"), depth + 1);
    if (n->state) obj["state"] = Write(n->state, path, depth + 1);
    if (!n->items.empty()) obj["items"] = items;
    if (!n->entries.empty()) obj["entries"] = entries;
    return obj;
  }

  const std::vector<TensorRef>& tensors_;
  std::unordered_map<const Node*, std::string> seen_;
};

}  // namespace

json FloatJson(double v) {
  if (std::isfinite(v)) return v;
  return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf");
}

json TreeToJson(const Node* root, const std::vector<TensorRef>& tensors) {
  return JsonWriter(tensors).Write(root, "", 0);
}

}  // namespace gitmodel
