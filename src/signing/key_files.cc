#include "signing/key_files.h"

#include <cstdlib>
#include <filesystem>

#include "base/atomic_file.h"
#include "git/repo_config.h"

namespace gitmodel {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSigningKeyConfig = "git-model.signingKey";

Status CreateParentFolder(const std::string& path) {
  fs::path parent = fs::path(path).parent_path();
  if (parent.empty()) return OkStatus();
  std::error_code ec;
  if (fs::exists(parent, ec)) return OkStatus();
  fs::create_directories(parent, ec);
  if (ec) return IOError("cannot create {}: {}", parent.string(), ec.message());
  fs::permissions(parent, fs::perms::owner_all, ec);  // keys' folder: owner only
  return OkStatus();
}

Result<std::optional<std::string>> ConfiguredKeyPath(const std::string& workdir) {
  auto repo = DiscoverRepo(workdir);
  if (!repo.ok() || !repo->has_value()) return std::optional<std::string>();
  return ReadConfigPath(**repo, kSigningKeyConfig);
}

}  // namespace

std::string DefaultSigningKeyPath() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg != nullptr && xdg[0] == '/') return std::string(xdg) + "/git-model/signing_key";
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] != '\0') return std::string(home) + "/.config/git-model/signing_key";
  return "";
}

Result<std::string> ResolveSigningKeyPath(const std::string& flag, const std::string& workdir) {
  if (!flag.empty()) return flag;
  GM_ASSIGN_OR_RETURN(std::optional<std::string> configured, ConfiguredKeyPath(workdir));
  if (configured && !configured->empty()) return *configured;
  std::string path = DefaultSigningKeyPath();
  if (path.empty()) return NotFound("no signing key: neither XDG_CONFIG_HOME nor HOME is set; pass --key FILE");
  return path;
}

Status WriteKeyPair(const std::string& path, const SigningKey& key, const std::string& comment, bool overwrite) {
  const std::string pub_path = path + ".pub";
  std::error_code ec;
  for (const std::string& p : {path, pub_path}) {
    if (!overwrite && fs::exists(fs::symlink_status(p, ec))) {
      return Status(Code::kConflict, fmt::format("{} already exists (use --force to replace it)", p));
    }
  }
  std::string pem = key.ToPem();
  if (pem.empty()) return IOError("OpenSSL could not encode the private key");
  GM_RETURN_IF_ERROR(CreateParentFolder(path));
  // WriteFileAtomically keeps an existing target's mode; a private key must be 0600 regardless.
  if (fs::exists(path, ec)) fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write, ec);
  GM_RETURN_IF_ERROR(WriteFileAtomically(path, pem, 0600));
  return WriteFileAtomically(pub_path, FormatPublicKeyLine({key.public_key(), comment}) + "\n", 0644);
}

Result<SigningKey> ReadSigningKey(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return NotFound("no signing key at {} (make one with 'git model keygen', or pass --key FILE)", path);
  }
  GM_ASSIGN_OR_RETURN(std::string pem, ReadSmallFile(path, kMaxPrivateKeyFileBytes));
  return SigningKey::FromPem(pem, path);
}

std::string PublicKeyComment(const std::string& private_key_path) {
  auto text = ReadSmallFile(private_key_path + ".pub", kMaxPublicKeyLine + 1);
  if (!text.ok()) return "";
  std::string_view line(*text);
  line = line.substr(0, line.find('\n'));
  auto entry = ParsePublicKeyLine(line, private_key_path + ".pub");
  return entry.ok() ? entry->comment : "";
}

}  // namespace gitmodel
