// Fuzz target: manifests, read from the object store (filled from remotes) as untrusted bytes. A
// manifest that decodes must encode back to the same bytes, and errors are one line.
#include <string_view>

#include "store/manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto manifest = gitmodel::DecodeManifest(bytes);
  if (!manifest.ok()) {
    if (manifest.status().message().find('\n') != std::string::npos) __builtin_trap();  // one line
    return 0;
  }
  uint64_t total = 0;
  for (const gitmodel::ManifestChunk& chunk : manifest->chunks) total += chunk.length;
  if (total != manifest->file_size) __builtin_trap();
  if (gitmodel::EncodeManifest(*manifest) != bytes) __builtin_trap();
  return 0;
}
