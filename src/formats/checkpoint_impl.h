// Checkpoint::Impl: what format readers fill in. Internal to libgitmodel.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "base/mapped_file.h"
#include "gitmodel/checkpoint.h"

namespace gitmodel {

struct Checkpoint::Impl {
  std::string path;
  Format format = Format::kPickle;
  std::vector<FormatDetail> details;
  std::vector<std::string> notes;
  std::vector<TensorRef> tensors;
  NodeArena arena;
  Node* root = nullptr;
  // Further named object trees whose tensors are named "<name>.<path>" (TorchScript constants).
  std::vector<std::pair<std::string, Node*>> extra_roots;
  std::vector<std::string> files;                       // files[i] is mapped by mappings[i]
  std::vector<std::unique_ptr<MappedFile>> mappings;
  std::deque<std::vector<std::byte>> owned_buffers;     // inflated records; stable addresses

  void AddDetail(std::string key, std::string value) {
    details.push_back({std::move(key), std::move(value)});
  }
  // Keeps `bytes` alive as long as the checkpoint and returns a view of it.
  std::span<const std::byte> Own(std::vector<std::byte> bytes) {
    owned_buffers.push_back(std::move(bytes));
    return owned_buffers.back();
  }
};

// Format readers. Each fills `impl` from the bytes of file `file_index` (already mapped) and
// returns a user-facing error naming what is wrong; `impl.path` names the file in messages.
Status ReadTorchZip(Checkpoint::Impl& impl, int file_index);      // zip, TorchScript, pt2
Status ReadTorchLegacy(Checkpoint::Impl& impl, int file_index);
Status ReadSafetensors(Checkpoint::Impl& impl, int file_index);
Status ReadShardedIndex(Checkpoint::Impl& impl, int file_index);  // maps further files itself
Status ReadPlainPickle(Checkpoint::Impl& impl, int file_index);

// Names every tensor by the first key path that reaches it from the root, depth first in
// pickle order ("model.layer1.0.weight"); tensors no path reaches are named after their owner
// (quantization scales) or "<unreachable>.N". Errors when the tree nests deeper than
// kMaxTreeDepth.
inline constexpr int kMaxTreeDepth = 256;
Status NameTensorsByKeyPath(Checkpoint::Impl& impl);

}  // namespace gitmodel
