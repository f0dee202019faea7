// Object ids of the model store: the SHA-256 of an object's raw (decoded) bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/sha256.h"

namespace gitmodel {

using ObjectId = Digest;

inline std::string ObjectHex(const ObjectId& id) { return ToHex(id); }

// The id from 64 lowercase hex digits; nullopt for anything else (upper case included, so every
// id has exactly one spelling in pointers, manifests and paths).
std::optional<ObjectId> ParseObjectHex(std::string_view hex);

}  // namespace gitmodel
