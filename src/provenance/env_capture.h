// Capturing the runtime environment of this machine (see env_info.h for what is recorded).
//
// Every probe is bounded: files are read with size caps, tools (nvidia-smi, nvcc, python3) run
// through a ProcessRunner with a timeout. A missing file or tool, a timeout or unparsable output
// leaves the field unknown; capturing never fails.
#pragma once

#include <functional>
#include <string>

#include "base/subprocess.h"
#include "provenance/env_diff.h"
#include "provenance/env_info.h"

namespace gitmodel {

struct EnvProbeOptions {
  // File system root for /etc, /proc, /sys, /usr and the container marker files (tests point it
  // at a fake tree). Kernel, arch and hostname always come from uname()/gethostname().
  std::string root = "/";
  const ProcessRunner* runner = nullptr;              // nullptr = RealProcessRunner()
  std::function<const char*(const char*)> getenv{};   // nullptr = ::getenv
  // Runs `python3 -c ...` (or $GIT_MODEL_PYTHON) for the Python, torch, torch CUDA and cuDNN versions.
  bool probe_python = true;
  // The torch version the checkpoint records: used as is (torch_source "checkpoint"), and the
  // Python probe then does not import torch.
  std::string known_torch_version{};
  int timeout_ms = 3000;          // per tool run (nvidia-smi, nvcc)
  int python_timeout_ms = 10000;  // the Python probe: importing torch takes 1-2 s, more when cold
};

// Probes run concurrently, so the whole capture takes about as long as the slowest probe: at most
// about max(2 * timeout_ms, python_timeout_ms) when every tool hangs (nvidia-smi runs twice).
// Environment variables read: KUBERNETES_SERVICE_HOST, GIT_MODEL_IMAGE, GIT_MODEL_IMAGE_DIGEST,
// GIT_MODEL_CONTAINER_ID (non-empty values override what was detected), CUDA_HOME / CUDA_PATH
// (toolkit location, tried before /usr/local/cuda), GIT_MODEL_PYTHON (interpreter to probe).
EnvInfo CaptureEnv(const EnvProbeOptions& options);

}  // namespace gitmodel
