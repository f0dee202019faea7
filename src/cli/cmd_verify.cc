// git model verify FILE... [--json] [--no-python] [--require-signature] [--trusted-keys FILE]
#include <fmt/core.h>

#include "cli/command.h"
#include "cli/render.h"
#include "cli/render_record.h"
#include "provenance/verify.h"

namespace gitmodel::cli {
namespace {

// "torch: 1.13.1 -> 2.1.0"; a value this machine could not find is said in words, since it is no
// evidence of a different version (python3 on PATH may simply lack torch).
std::string EnvDriftText(const EnvDifference& d) {
  if (d.b == "unknown") return fmt::format("{}: {} recorded, not found on this machine", d.key, Safe(d.a));
  return fmt::format("{}: {} -> {}", d.key, Safe(d.a), Safe(d.b));
}

struct VerifyArgs {
  std::vector<std::string> files;
  bool json = false;
  bool no_python = false;
  bool require_signature = false;
  std::string trusted_keys;
};

// One line on the signature; "" for an unsigned record that need not be signed.
std::string SignatureText(const VerifyReport& r) {
  const SignatureCheck& s = r.signature;
  std::string key = s.key_id.substr(0, 16);
  switch (s.state) {
    case SignatureState::kUnsigned:
      return r.signature_required ? "NOT SIGNED, and --require-signature was given" : "";
    case SignatureState::kValid:
      return fmt::format("valid, by {} (key {}, trusted in {})", Safe(s.signer.empty() ? "(no name)" : s.signer), key,
                         Safe(r.trusted_keys_path));
    case SignatureState::kBadSignature:
      return fmt::format("BAD SIGNATURE: the record was changed after it was signed (key {})", key);
    case SignatureState::kUntrusted:
      return fmt::format("UNTRUSTED SIGNER: key {} (claims \"{}\") is not in {}", key, Safe(s.signer),
                         Safe(r.trusted_keys_path));
    case SignatureState::kNoTrustedKeys:
      return fmt::format("signed by key {} (claims \"{}\") but there is no trusted keys file{}; "
                         "cannot check the signer", key, Safe(s.signer), r.trusted_keys_path.empty() ? "" : " " + Safe(r.trusted_keys_path));
    case SignatureState::kMalformed:
      return "UNREADABLE SIGNATURE: " + Safe(s.detail);
  }
  return "";
}

std::string CodeText(const CodeDrift& c) {
  if (!c.recorded_in_repo) return "stamped outside a git repository";
  if (!c.in_repo_now) return fmt::format("recorded {}; not in a git repository now", c.recorded_commit.substr(0, 12));
  if (!c.commit_exists.value_or(false)) {
    return fmt::format("recorded commit {} does not exist in this repository", Safe(c.recorded_commit));
  }
  std::string text = fmt::format("recorded {}{}", c.recorded_commit.substr(0, 12), c.dirty_then ? " (dirty)" : "");
  if (c.head_now == c.recorded_commit) text += "; HEAD is the same commit";
  else if (c.recorded_is_ancestor) text += fmt::format("; HEAD is {} commit{} ahead", c.commits_since, c.commits_since == 1 ? "" : "s");
  else text += fmt::format("; HEAD {} has diverged from it", c.head_now.substr(0, 12));
  if (c.dirty_now) text += "; working tree has uncommitted changes now";
  return text;
}

void PrintReport(const VerifyReport& r) {
  if (r.weights_match) {
    fmt::print("{}: weights match the record (fingerprint {})\n", Safe(r.path), r.fingerprint_now);
  } else {
    fmt::print("{}: WEIGHTS CHANGED: {} tensor{} differ from the record\n", Safe(r.path), r.tensors.size(),
               r.tensors.size() == 1 ? "" : "s");
    for (const TensorChange& t : r.tensors) fmt::print("  {:<8} {}\n", t.change, Safe(t.name));
    fmt::print("  recorded fingerprint {}\n  current fingerprint  {}\n", Safe(r.recorded_fingerprint), r.fingerprint_now);
  }
  Rows rows = {{"record", Safe(r.origin)}};
  if (std::string signature = SignatureText(r); !signature.empty()) rows.emplace_back("signature", signature);
  rows.emplace_back("code", CodeText(r.code));
  for (const EnvDifference& d : r.env) rows.emplace_back("env", EnvDriftText(d));
  if (r.env.empty()) rows.emplace_back("env", "torch, CUDA, cuDNN, driver, python and GPUs as recorded");
  for (const DataDrift& d : r.data) {
    rows.emplace_back("data", fmt::format("{}: {}", Safe(d.path), d.status));
  }
  fmt::print("{}", LabelledLines(rows));
}

nlohmann::json ReportJson(const VerifyReport& r) {
  nlohmann::json tensors = nlohmann::json::array(), env = nlohmann::json::array(), data = nlohmann::json::array();
  for (const TensorChange& t : r.tensors) tensors.push_back({{"name", t.name}, {"change", t.change}});
  for (const EnvDifference& d : r.env) env.push_back({{"key", d.key}, {"recorded", d.a}, {"now", d.b}});
  for (const DataDrift& d : r.data) {
    data.push_back({{"path", d.path}, {"recorded", d.recorded_hash}, {"now", d.hash_now}, {"status", d.status}});
  }
  const CodeDrift& c = r.code;
  nlohmann::json code = {{"recorded_commit", c.recorded_commit}, {"in_repo_now", c.in_repo_now},
                         {"head", c.head_now}, {"commits_since", c.commits_since},
                         {"recorded_is_ancestor", c.recorded_is_ancestor}, {"dirty_then", c.dirty_then},
                         {"dirty_now", c.dirty_now}};
  code["commit_exists"] = c.commit_exists ? nlohmann::json(*c.commit_exists) : nlohmann::json(nullptr);
  nlohmann::json signature = {{"state", SignatureStateName(r.signature.state)}, {"ok", r.signature_ok()},
                               {"required", r.signature_required}};
  if (r.signature.state != SignatureState::kUnsigned) {
    signature.update({{"key_id", r.signature.key_id}, {"signer", r.signature.signer},
                      {"trusted_keys", r.trusted_keys_path}});
    if (!r.signature.detail.empty()) signature["detail"] = r.signature.detail;
  }
  return {{"path", r.path}, {"origin", r.origin}, {"passed", r.passed()}, {"weights_match", r.weights_match},
          {"signature", signature},
          {"recorded_fingerprint", r.recorded_fingerprint}, {"fingerprint", r.fingerprint_now},
          {"tensors", tensors}, {"code", code}, {"env", env}, {"data", data}};
}

int VerifyOne(const std::string& file, const VerifyArgs& args) {
  auto report = VerifyCheckpoint(file, {.probe_python = !args.no_python,
                                       .require_signature = args.require_signature,
                                       .trusted_keys_path = args.trusted_keys});
  if (!report.ok()) {
    PrintError(report.status().message());
    return kExitError;
  }
  if (args.json) fmt::print("{}\n", JsonLine(ReportJson(*report)));
  else PrintReport(*report);
  return report->passed() ? kExitOk : kExitNegative;
}

}  // namespace

void SetupVerify(CLI::App& sub, int* exit_code) {
  auto args = std::make_shared<VerifyArgs>();
  sub.add_option("files", args->files, "Stamped checkpoints")->required();
  sub.add_flag("--json", args->json, "One JSON document per file per line");
  sub.add_flag("--no-python", args->no_python, "Do not ask python3 for the torch version now");
  sub.add_flag("--require-signature", args->require_signature, "Fail (exit 1) when the record is not signed");
  sub.add_option("--trusted-keys", args->trusted_keys, "Check signers against this file instead of the "
                                                       "repository's .git-model/trusted_keys");
  sub.callback([args, exit_code] {
    for (const std::string& file : args->files) *exit_code = std::max(*exit_code, VerifyOne(file, *args));
  });
}

}  // namespace gitmodel::cli
