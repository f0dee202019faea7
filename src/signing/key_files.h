// Where signing keys live and how they are written: the private key as unencrypted PKCS#8 PEM in
// a file only its owner can read (0600), the public key beside it as one public key line in
// "<file>.pub".
#pragma once

#include <optional>
#include <string>

#include "gitmodel/status.h"
#include "signing/ed25519.h"
#include "signing/public_key_line.h"

namespace gitmodel {

inline constexpr uint64_t kMaxPrivateKeyFileBytes = 64u << 10;

// $XDG_CONFIG_HOME/git-model/signing_key, else $HOME/.config/git-model/signing_key; "" when
// neither variable is set.
std::string DefaultSigningKeyPath();

// The key to sign with: `flag` when not empty, else git config `git-model.signingKey` of the
// repository at `workdir` (or the user's config outside one; "~/" expanded), else the default.
Result<std::string> ResolveSigningKeyPath(const std::string& flag, const std::string& workdir);

// Writes `key` to `path` (0600, atomically, creating missing folders 0700) and its public key
// line to `path + ".pub"` (0644). Conflict when either exists and `overwrite` is false.
Status WriteKeyPair(const std::string& path, const SigningKey& key, const std::string& comment, bool overwrite);

// Reads a private key file. NotFound (saying how to make one) when it does not exist; Corrupt for
// garbage.
Result<SigningKey> ReadSigningKey(const std::string& path);

// The comment of the ".pub" file beside `private_key_path`, or "" when there is none.
std::string PublicKeyComment(const std::string& private_key_path);

}  // namespace gitmodel
