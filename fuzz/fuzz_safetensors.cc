// Fuzz target: the safetensors reader, called directly (no format sniffing, so every input reaches
// the header parser). Valid files have every tensor's bytes touched and small ones hashed.
#include "base/mapped_file.h"
#include "formats/checkpoint_impl.h"
#include "fuzz_input.h"
#include "tensors/tensor_bytes.h"
#include "tensors/tensor_stats.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = gitmodel::fuzz::WriteTempFile(gitmodel::fuzz::AsBytes(data, size), ".safetensors");
  if (path.empty()) return 0;
  auto mapping = gitmodel::MappedFile::Open(path);
  if (!mapping.ok()) return 0;
  gitmodel::Checkpoint::Impl impl;
  impl.path = path;
  impl.files.push_back(path);
  impl.mappings.push_back(std::move(*mapping));
  gitmodel::Status s = gitmodel::ReadSafetensors(impl, 0);
  if (!s.ok()) {
    if (s.message().find('\n') != std::string::npos) __builtin_trap();  // messages are one line
    return 0;
  }
  for (const gitmodel::TensorRef& t : impl.tensors) {
    gitmodel::fuzz::Touch(t.storage);
    gitmodel::fuzz::Touch(t.view_bytes());
    if (t.nbytes() <= (1u << 20)) (void)gitmodel::ComputeStats(t);
  }
  return 0;
}
