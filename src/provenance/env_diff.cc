#include "provenance/env_diff.h"

#include <utility>

namespace gitmodel {
namespace {

using Flat = std::vector<std::pair<std::string, std::string>>;

std::string Number(uint64_t v) { return v == 0 ? "" : std::to_string(v); }

// Every key of `env` in EnvInfo's field order, with `gpu_slots` GPUs (missing ones empty).
Flat Flatten(const EnvInfo& env, size_t gpu_slots) {
  Flat out = {{"os", env.os},
              {"kernel", env.kernel},
              {"arch", env.arch},
              {"cpu", env.cpu},
              {"cpu_cores", Number(env.cpu_cores > 0 ? static_cast<uint64_t>(env.cpu_cores) : 0)},
              {"memory_bytes", Number(env.memory_bytes)},
              {"hostname", env.hostname}};
  for (size_t i = 0; i < gpu_slots; ++i) {
    GpuInfo gpu = i < env.gpus.size() ? env.gpus[i] : GpuInfo{};
    out.emplace_back(fmt::format("gpus.{}.name", i), gpu.name);
    out.emplace_back(fmt::format("gpus.{}.memory_bytes", i), Number(gpu.memory_bytes));
    out.emplace_back(fmt::format("gpus.{}.uuid", i), gpu.uuid);
  }
  Flat rest = {{"driver", env.driver},
               {"cuda", env.cuda},
               {"cuda_toolkit", env.cuda_toolkit},
               {"cudnn", env.cudnn},
               {"python", env.python},
               {"torch", env.torch},
               {"torch_cuda", env.torch_cuda},
               {"torch_cudnn", env.torch_cudnn},
               {"torch_source", env.torch_source},
               {"container.runtime", env.container.runtime},
               {"container.image", env.container.image},
               {"container.image_digest", env.container.image_digest},
               {"container.id", env.container.id}};
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

std::string OrUnknown(const std::string& v) { return v.empty() ? "unknown" : v; }

}  // namespace

std::vector<EnvDifference> DiffEnv(const EnvInfo& a, const EnvInfo& b) {
  size_t slots = std::max(a.gpus.size(), b.gpus.size());
  Flat fa = Flatten(a, slots), fb = Flatten(b, slots);
  std::vector<EnvDifference> out;
  for (size_t i = 0; i < fa.size(); ++i) {
    if (fa[i].second != fb[i].second) out.push_back({fa[i].first, OrUnknown(fa[i].second), OrUnknown(fb[i].second)});
  }
  return out;
}

}  // namespace gitmodel
