// Fuzz target: pointers, the text git stores for a tracked model file; git hands the filter
// whatever a repository holds. A pointer that parses must format back to the same bytes, and
// errors are one line.
#include <string_view>

#include "store/pointer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const bool looks = gitmodel::LooksLikePointer(text);
  auto pointer = gitmodel::ParsePointer(text);
  if (!pointer.ok()) {
    if (pointer.status().message().find('\n') != std::string::npos) __builtin_trap();  // one line
    return 0;
  }
  if (!looks) __builtin_trap();  // every valid pointer looks like one
  if (gitmodel::FormatPointer(*pointer) != text) __builtin_trap();
  return 0;
}
