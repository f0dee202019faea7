#include "hyperparams/checkpoint_metadata.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <string_view>

#include "hyperparams/config_internal.h"
#include "hyperparams/node_json.h"
#include "tensors/element_decode.h"

namespace gitmodel {
namespace {

using json = nlohmann::json;

constexpr std::array<std::string_view, 7> kHyperparamKeys = {"hyperparams", "hparams", "hyper_parameters", "args",
                                                             "opt",         "config",  "cfg"};
constexpr std::array<std::string_view, 10> kConsumedKeys = {
    "git", "git_commit", "git_sha", "git_hash", "git_branch", "git_dirty", "git_describe",
    "pytorch_version", "torch_version", "cuda_available"};

const Node* Find(const Node* dict, std::string_view key) {
  for (auto [k, v] : dict->entries)
    if (k && k->kind == NodeKind::kString && k->text == key) return v;
  return nullptr;
}

std::optional<std::string> ShortString(const Node* n) {
  const std::string* s = StringValue(n);
  if (!s || s->size() > kMaxTrainingString) return std::nullopt;
  return Utf8Text(*s);
}

std::optional<bool> Flag(const Node* n) {
  if (n && n->kind == NodeKind::kBool) return n->bool_value;
  if (n && n->kind == NodeKind::kInt && (n->int_value == 0 || n->int_value == 1)) return n->int_value == 1;
  return std::nullopt;
}

bool IsOptimizerState(const Node* dict) { return Find(dict, "state") && Find(dict, "param_groups"); }

void ReadHyperparams(const Checkpoint& checkpoint, const Node* root, CheckpointMetadata& m) {
  for (std::string_view key : kHyperparamKeys) {
    const Node* dict = DictView(Find(root, key));
    if (!dict || dict->entries.empty() || IsOptimizerState(dict)) continue;
    NodeJson converter(checkpoint);
    m.hyperparams = FlattenJson(converter.Convert(Find(root, key)));
    if (m.hyperparams.empty()) continue;
    m.hyperparams_source = std::string(key);
    return;
  }
}

// Fills `field` from the first of `keys` holding a short string.
void FirstString(const Node* dict, std::initializer_list<std::string_view> keys, std::string& field) {
  for (std::string_view key : keys)
    if (auto s = ShortString(Find(dict, key)); s && field.empty()) field = std::move(*s);
}

void ReadGit(const Node* root, CheckpointGitInfo& git) {
  const Node* node = Find(root, "git");
  if (const Node* dict = DictView(node)) {
    FirstString(dict, {"commit", "sha", "hash"}, git.commit);
    FirstString(dict, {"branch"}, git.branch);
    FirstString(dict, {"describe"}, git.describe);
    git.dirty = Flag(Find(dict, "dirty"));
    if (!git.dirty) git.dirty = Flag(Find(dict, "is_dirty"));
  } else if (auto s = ShortString(node)) {
    git.commit = std::move(*s);
  }
  FirstString(root, {"git_commit", "git_sha", "git_hash"}, git.commit);
  FirstString(root, {"git_branch"}, git.branch);
  FirstString(root, {"git_describe"}, git.describe);
  if (!git.dirty) git.dirty = Flag(Find(root, "git_dirty"));
  git.present = !git.commit.empty() || !git.branch.empty() || !git.describe.empty() || git.dirty.has_value();
}

// A zero-dimensional tensor's value (not a parameter's): an integer for integer and bool dtypes,
// else a float.
std::optional<json> ScalarTensor(const Checkpoint& checkpoint, const Node* n) {
  const auto& tensors = checkpoint.tensors();
  if (n->int_value < 0 || static_cast<size_t>(n->int_value) >= tensors.size()) return std::nullopt;
  const TensorRef& t = tensors[static_cast<size_t>(n->int_value)];
  if (!t.shape.empty() || t.is_parameter || !t.has_storage || t.big_endian || ValuesPerElement(t.dtype) != 1)
    return std::nullopt;
  auto v = DecodeValue(DecodeSpecFor(t), t.view_bytes(), 0);
  if (!v.ok()) return std::nullopt;
  const DTypeKind kind = Info(t.dtype).kind;
  if (kind == DTypeKind::kSignedInt || kind == DTypeKind::kUnsignedInt || kind == DTypeKind::kBool)
    return json(static_cast<int64_t>(*v));
  return json(*v);
}

// `key` (a top-level key) holds a training field when its value is a scalar; tensors only under
// keys without dots, which state_dict entries (`bn1.num_batches_tracked`) have.
std::optional<json> TrainingValue(const Checkpoint& checkpoint, std::string_view key, const Node* n) {
  if (!n) return std::nullopt;
  switch (n->kind) {
    case NodeKind::kBool: return json(n->bool_value);
    case NodeKind::kInt: return json(n->int_value);
    case NodeKind::kFloat: return json(n->float_value);
    case NodeKind::kString:
      if (auto s = ShortString(n)) return json(std::move(*s));
      return std::nullopt;
    case NodeKind::kTensor:
      if (key.find('.') != std::string_view::npos) return std::nullopt;
      return ScalarTensor(checkpoint, n);
    default: return std::nullopt;
  }
}

void ReadTraining(const Checkpoint& checkpoint, const Node* root, CheckpointMetadata& m) {
  for (auto [k, v] : root->entries) {
    if (m.training.size() >= NodeJson::kMaxMetadataValues) return;
    if (!k || k->kind != NodeKind::kString || k->text == m.hyperparams_source) continue;
    if (std::find(kConsumedKeys.begin(), kConsumedKeys.end(), k->text) != kConsumedKeys.end()) continue;
    if (auto value = TrainingValue(checkpoint, k->text, v)) m.training.emplace(Utf8Text(k->text), std::move(*value));
  }
}

void ReadSafetensorsMetadata(const Checkpoint& checkpoint, CheckpointMetadata& m) {
  constexpr std::string_view kPrefix = "metadata.";
  for (const FormatDetail& d : checkpoint.details()) {
    if (d.key.substr(0, kPrefix.size()) != kPrefix) continue;
    const std::string key = d.key.substr(kPrefix.size());
    if (key == "git-model.provenance" || d.value.size() > kMaxTrainingString) continue;
    m.training.emplace(Utf8Text(key), json(Utf8Text(d.value)));
  }
}

}  // namespace

CheckpointMetadata ReadCheckpointMetadata(const Checkpoint& checkpoint) {
  CheckpointMetadata m;
  if (checkpoint.format() == Format::kSafetensors) {
    ReadSafetensorsMetadata(checkpoint, m);
    return m;
  }
  const Node* root = DictView(checkpoint.root());
  if (!root) return m;
  ReadHyperparams(checkpoint, root, m);
  ReadGit(root, m.git);
  FirstString(root, {"pytorch_version", "torch_version"}, m.torch_version);
  m.cuda_available = Flag(Find(root, "cuda_available"));
  ReadTraining(checkpoint, root, m);
  return m;
}

}  // namespace gitmodel
