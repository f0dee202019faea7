// Fuzz target: the pickle reader with torch's hooks. Interprets the input as stacked pickles (the
// legacy format's shape: each starts where the previous STOP ended) into a scratch checkpoint,
// then names the tensors by key path as the zip reader does, which walks the (possibly cyclic)
// object graph.
#include "formats/checkpoint_impl.h"
#include "formats/pickle_reader.h"
#include "formats/torch_pickle.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto bytes = gitmodel::fuzz::AsBytes(data, size);
  gitmodel::Checkpoint::Impl impl;
  gitmodel::TorchPickleHooks hooks(impl, "data/");
  gitmodel::PickleReader reader(impl.arena, hooks);
  for (int i = 0; i < 5 && !bytes.empty(); ++i) {
    size_t consumed = 0;
    auto root = reader.Read(bytes, &consumed);
    if (!root.ok()) break;
    if (consumed == 0 || consumed > bytes.size()) __builtin_trap();  // STOP is inside the input
    impl.root = *root;
    bytes = bytes.subspan(consumed);
  }
  if (impl.root) (void)gitmodel::NameTensorsByKeyPath(impl);
  return 0;
}
