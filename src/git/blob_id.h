// Git object ids of content, for recording files (configs) the way git would name them.
#pragma once

#include <cstddef>
#include <span>
#include <string>

namespace gitmodel {

// The 40-digit hex git blob id (SHA-1 of "blob <size>\0" + bytes) of `bytes`: what
// `git hash-object` prints for a file with this content (no filters applied).
std::string GitBlobId(std::span<const std::byte> bytes);

}  // namespace gitmodel
