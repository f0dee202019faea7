// `git model verify`: do a checkpoint's weights still match its record, and how far have code,
// environment and data moved since it was stamped?
#pragma once

#include <string>
#include <vector>

#include "gitmodel/status.h"
#include "provenance/drift.h"

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
};

struct VerifyOptions {
  bool probe_python = true;  // compare python/torch versions with what python3 has now
};

// NotFound when the file has no record anywhere; the weights are always re-hashed.
Result<VerifyReport> VerifyCheckpoint(const std::string& path, const VerifyOptions& options);

}  // namespace gitmodel
