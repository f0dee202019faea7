// Fuzz target: run records (docs/runs.md), which arrive in a records ref fetched from a remote.
// A record that parses must serialize and parse back to the same text.
#include <string_view>

#include "runs/run_record.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto record = gitmodel::ParseRunRecord(text);
  if (!record.ok()) {
    if (record.status().message().find('\n') != std::string::npos) __builtin_trap();  // one line
    return 0;
  }
  std::string once = gitmodel::SerializeRunRecord(*record);
  auto again = gitmodel::ParseRunRecord(once);
  if (!again.ok() || gitmodel::SerializeRunRecord(*again) != once) __builtin_trap();
  return 0;
}
