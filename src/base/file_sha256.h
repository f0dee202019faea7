// SHA-256 of a whole file, read through a memory mapping.
#pragma once

#include <string>

#include "base/sha256.h"
#include "gitmodel/status.h"

namespace gitmodel {

Result<Digest> FileSha256(const std::string& path);

}  // namespace gitmodel
