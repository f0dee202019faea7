// Public key lines and the trusted-keys file (docs/provenance.md, "Signing").
//
// A public key line is  "ed25519" SP <base64 of the 32 raw key bytes, 44 characters> [SP <comment>]
// where the comment (usually "Name <email>") is the rest of the line. A trusted-keys file is UTF-8
// text of such lines; blank lines and lines whose first non-blank character is '#' are skipped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gitmodel/status.h"
#include "signing/ed25519.h"

namespace gitmodel {

inline constexpr std::string_view kEd25519KeyType = "ed25519";
inline constexpr size_t kMaxPublicKeyLine = 4096;
inline constexpr uint64_t kMaxTrustedKeysBytes = 1u << 20;

struct PublicKeyEntry {
  Ed25519PublicKey key{};
  std::string comment;  // "" when the line has none; never holds control characters
};

// "ed25519 <base64> <comment>" (no newline); the comment is left out when empty.
std::string FormatPublicKeyLine(const PublicKeyEntry& entry);

// Parses one line (without its newline; a trailing '\r' is accepted). Corrupt, one line, naming
// `what`, for another key type, bad base64, a key that is not 32 bytes, control characters.
Result<PublicKeyEntry> ParsePublicKeyLine(std::string_view line, std::string_view what);

// Parses a whole trusted-keys file; errors name `what` and the line number. kLimit over
// kMaxTrustedKeysBytes.
Result<std::vector<PublicKeyEntry>> ParseTrustedKeys(std::string_view text, std::string_view what);

// The entry for `key`, or nullptr. Borrowed from `keys`.
const PublicKeyEntry* FindTrustedKey(const std::vector<PublicKeyEntry>& keys, const Ed25519PublicKey& key);

}  // namespace gitmodel
