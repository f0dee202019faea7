// The trusted signing keys of a repository: `.git-model/trusted_keys` in its working tree, one
// public key line each (signing/public_key_line.h). Committed like any file, so a review of who
// may sign models is a review of that file.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gitmodel/status.h"
#include "signing/public_key_line.h"

namespace gitmodel {

inline constexpr std::string_view kTrustedKeysPath = ".git-model/trusted_keys";

struct TrustedKeys {
  std::string path;  // the file read, or the one looked for; "" outside any repository
  std::optional<std::vector<PublicKeyEntry>> keys;  // nullopt when the file does not exist
};

// `override_path` when not empty (it must exist), else the trusted-keys file of the repository
// holding `checkpoint_path`, else that of the current directory's repository. A file that exists
// but does not parse is an error (Corrupt, naming the file and line).
Result<TrustedKeys> LoadTrustedKeys(const std::string& checkpoint_path, const std::string& override_path);

}  // namespace gitmodel
