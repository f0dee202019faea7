// git model stamp FILE... [--config F]... [--param k=v]... [--metric k=v]... [--data P]...
//                         [--commit-id SHA] [--sign] [--key FILE] [--json]
#include <unistd.h>

#include <fmt/core.h>

#include "cli/command.h"
#include "cli/render.h"
#include "provenance/stamp.h"
#include "signing/key_files.h"

namespace gitmodel::cli {
namespace {

struct StampArgs {
  std::vector<std::string> files;
  StampOptions options;
  bool json = false;
  bool no_python = false;
  bool sign = false;
  std::string key_file;  // implies sign
};

// Loads the signing key (--key, git config git-model.signingKey, or the default) into `context`.
// Read before capturing anything, so a missing key fails fast.
Status LoadSigningKey(const StampArgs& args, StampContext* context) {
  GM_ASSIGN_OR_RETURN(std::string path, ResolveSigningKeyPath(args.key_file, args.options.workdir));
  GM_ASSIGN_OR_RETURN(SigningKey key, ReadSigningKey(path));
  context->signer = PublicKeyComment(path);
  context->signing_key = std::make_shared<const SigningKey>(std::move(key));
  return OkStatus();
}

Result<StampContext> Prepare(const StampArgs& args) {
  StampContext signing;
  if (args.sign || !args.key_file.empty()) GM_RETURN_IF_ERROR(LoadSigningKey(args, &signing));
  GM_ASSIGN_OR_RETURN(StampContext context, PrepareStamp(args.options));
  context.signing_key = std::move(signing.signing_key);
  context.signer = std::move(signing.signer);
  return context;
}

std::string GitLine(const GitSection& g) {
  if (!g.in_repo) return "not in a git repository";
  std::string where = g.detached ? "detached HEAD" : "branch " + g.branch;
  std::string line = fmt::format("{} ({})", g.commit.empty() ? "(no commits yet)" : g.commit.substr(0, 12), where);
  if (!g.dirty) return line + ", clean";
  line += fmt::format(", dirty: {} changed, {} untracked", g.changed.size(), g.untracked.size());
  if (g.patch) {
    line += fmt::format("; patch {} {}", HumanBytes(g.patch->bytes), g.patch->stored ? "saved to the object store" : "inline");
  }
  return line;
}

void PrintStamped(const StampResult& r) {
  const ArtifactInfo& a = r.record.artifact;
  fmt::print("stamped {}\n", r.path);
  fmt::print("  record       {}\n", r.written.where);
  fmt::print("  commit       {}\n", GitLine(r.record.git));
  fmt::print("  weights      {}, {}, {}, fingerprint {}\n", a.format, CountOf(a.tensors, "tensor"),
             CountOf(a.parameters, "parameter"), a.fingerprint);
  if (r.record.signature.is_object()) {
    const nlohmann::json& sig = r.record.signature;
    std::string signer = sig.value("signer", "");
    fmt::print("  signed       ed25519 key {}{}\n", sig.value("key_id", "").substr(0, 16),
               signer.empty() ? "" : " (" + signer + ")");
  }
  if (!r.record.hyperparams.empty()) fmt::print("  hyperparams  {}\n", r.record.hyperparams.size());
  for (const DataDigest& d : r.record.data) {
    fmt::print("  data         {}: {} files, {}, tree {}\n", d.path, Thousands(d.files), HumanBytes(d.bytes), d.tree_hash);
  }
}

nlohmann::json StampedJson(const StampResult& r) {
  return {{"path", r.path}, {"where", r.written.where}, {"file_sha256", r.file_sha256}, {"index", r.index_path},
          {"record", RecordToJson(r.record)}};
}

int RunStamp(StampArgs& args) {
  args.options.probe_python = !args.no_python;
  args.options.artifacts = args.files;
  if (isatty(STDERR_FILENO)) {
    args.options.progress = [](std::string_view stage) { fmt::print(stderr, "git-model: {}...\n", stage); };
  }
  auto context = Prepare(args);
  if (!context.ok()) {
    PrintError(context.status().message());
    return kExitError;
  }
  int exit_code = kExitOk;
  for (const std::string& file : args.files) {
    auto result = StampFile(*context, file);
    if (!result.ok()) {
      PrintError(result.status().message());
      exit_code = kExitError;
      continue;
    }
    if (args.json) fmt::print("{}\n", JsonLine(StampedJson(*result)));
    else PrintStamped(*result);
  }
  return exit_code;
}

}  // namespace

void SetupStamp(CLI::App& sub, int* exit_code) {
  auto args = std::make_shared<StampArgs>();
  sub.add_option("files", args->files, "Checkpoints to stamp (torch zip, TorchScript, safetensors: embedded; "
                                       "legacy formats: a FILE.git-model.json sidecar)")->required();
  sub.add_option("--config", args->options.config_files, "Config file whose settings become hyperparameters "
                                                         "(YAML, JSON, TOML, or Python literal assignments); repeatable")
      ->allow_extra_args(false);
  sub.add_option("--param", args->options.params, "A hyperparameter key=value (overrides configs); repeatable")
      ->allow_extra_args(false);
  sub.add_option("--metric", args->options.metrics, "A numeric metric key=value; repeatable")->allow_extra_args(false);
  sub.add_option("--data", args->options.data_paths, "A data file or directory to checksum; repeatable")
      ->allow_extra_args(false);
  sub.add_option("--commit-id", args->options.commit_id, "Record this commit instead of HEAD (CI)");
  sub.add_flag("--sign", args->sign, "Sign each record with your Ed25519 key (see git model keygen)");
  sub.add_option("--key", args->key_file, "The private key to sign with (implies --sign; default: git config "
                                          "git-model.signingKey, else $XDG_CONFIG_HOME/git-model/signing_key)");
  sub.add_flag("--no-python", args->no_python, "Do not ask python3 for the python and torch versions");
  sub.add_flag("--json", args->json, "One JSON document per file per line: where, file_sha256, record");
  sub.callback([args, exit_code] { *exit_code = RunStamp(*args); });
}

}  // namespace gitmodel::cli
