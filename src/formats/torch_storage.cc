#include "formats/torch_storage.h"

#include <unordered_map>

#include "tensors/tensor_view.h"

namespace gitmodel {
namespace {

// Bytes of one storage, checked against what its persistent id declares. Legacy views resolve
// to a slice of their base storage.
Result<StorageBytes> CheckedStorage(const TorchPickleHooks& hooks, const StorageRef& ref,
                                    std::string_view key_prefix, const StorageLocator& locate) {
  const StorageRef* data_ref = &ref;
  if (!ref.base_key.empty()) data_ref = &hooks.storages().at(ref.base_key);
  GM_ASSIGN_OR_RETURN(StorageBytes sb, locate(*data_ref));
  uint64_t elem = StorageElementBytes(*data_ref);
  std::string name = std::string(key_prefix) + data_ref->key;
  if (data_ref->numel > UINT64_MAX / elem)
    return Corrupt("storage {} declares {} elements, which overflows", name, data_ref->numel);
  uint64_t need = data_ref->numel * elem;
  if (need > sb.bytes.size())
    return Corrupt("truncated storage {}: record has {} bytes, storage needs {}", name, sb.bytes.size(), need);
  sb.bytes = sb.bytes.first(need);
  if (ref.base_key.empty()) return sb;
  uint64_t view_elem = StorageElementBytes(ref);
  if (ref.base_offset > need / view_elem || ref.numel > need / view_elem - ref.base_offset)
    return Corrupt("storage view {} (offset {}, {} elements) lies outside storage {}", ref.key, ref.base_offset, ref.numel, name);
  sb.bytes = sb.bytes.subspan(ref.base_offset * view_elem, ref.numel * view_elem);
  sb.file_offset += ref.base_offset * view_elem;
  return sb;
}

}  // namespace

Status AttachStorages(Checkpoint::Impl& impl, size_t first_tensor, size_t end_tensor, const TorchPickleHooks& hooks,
                      std::string_view key_prefix, const StorageLocator& locate, bool big_endian,
                      int file_index) {
  std::unordered_map<std::string, StorageBytes> resolved;
  for (size_t i = first_tensor; i < end_tensor; ++i) {
    TensorRef& t = impl.tensors[i];
    if (!t.has_storage) continue;
    std::string key = t.storage_key.substr(key_prefix.size());
    auto it = resolved.find(key);
    if (it == resolved.end()) {
      GM_ASSIGN_OR_RETURN(StorageBytes sb, CheckedStorage(hooks, hooks.storages().at(key), key_prefix, locate));
      it = resolved.emplace(key, sb).first;
    }
    t.storage = it->second.bytes;
    t.storage_file_offset = it->second.file_offset;
    t.deflated = it->second.deflated;
    t.big_endian = big_endian;
    t.file_index = file_index;
    Status bounds = CheckViewBounds(t);
    if (!bounds.ok()) return bounds.WithContext(fmt::format("tensor '{}'", t.name));
  }
  return OkStatus();
}

}  // namespace gitmodel
