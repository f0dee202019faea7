// The text git stores in place of a tracked model file (docs/formats.md, "Pointer"):
//
//   version https://git-model.dev/spec/pointer/v1
//   oid sha256:<64 hex: SHA-256 of the whole file>
//   size <decimal bytes>
//   manifest sha256:<64 hex: the manifest object's id>
//
// Exactly these four lines in this order, each ending in "\n", nothing else; at most
// kMaxPointerBytes. Hex digits are lowercase; the size has no sign or leading zeros ("0" for an
// empty file) and is at most 2^63 - 1. One canonical spelling, so a pointer's git blob id is a
// function of the file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "gitmodel/status.h"
#include "store/object_id.h"

namespace gitmodel {

inline constexpr size_t kMaxPointerBytes = 512;
inline constexpr std::string_view kPointerVersionLine = "version https://git-model.dev/spec/pointer/v1";

struct Pointer {
  Digest file_sha256{};
  uint64_t size = 0;
  ObjectId manifest{};
};

// The pointer's text; `pointer.size` must be at most 2^63 - 1 (no file is larger).
std::string FormatPointer(const Pointer& pointer);

// kCorrupt, one line, for anything FormatPointer would not write.
Result<Pointer> ParsePointer(std::string_view text);

// Cheap test for "this content is (meant to be) a pointer": starts with the version line and
// its "\n" (a pointer with a later version line does not look like one).
bool LooksLikePointer(std::string_view head);

}  // namespace gitmodel
