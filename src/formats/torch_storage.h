// Attaching storage bytes to the tensors a torch pickle described, with every bound checked.
#pragma once

#include <functional>
#include <map>
#include <span>
#include <string>

#include "formats/checkpoint_impl.h"
#include "formats/torch_pickle.h"

namespace gitmodel {

struct StorageBytes {
  std::span<const std::byte> bytes;
  uint64_t file_offset = 0;  // where bytes start in the file, when mapped
  bool deflated = false;     // inflated into memory
};

// Finds the bytes of the storage with pid key `key` (a zip record, a legacy data block...).
using StorageLocator = std::function<Result<StorageBytes>(const StorageRef& ref)>;

// For every tensor in impl.tensors[first_tensor, end_tensor): finds its storage, checks that the storage's
// declared size fits its bytes ("truncated storage data/7: record has 96 bytes, storage needs
// 128") and that the view fits the storage, and fills TensorRef::storage and friends.
Status AttachStorages(Checkpoint::Impl& impl, size_t first_tensor, size_t end_tensor, const TorchPickleHooks& hooks,
                      std::string_view key_prefix, const StorageLocator& locate, bool big_endian,
                      int file_index);

}  // namespace gitmodel
