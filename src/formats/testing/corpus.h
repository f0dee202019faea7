// Paths of the real-world checkpoints in tests/corpus/real (for unit tests only: the macro
// GITMODEL_SOURCE_DIR is defined for the unit_tests target).
#pragma once

#include <string>
#include <string_view>

namespace gitmodel::testutil {

inline std::string CorpusDir() { return std::string(GITMODEL_SOURCE_DIR) + "/tests/corpus/real"; }
inline std::string CorpusPath(std::string_view name) { return CorpusDir() + "/" + std::string(name); }

}  // namespace gitmodel::testutil
