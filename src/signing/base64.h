// Standard Base64 (RFC 4648 section 4, with '=' padding) for key and signature text.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gitmodel/status.h"

namespace gitmodel {

std::string Base64Encode(std::span<const uint8_t> bytes);

// Strict: only the standard alphabet, length a multiple of 4, padding only at the end, and the
// unused bits of the last group zero, so every byte string has exactly one accepted encoding.
// Corrupt (naming `what`) otherwise.
Result<std::vector<uint8_t>> Base64Decode(std::string_view text, std::string_view what);

}  // namespace gitmodel
