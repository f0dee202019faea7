#include "provenance/env_capture.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <cstdlib>

#include "base/parallel.h"
#include "provenance/env_container.h"
#include "provenance/env_probe.h"

namespace gitmodel {
namespace {

// What every probe needs: options with their defaults filled in.
struct Prober {
  const EnvProbeOptions& options;
  const ProcessRunner& runner;
  std::function<const char*(const char*)> getenv;

  std::string File(std::string_view absolute, size_t max_bytes = 1 << 20) const {
    return ReadProbeFile(UnderRoot(options.root, absolute), max_bytes);
  }
  std::string Env(const char* name) const {
    const char* v = getenv(name);
    return v == nullptr ? "" : v;
  }
  ProcessResult Run(const std::vector<std::string>& argv, int timeout_ms) const {
    return runner.Run(argv, {.timeout_ms = timeout_ms, .max_output = 1 << 20});
  }
};

bool Succeeded(const ProcessResult& r) { return r.started && !r.timed_out && r.exit_code == 0; }

void CaptureKernel(EnvInfo* env) {
  struct utsname u;
  if (uname(&u) == 0) {
    env->kernel = CleanValue(u.release);
    env->arch = CleanValue(u.machine);
  }
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) == 0) env->hostname = CleanValue(host);
}

void CaptureHost(const Prober& p, EnvInfo* env) {
  env->os = ParseOsRelease(p.File("/etc/os-release", 64 << 10));
  if (env->os.empty()) env->os = ParseOsRelease(p.File("/usr/lib/os-release", 64 << 10));
  std::string cpuinfo = p.File("/proc/cpuinfo", 4 << 20);
  env->cpu = ParseCpuModel(cpuinfo);
  env->cpu_cores = ParseCpuList(p.File("/sys/devices/system/cpu/online", 4096));
  if (env->cpu_cores == 0) env->cpu_cores = CountCpuProcessors(cpuinfo);
  if (env->cpu_cores == 0 && p.options.root == "/") env->cpu_cores = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  env->memory_bytes = ParseMemTotal(p.File("/proc/meminfo", 64 << 10));
}

void ProbeGpus(const Prober& p, EnvInfo* env) {
  ProcessResult query = p.Run({"nvidia-smi", "--query-gpu=name,memory.total,uuid,driver_version",
                               "--format=csv,noheader,nounits"}, p.options.timeout_ms);
  if (!Succeeded(query)) return;  // no driver, no GPU, or a hung driver: all unknown
  SmiQuery smi = ParseNvidiaSmiQuery(query.out);
  env->gpus = std::move(smi.gpus);
  env->driver = std::move(smi.driver);
  ProcessResult plain = p.Run({"nvidia-smi"}, p.options.timeout_ms);
  if (Succeeded(plain)) env->cuda = ParseSmiCudaVersion(plain.out);
}

// $CUDA_HOME, $CUDA_PATH, then /usr/local/cuda, all below the root.
std::vector<std::string> CudaDirs(const Prober& p) {
  std::vector<std::string> dirs;
  for (const char* var : {"CUDA_HOME", "CUDA_PATH"})
    if (std::string v = p.Env(var); !v.empty() && v.front() == '/') dirs.push_back(UnderRoot(p.options.root, v));
  dirs.push_back(UnderRoot(p.options.root, "/usr/local/cuda"));
  return dirs;
}

void ProbeToolkit(const Prober& p, EnvInfo* env) {
  std::vector<std::string> dirs = CudaDirs(p);
  for (const std::string& dir : dirs) {
    env->cuda_toolkit = ParseCudaVersionJson(ReadProbeFile(dir + "/version.json", 1 << 20));
    if (env->cuda_toolkit.empty()) env->cuda_toolkit = ParseCudaVersionTxt(ReadProbeFile(dir + "/version.txt", 4096));
    if (!env->cuda_toolkit.empty()) break;
  }
  if (env->cuda_toolkit.empty()) {
    std::string nvcc = "nvcc";
    for (const std::string& dir : dirs)
      if (PathExists(dir + "/bin/nvcc")) nvcc = dir + "/bin/nvcc";
    ProcessResult r = p.Run({nvcc, "--version"}, p.options.timeout_ms);
    if (Succeeded(r)) env->cuda_toolkit = ParseNvccVersion(r.out);
  }
  std::vector<std::string> include_dirs;
  for (const std::string& dir : dirs) include_dirs.push_back(dir + "/include");
  for (const char* dir : {"/usr/include", "/usr/include/x86_64-linux-gnu", "/usr/include/aarch64-linux-gnu",
                          "/usr/local/include"})
    include_dirs.push_back(UnderRoot(p.options.root, dir));
  for (const std::string& dir : include_dirs) {
    for (const char* name : {"cudnn_version.h", "cudnn_version_v9.h", "cudnn_version_v8.h", "cudnn.h"}) {
      env->cudnn = ParseCudnnHeader(ReadProbeFile(dir + "/" + name, 1 << 20));
      if (!env->cudnn.empty()) return;
    }
  }
}

void ProbePython(const Prober& p, bool import_torch, PythonVersions* out) {
  std::string python = p.Env("GIT_MODEL_PYTHON");
  if (python.empty()) python = "python3";
  ProcessResult r = p.Run({python, "-c", PythonProbeScript(import_torch)}, p.options.python_timeout_ms);
  if (Succeeded(r)) *out = ParsePythonProbe(r.out);
}

void SetTorch(const EnvProbeOptions& options, PythonVersions& probed, EnvInfo* env) {
  env->python = std::move(probed.python);
  env->torch_cuda = std::move(probed.torch_cuda);
  env->torch_cudnn = std::move(probed.torch_cudnn);
  std::string known = CleanValue(options.known_torch_version);
  if (!known.empty()) {
    env->torch = known;
    env->torch_source = "checkpoint";
  } else if (!probed.torch.empty()) {
    env->torch = std::move(probed.torch);
    env->torch_source = "probe";
  }
}

}  // namespace

EnvInfo CaptureEnv(const EnvProbeOptions& options) {
  Prober p{options, options.runner != nullptr ? *options.runner : RealProcessRunner(),
           options.getenv ? options.getenv : [](const char* name) -> const char* { return std::getenv(name); }};
  EnvInfo env;
  CaptureKernel(&env);
  CaptureHost(p, &env);
  env.container = DetectContainer(options.root, p.getenv);
  bool import_torch = CleanValue(options.known_torch_version).empty();
  PythonVersions python;
  // The tool probes wait on other programs, so they run side by side; each writes its own fields.
  ParallelFor(3, [&](size_t i) {
    if (i == 0) ProbeGpus(p, &env);
    if (i == 1) ProbeToolkit(p, &env);
    if (i == 2 && options.probe_python) ProbePython(p, import_torch, &python);
  }, 3);
  SetTorch(options, python, &env);
  return env;
}

}  // namespace gitmodel
