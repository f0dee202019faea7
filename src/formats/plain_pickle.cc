// A plain pickle file (.pkl) that is not a torch checkpoint: its object tree, no tensor data.
#include "formats/checkpoint_impl.h"
#include "formats/pickle_reader.h"
#include "formats/torch_pickle.h"

namespace gitmodel {

Status ReadPlainPickle(Checkpoint::Impl& impl, int file_index) {
  impl.format = Format::kPickle;
  // Torch's hooks type the usual constructors; a persistent id in a plain pickle has no storage
  // to point at, so tensors built from one are refused by the storage attach step below.
  TorchPickleHooks hooks(impl, "");
  PickleReader reader(impl.arena, hooks);
  size_t used = 0;
  auto bytes = impl.mappings[static_cast<size_t>(file_index)]->bytes();
  GM_ASSIGN_OR_RETURN(impl.root, reader.Read(bytes, &used));
  if (used != bytes.size()) {
    impl.AddDetail("trailing_bytes", std::to_string(bytes.size() - used));
    impl.notes.push_back(fmt::format("{} bytes follow the pickle's STOP opcode", bytes.size() - used));
  }
  if (!impl.tensors.empty())
    return Unsupported("pickle references {} tensor storages but is not a torch checkpoint", impl.tensors.size());
  return OkStatus();
}

}  // namespace gitmodel
