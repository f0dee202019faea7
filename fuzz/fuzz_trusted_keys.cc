// Fuzz target: trusted-keys files and public key lines, which come from repositories and key files
// a user was handed. A file that parses must format back to lines that parse to the same keys;
// errors must be one line.
#include <cstdint>
#include <string>
#include <string_view>

#include "signing/public_key_line.h"

namespace {

void CheckError(const gitmodel::Status& s) {
  if (s.message().find('\n') != std::string::npos) __builtin_trap();  // messages are one line
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto line = gitmodel::ParsePublicKeyLine(text, "fuzz.pub");
  if (!line.ok()) CheckError(line.status());
  auto keys = gitmodel::ParseTrustedKeys(text, "trusted_keys");
  if (!keys.ok()) {
    CheckError(keys.status());
    return 0;
  }
  std::string again;
  for (const gitmodel::PublicKeyEntry& key : *keys) again += gitmodel::FormatPublicKeyLine(key) + "\n";
  auto reparsed = gitmodel::ParseTrustedKeys(again, "again");
  if (!reparsed.ok() || reparsed->size() != keys->size()) __builtin_trap();
  for (size_t i = 0; i < keys->size(); ++i) {
    if ((*reparsed)[i].key != (*keys)[i].key || (*reparsed)[i].comment != (*keys)[i].comment) __builtin_trap();
  }
  return 0;
}
