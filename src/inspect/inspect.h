// `git model inspect`: everything the command shows, computed by the library.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gitmodel/checkpoint.h"
#include "inspect/summary.h"
#include "tensors/tensor_stats.h"

namespace gitmodel {

struct InspectOptions {
  bool hashes = false;  // SHA-256 of each tensor's logical contiguous little-endian bytes
  bool stats = false;   // min/max/mean/std/NaN/Inf per tensor
};

// Per-tensor results that read tensor bytes; a failure (a meta tensor has no bytes) is kept per
// tensor rather than failing the whole report.
struct TensorExtras {
  std::optional<std::string> sha256;
  std::optional<TensorStats> stats;
  std::string error;
};

struct InspectReport {
  Summary summary;
  // The weights fingerprint (docs/formats.md), with --hashes when every tensor could be hashed.
  std::optional<std::string> fingerprint;
  std::vector<TensorExtras> extras;  // parallel to Checkpoint::tensors(); empty without options
};

// Reads tensor bytes only for the options asked for, on all cores.
InspectReport Inspect(const Checkpoint& checkpoint, const InspectOptions& options);

// The stable `--json` document (schema: docs/inspect.md).
nlohmann::json InspectJson(const Checkpoint& checkpoint, const InspectReport& report);

}  // namespace gitmodel
