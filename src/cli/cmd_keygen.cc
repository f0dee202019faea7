// git model keygen [--out FILE] [--name "Ada <ada@example.com>"] [--force] [--json]
#include <fmt/core.h>

#include "cli/command.h"
#include "cli/render.h"
#include "signing/key_files.h"

namespace gitmodel::cli {
namespace {

struct KeygenArgs {
  std::string out;
  std::string name;
  bool force = false;
  bool json = false;
};

int RunKeygen(const KeygenArgs& args) {
  std::string path = args.out.empty() ? DefaultSigningKeyPath() : args.out;
  if (path.empty()) {
    PrintError("neither XDG_CONFIG_HOME nor HOME is set; pass --out FILE");
    return kExitError;
  }
  auto key = SigningKey::Generate();
  Status written = key.ok() ? WriteKeyPair(path, *key, args.name, args.force) : key.status();
  if (!written.ok()) {
    PrintError(written.message());
    return kExitError;
  }
  std::string line = FormatPublicKeyLine({key->public_key(), args.name});
  if (args.json) {
    fmt::print("{}\n", JsonLine({{"private_key", path}, {"public_key", path + ".pub"},
                                 {"key_id", KeyId(key->public_key())}, {"public_key_line", line}}));
    return kExitOk;
  }
  fmt::print("wrote private key {} (keep it secret) and public key {}.pub\n", path, path);
  fmt::print("key id {}\n", KeyId(key->public_key()).substr(0, 16));
  fmt::print("to trust it, add this line to .git-model/trusted_keys and commit it:\n{}\n", line);
  return kExitOk;
}

}  // namespace

void SetupKeygen(CLI::App& sub, int* exit_code) {
  auto args = std::make_shared<KeygenArgs>();
  sub.add_option("--out", args->out, "Private key file (default $XDG_CONFIG_HOME/git-model/signing_key); "
                                     "the public key goes to FILE.pub");
  sub.add_option("--name", args->name, "Who signs with it, e.g. \"Ada <ada@example.com>\" (the public key's comment)");
  sub.add_flag("--force", args->force, "Replace an existing key");
  sub.add_flag("--json", args->json, "One JSON document: paths, key_id, public_key_line");
  sub.callback([args, exit_code] { *exit_code = RunKeygen(*args); });
}

}  // namespace gitmodel::cli
