// Hugging Face sharded checkpoints: an `*.index.json` naming the shard that holds each tensor,
// `{"metadata": {"total_size": N}, "weight_map": {tensor: "model-00001-of-00002.safetensors"}}`.
// Shards may be safetensors files or torch.save files (pytorch_model-*.bin).
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "base/byte_reader.h"
#include "formats/safetensors.h"

namespace gitmodel {
namespace {

constexpr uint64_t kMaxIndexBytes = 100'000'000;
constexpr size_t kMaxWeightMapEntries = 100'000;
constexpr size_t kMaxListedInNote = 5;

struct Index {
  std::optional<uint64_t> total_size;
  std::vector<std::pair<std::string, std::string>> weight_map;  // tensor, shard; file order
  std::vector<std::string> shards;                              // distinct, first-appearance order
  int first_file = 0;  // shards[i] is mapped as impl.files[first_file + i]
};

// Shards must sit beside the index: a name with a separator could reach any file.
Status CheckShardName(std::string_view tensor, std::string_view shard) {
  bool plain = !shard.empty() && shard != "." && shard != ".." &&
               shard.find_first_of(std::string_view("/\\\0", 3)) == std::string_view::npos;
  if (plain) return OkStatus();
  return Corrupt("index maps tensor '{}' to shard '{}', which is not a plain file name in the index's directory",
                 NameForMessage(tensor), NameForMessage(shard));
}

// Reads the index's JSON events into an Index. Other top-level and metadata keys are ignored.
class IndexReader : public JsonEvents {
 public:
  IndexReader() : JsonEvents("index file") {}
  Index index;
  bool has_weight_map = false;

 private:
  enum class Where { kTop, kMetadata, kWeightMap };

  bool OnStart(JsonKind kind) override {
    if (open_.empty()) {
      if (kind != JsonKind::kObject) return Fail(Corrupt("index file is {}, not a JSON object", JsonKindName(kind)));
      Open(Where::kTop);
      return true;
    }
    if (kind == JsonKind::kObject && open_.back() == Where::kTop && (key_ == "metadata" || key_ == "weight_map")) {
      has_weight_map |= key_ == "weight_map";
      Open(key_ == "metadata" ? Where::kMetadata : Where::kWeightMap);
      return true;
    }
    JsonScalar none;
    none.kind = kind;
    return OnScalar(none);  // a container where a scalar belongs: the same type errors
  }

  bool OnScalar(JsonScalar& v) override {
    if (open_.empty()) return Fail(Corrupt("index file is {}, not a JSON object", JsonKindName(v.kind)));
    switch (open_.back()) {
      case Where::kTop:
        if (key_ == "metadata") return Fail(Corrupt("index metadata is {}, not an object", JsonKindName(v.kind)));
        if (key_ == "weight_map") return Fail(Corrupt("index weight_map is {}, not an object", JsonKindName(v.kind)));
        break;
      case Where::kMetadata:
        if (key_ == "total_size") return TotalSize(v);
        break;
      case Where::kWeightMap: return Shard(v);
    }
    if (v.kind == JsonKind::kArray || v.kind == JsonKind::kObject) Skip();
    return true;
  }

  bool OnKey(std::string& key) override {
    if (open_.back() == Where::kWeightMap && keys_.back().size() >= kMaxWeightMapEntries)
      return Fail(LimitExceeded("index weight_map has more than {} entries", kMaxWeightMapEntries));
    if (!keys_.back().insert(key).second) return Fail(Corrupt("index file has duplicate key '{}'", NameForMessage(key)));
    key_ = std::move(key);
    return true;
  }

  bool OnEnd() override {
    open_.pop_back();
    keys_.pop_back();
    return true;
  }

  void Open(Where where) {
    open_.push_back(where);
    keys_.emplace_back();
  }

  bool TotalSize(const JsonScalar& v) {
    if (v.kind == JsonKind::kUInt) {
      index.total_size = v.uint_value;
      return true;
    }
    // Some writers store the size as a float ("1.5e10" or "123.0"); accept whole numbers.
    if (v.kind == JsonKind::kFloat && v.float_value >= 0 && v.float_value < 0x1p64 &&
        v.float_value == static_cast<double>(static_cast<uint64_t>(v.float_value))) {
      index.total_size = static_cast<uint64_t>(v.float_value);
      return true;
    }
    return Fail(Corrupt("index metadata.total_size is {}, not a non-negative integer", JsonKindName(v.kind)));
  }

  bool Shard(JsonScalar& v) {
    if (v.kind != JsonKind::kString)
      return Fail(Corrupt("index weight_map value for tensor '{}' is {}, not a string", NameForMessage(key_), JsonKindName(v.kind)));
    Status s = CheckShardName(key_, v.text);
    if (!s.ok()) return Fail(std::move(s));
    if (shards_seen_.insert(v.text).second) index.shards.push_back(v.text);
    index.weight_map.emplace_back(std::move(key_), std::move(v.text));
    return true;
  }

  std::vector<Where> open_;                              // the objects read (others are skipped)
  std::vector<std::unordered_set<std::string>> keys_;   // the keys seen in each
  std::string key_;                                     // the innermost object's current key
  std::unordered_set<std::string> shards_seen_;
};

Result<Index> ParseIndex(std::span<const std::byte> bytes) {
  if (bytes.size() > kMaxIndexBytes)
    return LimitExceeded("index file is {} bytes, more than the limit of {}", bytes.size(), kMaxIndexBytes);
  IndexReader reader;
  GM_RETURN_IF_ERROR(ParseJson(AsText(bytes), reader));
  if (!reader.has_weight_map) return InvalidArgument("JSON file has no weight_map: not a sharded checkpoint index");
  return std::move(reader.index);
}

std::string ShardPath(const std::string& index_path, const std::string& shard) {
  size_t slash = index_path.rfind('/');
  return slash == std::string::npos ? shard : index_path.substr(0, slash + 1) + shard;
}

enum class ShardKind { kSafetensors, kTorchZip, kTorchLegacy, kUnknown };

ShardKind SniffShard(std::span<const std::byte> b) {
  if (b.size() >= 4 && AsText(b.first(4)) == "PK\x03\x04") return ShardKind::kTorchZip;
  if (b.size() >= 9 && b[8] == std::byte{'{'}) return ShardKind::kSafetensors;
  if (!b.empty() && b[0] == std::byte{0x80}) return ShardKind::kTorchLegacy;  // pickle PROTO
  return ShardKind::kUnknown;
}

// The torch readers own the Impl they fill (root, format, naming), so a torch shard is read into
// its own Impl and its tensors moved over. Its object tree is dropped; the bytes its tensors view
// (mapping, inflated buffers) move with their owners, whose addresses do not change.
Status ReadTorchShard(Checkpoint::Impl& impl, const std::string& shard, std::unique_ptr<MappedFile> mapping, ShardKind kind) {
  Checkpoint::Impl shard_impl;
  shard_impl.path = mapping->path();
  shard_impl.files.push_back(mapping->path());
  shard_impl.mappings.push_back(std::move(mapping));
  GM_RETURN_IF_ERROR(kind == ShardKind::kTorchZip ? ReadTorchZip(shard_impl, 0) : ReadTorchLegacy(shard_impl, 0));

  const int file_index = static_cast<int>(impl.files.size());
  const auto base = static_cast<int64_t>(impl.tensors.size());
  impl.files.push_back(shard_impl.files[0]);
  impl.mappings.push_back(std::move(shard_impl.mappings[0]));
  for (auto& buffer : shard_impl.owned_buffers) impl.owned_buffers.push_back(std::move(buffer));
  for (TensorRef& t : shard_impl.tensors) {
    t.file_index = file_index;
    if (t.quant && t.quant->scales_tensor >= 0) t.quant->scales_tensor += base;
    if (t.quant && t.quant->zero_points_tensor >= 0) t.quant->zero_points_tensor += base;
    impl.tensors.push_back(std::move(t));
  }
  for (const std::string& note : shard_impl.notes) impl.notes.push_back(fmt::format("shard '{}': {}", NameForMessage(shard), note));
  return OkStatus();
}

Status ReadShard(Checkpoint::Impl& impl, const std::string& index_path, const std::string& shard) {
  const std::string path = ShardPath(index_path, shard);
  GM_ASSIGN_OR_RETURN(std::unique_ptr<MappedFile> mapping, MappedFile::Open(path));
  ShardKind kind = SniffShard(mapping->bytes());
  if (kind == ShardKind::kUnknown) return Unsupported("not a safetensors or torch file");
  if (kind != ShardKind::kSafetensors) return ReadTorchShard(impl, shard, std::move(mapping), kind);
  impl.files.push_back(path);
  impl.mappings.push_back(std::move(mapping));
  return AppendSafetensorsTensors(impl, static_cast<int>(impl.files.size() - 1)).status();
}

// Every tensor the index names is in the shard it names, and names are unique across shards.
// Tensors a shard holds that the index does not list become notes.
Status CheckWeightMap(Checkpoint::Impl& impl, const Index& index) {
  auto shard_number = [&](const TensorRef& t) { return static_cast<size_t>(t.file_index - index.first_file); };
  auto shard_of = [&](const TensorRef& t) { return NameForMessage(index.shards[shard_number(t)]); };
  std::unordered_map<std::string_view, const TensorRef*> by_name;
  for (const TensorRef& t : impl.tensors) {
    auto [it, inserted] = by_name.emplace(t.name, &t);
    if (!inserted && it->second->file_index == t.file_index)
      return Corrupt("tensor '{}' appears twice in shard '{}'", NameForMessage(t.name), shard_of(t));
    if (!inserted)
      return Corrupt("tensor '{}' is in both shard '{}' and shard '{}'", NameForMessage(t.name), shard_of(*it->second), shard_of(t));
  }
  std::unordered_set<std::string_view> listed;
  for (const auto& [tensor, shard] : index.weight_map) {
    auto it = by_name.find(tensor);
    if (it == by_name.end() || index.shards[shard_number(*it->second)] != shard)
      return Corrupt("index names tensor '{}' in {}, which does not contain it", NameForMessage(tensor), NameForMessage(shard));
    listed.insert(tensor);
  }
  std::vector<std::vector<std::string_view>> unlisted(index.shards.size());
  for (const TensorRef& t : impl.tensors)
    if (!listed.contains(t.name)) unlisted[shard_number(t)].push_back(t.name);
  for (size_t i = 0; i < unlisted.size(); ++i) {
    if (unlisted[i].empty()) continue;
    std::string names;
    for (size_t j = 0; j < unlisted[i].size() && j < kMaxListedInNote; ++j)
      names += fmt::format("{}'{}'", j ? ", " : "", NameForMessage(unlisted[i][j]));
    if (unlisted[i].size() > kMaxListedInNote) names += ", ...";
    impl.notes.push_back(fmt::format("shard '{}' holds {} tensors the index does not list: {}", NameForMessage(index.shards[i]),
                                     unlisted[i].size(), names));
  }
  return OkStatus();
}

void CheckTotalSize(Checkpoint::Impl& impl, uint64_t total_size) {
  uint64_t sum = 0;
  for (const TensorRef& t : impl.tensors)
    if (__builtin_add_overflow(sum, t.nbytes(), &sum)) sum = UINT64_MAX;
  impl.AddDetail("total_size", std::to_string(total_size));
  if (sum != total_size)
    impl.notes.push_back(fmt::format("index metadata.total_size is {} but the shards' tensors hold {} bytes", total_size, sum));
}

}  // namespace

Status ReadShardedIndex(Checkpoint::Impl& impl, int file_index) {
  impl.format = Format::kShardedIndex;
  const std::string index_path = impl.files[static_cast<size_t>(file_index)];
  GM_ASSIGN_OR_RETURN(Index index, ParseIndex(impl.mappings[static_cast<size_t>(file_index)]->bytes()));
  index.first_file = static_cast<int>(impl.files.size());
  for (const std::string& shard : index.shards) {
    Status s = ReadShard(impl, index_path, shard);
    if (!s.ok()) return s.WithContext(fmt::format("shard '{}'", NameForMessage(shard)));
  }
  GM_RETURN_IF_ERROR(CheckWeightMap(impl, index));
  impl.AddDetail("shards", std::to_string(index.shards.size()));
  impl.AddDetail("tensors", std::to_string(impl.tensors.size()));
  if (index.total_size) CheckTotalSize(impl, *index.total_size);
  impl.root = BuildTensorDict(impl);
  return OkStatus();
}

}  // namespace gitmodel
