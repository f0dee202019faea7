// pre-commit's optional checks from `.git-model.toml` [hooks]: a CUDA-availability probe
// (require_cuda) and the project's own commands. Both run through the ProcessRunner seam.
#pragma once

#include <string>
#include <vector>

#include "base/subprocess.h"

namespace gitmodel {

inline constexpr int kCudaProbeSmiTimeoutMs = 10'000;
inline constexpr int kCudaProbeTorchTimeoutMs = 60'000;
inline constexpr int kHookCommandTimeoutMs = 600'000;

struct CheckOutcome {
  std::string name;     // "CUDA", or the command text
  bool passed = false;
  std::string detail;   // why it failed; for a command, its output (stdout and stderr, capped)
};

// The CUDA probe: `nvidia-smi -L` must exit 0 within 10 s and list at least one GPU; then, when
// `python3` finds a torch package (importlib.util.find_spec, with the current directory dropped
// from sys.path), `import torch; torch.cuda.is_available()` must be true within 60 s. No python3
// or no torch skips the second step.
CheckOutcome ProbeCuda(const ProcessRunner& runner);

// Runs `command` with `/bin/sh -c` in `workdir` (a shell command by nature: the user wrote it
// in .git-model.toml), stderr merged into stdout, with a 10-minute deadline. Passes on exit 0.
CheckOutcome RunHookCommand(const ProcessRunner& runner, const std::string& workdir, const std::string& command);

// The argv RunHookCommand hands the runner.
std::vector<std::string> HookCommandArgv(const std::string& workdir, const std::string& command);

// The python program of the probe's second step; prints "cuda", "no-cuda" or "no-torch".
std::string TorchCudaProbeScript();

}  // namespace gitmodel
