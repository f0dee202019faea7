#include "formats/torchscript_legacy.h"

#include <nlohmann/json.hpp>

#include "base/json_document.h"
#include "formats/torch_storage.h"
#include "tensors/tensor_view.h"

namespace gitmodel {
namespace {

using nlohmann::json;
constexpr uint64_t kMaxModelJson = 64ull << 20;

std::optional<DType> ProtoDType(std::string_view name) {
  static const std::pair<std::string_view, DType> kMap[] = {
      {"FLOAT", DType::kFloat32}, {"DOUBLE", DType::kFloat64}, {"FLOAT16", DType::kFloat16},
      {"HALF", DType::kFloat16},  {"INT64", DType::kInt64},    {"INT32", DType::kInt32},
      {"INT16", DType::kInt16},   {"INT8", DType::kInt8},      {"UINT8", DType::kUInt8},
      {"BOOL", DType::kBool}};
  for (auto [n, d] : kMap)
    if (n == name) return d;
  return std::nullopt;
}

// protobuf-JSON writes int64 as strings; accept both.
Result<int64_t> JsonInt(const json& j, std::string_view what) {
  if (j.is_number_integer()) return j.get<int64_t>();
  if (j.is_string()) {
    try {
      size_t used = 0;
      int64_t v = std::stoll(j.get<std::string>(), &used);
      if (used == j.get<std::string>().size()) return v;
    } catch (const std::exception&) {
    }
  }
  return Corrupt("model.json: {} is not an integer", what);
}

Result<std::vector<int64_t>> JsonInts(const json& t, const char* field) {
  std::vector<int64_t> out;
  if (!t.contains(field)) return out;
  if (!t[field].is_array() || t[field].size() > 64) return Corrupt("model.json: tensor {} is not a short array", field);
  for (const json& v : t[field]) {
    GM_ASSIGN_OR_RETURN(int64_t x, JsonInt(v, field));
    if (x < 0) return Corrupt("model.json: negative tensor {}", field);
    out.push_back(x);
  }
  return out;
}

// Parameter names by tensor id, from the module hierarchy ("fc.weight").
void CollectNames(const json& module, const std::string& prefix, std::map<int64_t, std::string>& names, int depth) {
  if (!module.is_object() || depth > kMaxTreeDepth) return;
  if (module.contains("parameters") && module["parameters"].is_array()) {
    for (const json& p : module["parameters"]) {
      if (!p.is_object() || !p.contains("name") || !p["name"].is_string() || !p.contains("tensorId")) continue;
      auto id = JsonInt(p["tensorId"], "tensorId");
      if (id.ok()) names.try_emplace(*id, prefix + p["name"].get<std::string>());
    }
  }
  if (module.contains("submodules") && module["submodules"].is_array()) {
    for (const json& m : module["submodules"])
      if (m.is_object() && m.contains("name") && m["name"].is_string())
        CollectNames(m, prefix + m["name"].get<std::string>() + ".", names, depth + 1);
  }
}

Result<TensorRef> ParseTensor(const json& t, size_t index, const TorchArchive& archive) {
  if (!t.is_object() || !t.contains("dataType") || !t["dataType"].is_string() || !t.contains("data") ||
      !t["data"].is_object() || !t["data"].contains("key") || !t["data"]["key"].is_string())
    return Corrupt("model.json: tensor {} lacks dataType or data.key", index);
  TensorRef ref;
  auto dt = ProtoDType(t["dataType"].get<std::string>());
  if (!dt) return Unsupported("model.json: tensor {} has unknown dataType '{}'", index, t["dataType"].get<std::string>());
  ref.dtype = *dt;
  GM_ASSIGN_OR_RETURN(ref.shape, JsonInts(t, "dims"));
  GM_ASSIGN_OR_RETURN(ref.strides, JsonInts(t, "strides"));
  if (ref.strides.empty() && !ref.shape.empty()) {  // contiguous when strides are omitted
    ref.strides.assign(ref.shape.size(), 1);
    for (size_t i = ref.shape.size() - 1; i > 0; --i) ref.strides[i - 1] = ref.strides[i] * std::max<int64_t>(ref.shape[i], 1);
  }
  if (t.contains("offset")) { GM_ASSIGN_OR_RETURN(ref.storage_offset, JsonInt(t["offset"], "offset")); }
  if (t.contains("requiresGrad") && t["requiresGrad"].is_boolean()) ref.requires_grad = t["requiresGrad"].get<bool>();
  if (t.contains("device") && t["device"].is_string()) ref.device = t["device"].get<std::string>();
  ref.storage_key = t["data"]["key"].get<std::string>();
  const ZipEntry* e = archive.Find(ref.storage_key);
  if (!e) return NotFound("model.json: tensor {} names missing record {}", index, ref.storage_key);
  std::vector<std::byte> owned;
  GM_ASSIGN_OR_RETURN(ref.storage, archive.Read(*e, &owned, 0));  // stored only: legacy writers never deflate tensors
  ref.storage_file_offset = static_cast<uint64_t>(ref.storage.data() - archive.zip().file().data());
  return ref;
}

}  // namespace

Status ReadLegacyTorchScript(Checkpoint::Impl& impl, const TorchArchive& archive, int file_index) {
  std::vector<std::byte> owned;
  GM_ASSIGN_OR_RETURN(auto bytes, archive.Read(*archive.Find("model.json"), &owned, kMaxModelJson));
  std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  GM_ASSIGN_OR_RETURN(json model, ParseJsonDocument(text, "model.json", 2 * kMaxTreeDepth + 8));
  if (!model.is_object()) return Corrupt("model.json is not a JSON object");
  impl.notes.push_back("legacy TorchScript archive (model.json, torch 1.0-1.3): tensors listed from model.json; the code is not interpreted");
  if (model.contains("producerVersion") && model["producerVersion"].is_string())
    impl.AddDetail("producer_version", model["producerVersion"].get<std::string>());
  std::map<int64_t, std::string> names;
  if (model.contains("mainModule")) CollectNames(model["mainModule"], "", names, 0);
  impl.root = impl.arena.New(NodeKind::kDict);
  const json& tensors = model.contains("tensors") ? model["tensors"] : json::array();
  if (!tensors.is_array()) return Corrupt("model.json: 'tensors' is not an array");
  for (size_t i = 0; i < tensors.size(); ++i) {
    GM_ASSIGN_OR_RETURN(TensorRef ref, ParseTensor(tensors[i], i, archive));
    auto it = names.find(static_cast<int64_t>(i));
    ref.name = it != names.end() ? it->second : fmt::format("tensors.{}", i);
    ref.file_index = file_index;
    GM_RETURN_IF_ERROR(CheckViewBounds(ref).WithContext(fmt::format("tensor '{}'", ref.name)));
    impl.tensors.push_back(std::move(ref));
    Node* key = impl.arena.New(NodeKind::kString);
    key->text = impl.tensors.back().name;
    Node* value = impl.arena.New(NodeKind::kTensor);
    value->int_value = static_cast<int64_t>(impl.tensors.size() - 1);
    impl.root->entries.emplace_back(key, value);
  }
  return OkStatus();
}

}  // namespace gitmodel
