// Fuzz target: the params history cache, read back from .git/git-model as untrusted bytes. A file
// that decodes must encode back to the same bytes.
#include <string_view>

#include "hyperparams/param_cache_format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto cache = gitmodel::DecodeParamCache(bytes, "cache");
  if (!cache.ok()) {
    if (cache.status().message().find('\n') != std::string::npos) __builtin_trap();  // one line
    return 0;
  }
  if (gitmodel::EncodeParamCache(*cache) != bytes) __builtin_trap();
  return 0;
}
