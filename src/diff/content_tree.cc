#include "diff/content_tree.h"

#include <algorithm>

#include "base/sorted_merge.h"
#include "hyperparams/flat_params.h"
#include "hyperparams/node_json.h"
#include "provenance/embed.h"

namespace gitmodel {
namespace {

using nlohmann::json;

constexpr std::string_view kMetadataDetailPrefix = "metadata.";

std::string Join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

bool IsScalar(const json& v) { return v.is_primitive() && !v.is_discarded(); }

void Flatten(const json& v, const std::string& path, std::map<std::string, std::string>& out) {
  if (v.is_discarded()) return;  // a tensor
  if (v.is_object()) {
    if (v.empty()) out[path] = "{}";
    for (const auto& [key, child] : v.items()) Flatten(child, Join(path, key), out);
  } else if (v.is_array()) {
    if (std::all_of(v.begin(), v.end(), IsScalar)) {
      out[path] = ParamValueText(v);  // [0.9, 0.999], []
      return;
    }
    for (size_t i = 0; i < v.size(); ++i) Flatten(v[i], Join(path, std::to_string(i)), out);
  } else {
    out[path] = ParamValueText(v);
  }
}

}  // namespace

std::map<std::string, std::string> FlattenContent(const Checkpoint& checkpoint) {
  std::map<std::string, std::string> out;
  NodeJson converter(checkpoint, NodeJson::Tensors::kDiscarded);
  Flatten(converter.Convert(checkpoint.root()), "", out);
  // safetensors keeps its non-tensor content as string metadata (the reader's "metadata.KEY"
  // details). The provenance record stored there is compared by the provenance diff instead.
  for (const FormatDetail& d : checkpoint.details()) {
    if (!d.key.starts_with(kMetadataDetailPrefix)) continue;
    const std::string key = d.key.substr(kMetadataDetailPrefix.size());
    if (key != kRecordMetadataKey) out["__metadata__." + key] = d.value;
  }
  return out;
}

std::vector<ContentChange> DiffContent(const std::map<std::string, std::string>& a,
                                       const std::map<std::string, std::string>& b) {
  std::vector<ContentChange> out;
  MergeByKey(
      a, b, [&](const std::string& key, const std::string& va) { out.push_back({key, va, std::nullopt}); },
      [&](const std::string& key, const std::string& vb) { out.push_back({key, std::nullopt, vb}); },
      [&](const std::string& key, const std::string& va, const std::string& vb) {
        if (va != vb) out.push_back({key, va, vb});
      });
  return out;
}

}  // namespace gitmodel
