// Paths of the real-world checkpoints in tests/corpus/real (for unit tests only: the macro
// GITMODEL_SOURCE_DIR is defined for the unit_tests target).
#pragma once

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>
#include <string_view>

namespace gitmodel::testutil {

inline std::string CorpusDir() { return std::string(GITMODEL_SOURCE_DIR) + "/tests/corpus/real"; }
inline std::string CorpusPath(std::string_view name) { return CorpusDir() + "/" + std::string(name); }

// The whole file's bytes (empty if it cannot be read).
inline std::vector<std::byte> ReadCorpusFile(std::string_view name) {
  std::ifstream in(CorpusPath(name), std::ios::binary);
  std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::byte> bytes(chars.size());
  std::memcpy(bytes.data(), chars.data(), chars.size());
  return bytes;
}

}  // namespace gitmodel::testutil
