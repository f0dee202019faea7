// `git model verify`: do a checkpoint's weights still match its record, and how far have code,
// environment and data moved since it was stamped?
#pragma once

#include <string>
#include <vector>

#include "gitmodel/status.h"
#include "provenance/drift.h"
#include "provenance/record_signature.h"

namespace gitmodel {

struct TensorChange {
  std::string name;
  std::string change;  // "changed", "added", "removed"
};

struct VerifyReport {
  std::string path;
  std::string origin;  // where the record came from
  std::string recorded_fingerprint;
  std::string fingerprint_now;
  bool weights_match = false;
  std::vector<TensorChange> tensors;  // empty when the weights match
  CodeDrift code;
  std::vector<EnvDifference> env;
  std::vector<DataDrift> data;
  SignatureCheck signature;
  std::string trusted_keys_path;  // the trusted-keys file checked (or looked for); "" if unsigned
  bool signature_required = false;

  // The signature is acceptable: valid, or absent when not required.
  bool signature_ok() const {
    return signature.state == SignatureState::kValid ||
           (signature.state == SignatureState::kUnsigned && !signature_required);
  }
  bool passed() const { return weights_match && signature_ok(); }
};

struct VerifyOptions {
  bool probe_python = true;  // compare python/torch versions with what python3 has now
  bool require_signature = false;   // an unsigned record fails
  std::string trusted_keys_path;    // instead of the repository's .git-model/trusted_keys
};

// NotFound when the file has no record anywhere; the weights are always re-hashed. A signed record
// is checked against the trusted keys (provenance/trusted_keys.h); a trusted-keys file that does
// not parse is an error.
Result<VerifyReport> VerifyCheckpoint(const std::string& path, const VerifyOptions& options);

}  // namespace gitmodel
