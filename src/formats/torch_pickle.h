// PickleHooks for torch's pickles: persistent storage ids, tensor rebuild functions and the
// other constructors torch checkpoints use, turned into typed, inert nodes.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "formats/checkpoint_impl.h"
#include "formats/pickle_reader.h"

namespace gitmodel {

// A storage as a persistent id names it. numel counts elements of `dtype` (bytes if untyped).
struct StorageRef {
  std::string key;                 // as in the pid ("0"; legacy: an address-like number)
  std::optional<DType> dtype;      // nullopt: UntypedStorage (bytes)
  std::string location;            // "cpu", "cuda:0"...
  uint64_t numel = 0;
  // Legacy view storages live inside another storage.
  std::string base_key;            // empty unless a view
  uint64_t base_offset = 0;        // elements into the base storage
};

// Bytes per element of a storage as its persistent id counts them: untyped storages and the
// sub-byte quantized types (quint4x2, quint2x4: several values per byte) count bytes.
inline uint64_t StorageElementBytes(const StorageRef& ref) {
  return ref.dtype ? std::max<uint64_t>(1, Info(*ref.dtype).bits / 8) : 1;
}

class TorchPickleHooks : public PickleHooks {
 public:
  // Tensors are appended to impl.tensors with storage_key = key_prefix + pid key ("data/0").
  TorchPickleHooks(Checkpoint::Impl& impl, std::string key_prefix)
      : impl_(impl), key_prefix_(std::move(key_prefix)) {}

  const std::map<std::string, StorageRef>& storages() const { return storages_; }

  Result<Node*> PersistentLoad(Node* pid) override;
  Node* Global(std::string_view module, std::string_view name) override;
  Result<Node*> Call(Node* callable, Node* args) override;
  bool Build(Node* target, Node* state) override;

 private:
  Result<Node*> New(NodeKind kind);
  Result<Node*> RebuildTensor(std::string_view fn, const Node& args);
  Result<Node*> RebuildQTensor(const Node& args);
  Result<Node*> RebuildMeta(const Node& args);
  Result<Node*> RebuildParameter(const Node& args);
  Result<Node*> MakeTensor(const Node& storage, const Node& offset, const Node& size,
                           const Node& stride, std::optional<DType> dtype);

  Checkpoint::Impl& impl_;
  std::string key_prefix_;
  std::map<std::string, StorageRef> storages_;
};

}  // namespace gitmodel
