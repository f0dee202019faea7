// The runtime environment of a checkpoint's birth: the `env` section of a provenance record.
//
// Every field may be unknown: an empty string or 0. Unknown fields are omitted from JSON.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gitmodel/status.h"

namespace gitmodel {

struct GpuInfo {
  std::string name;           // "NVIDIA A100-SXM4-80GB"
  uint64_t memory_bytes = 0;  // total memory
  std::string uuid;           // "GPU-6d5e..."
};

struct ContainerInfo {
  std::string runtime;       // "docker" | "podman" | "kubernetes" | "containerd" | "cri-o" | ""
  std::string image;         // "nvcr.io/nvidia/pytorch:24.01-py3" (podman, or GIT_MODEL_IMAGE)
  std::string image_digest;  // "sha256:..." (GIT_MODEL_IMAGE_DIGEST)
  std::string id;            // 64 hex digits (cgroup / mountinfo / containerenv, or GIT_MODEL_CONTAINER_ID)
};

struct EnvInfo {
  std::string os;              // PRETTY_NAME from /etc/os-release
  std::string kernel;          // uname -r
  std::string arch;            // uname -m
  std::string cpu;             // model name from /proc/cpuinfo
  int cpu_cores = 0;           // online logical CPUs
  uint64_t memory_bytes = 0;   // MemTotal
  std::string hostname;
  std::vector<GpuInfo> gpus;
  std::string driver;          // NVIDIA driver version (nvidia-smi)
  std::string cuda;            // CUDA version the driver supports (nvidia-smi header)
  std::string cuda_toolkit;    // installed toolkit: version.json / version.txt / nvcc --version
  std::string cudnn;           // system cuDNN headers (cudnn_version.h)
  std::string python;          // "3.11.2"
  std::string torch;           // "2.1.0+cu121"
  std::string torch_cuda;      // torch.version.cuda (probe only)
  std::string torch_cudnn;     // torch.backends.cudnn.version() as "8.9.2" (probe only)
  std::string torch_source;    // "checkpoint" | "probe" | ""
  ContainerInfo container;
};

// Known fields with a value, keyed by field name; unknown (empty/0) fields are left out, and so
// are `gpus` and `container` when they hold nothing.
nlohmann::json EnvToJson(const EnvInfo& env);

// Reads what EnvToJson wrote. Unknown keys are ignored and null means unknown; a known key of the
// wrong type is a Corrupt error naming it ("record field env.gpus.0.memory_bytes: ...").
Result<EnvInfo> EnvFromJson(const nlohmann::json& json);

}  // namespace gitmodel
