#include "provenance/trusted_keys.h"

#include <filesystem>

#include "base/atomic_file.h"
#include "git/repo.h"

namespace gitmodel {
namespace {

// The trusted-keys path in the working tree of the repository holding `path`; "" when none.
std::string RepoTrustedKeysPath(const std::string& path) {
  auto repo = DiscoverRepo(path);
  if (!repo.ok() || !repo->has_value()) return "";
  std::string workdir = WorkdirOf(**repo);
  return workdir.empty() ? "" : workdir + "/" + std::string(kTrustedKeysPath);
}

}  // namespace

Result<TrustedKeys> LoadTrustedKeys(const std::string& checkpoint_path, const std::string& override_path) {
  TrustedKeys out;
  out.path = override_path;
  if (out.path.empty()) out.path = RepoTrustedKeysPath(checkpoint_path);
  if (out.path.empty()) out.path = RepoTrustedKeysPath(".");
  std::error_code ec;
  if (out.path.empty() || !std::filesystem::exists(out.path, ec)) {
    if (!override_path.empty()) return NotFound("trusted keys file {} does not exist", override_path);
    return out;
  }
  GM_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(out.path, kMaxTrustedKeysBytes));
  GM_ASSIGN_OR_RETURN(out.keys, ParseTrustedKeys(text, out.path));
  return out;
}

}  // namespace gitmodel
