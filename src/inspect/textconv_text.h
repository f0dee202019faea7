// The text `git model textconv` prints for git's line diff (diff.<driver>.textconv): a
// deterministic, line-oriented picture of a checkpoint, so that `git diff`, `git log -p` and
// `git show` name the tensors and values that changed. Specified in docs/git-integration.md.
//
//   git-model textconv v1: torch-zip, 4 tensors, 41 parameters
//   0.bias  float32  [8]  sha256:3c1f0e2a9b7d4c55  mean 0.0123457  std 0.456789
//   ...one line per tensor, sorted by name (bytewise)...
//   <empty line>
//   epoch = 3
//   ...one `key = value` line per non-tensor value, sorted by key (`key =` for an empty string)...
//
// A file that is not a readable checkpoint is one line instead (NotCheckpointText), so that a
// stray file under a checkpoint pattern does not stop `git log -p`.
//
// Columns are separated by two spaces and never padded, so a change to one tensor changes one
// line only. Git caches this text per blob (diff.<driver>.cachetextconv), so the layout must
// not depend on the machine: statistics are merged in a fixed order and printed with 6
// significant digits. The version in the first line changes whenever the layout does.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "gitmodel/checkpoint.h"

namespace gitmodel {

inline constexpr size_t kTextconvMaxValueChars = 200;  // longer values are cut and hashed

// Reads every tensor's bytes (hash and statistics, on all cores). A tensor whose bytes cannot be
// read (a meta tensor) gets `error: <why>` in place of its hash and statistics; never fails.
std::string TextconvText(const Checkpoint& checkpoint);

inline constexpr size_t kTextconvMaxReasonChars = 160;  // longer reasons are cut

// The text for a file that is not a readable checkpoint, one line:
//   git-model textconv v1: not a checkpoint (<reason>), <size> bytes, sha256:<16 hex>
// `reason` must not name the file (see DriverInput::not_checkpoint_reason); newlines in it are
// escaped and it is cut to kTextconvMaxReasonChars. The hash is over all of `bytes`, so any
// change to the file changes the line.
std::string NotCheckpointText(std::string_view reason, std::span<const std::byte> bytes);

}  // namespace gitmodel
