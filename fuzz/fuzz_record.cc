// Fuzz target: provenance records, which arrive inside untrusted checkpoints. A record that
// parses must serialize and parse back to the same text.
#include <string_view>

#include "provenance/record.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto record = gitmodel::ParseRecord(text);
  if (!record.ok()) {
    if (record.status().message().find('\n') != std::string::npos) __builtin_trap();  // one line
    return 0;
  }
  std::string once = gitmodel::SerializeRecord(*record);
  auto again = gitmodel::ParseRecord(once);
  if (!again.ok() || gitmodel::SerializeRecord(*again) != once) __builtin_trap();
  return 0;
}
