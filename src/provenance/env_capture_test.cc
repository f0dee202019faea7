#include "provenance/env_capture.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <map>
#include <mutex>

#include "provenance/env_probe.h"
#include "provenance/testing/temp_dir.h"

namespace gitmodel {
namespace {

namespace fs = std::filesystem;
using testutil::ScratchDir;
using testutil::WriteTestFile;

// Canned answers keyed by "argv[0] argv[1]" (or argv[0] alone); anything else is "not found".
class FakeRunner : public ProcessRunner {
 public:
  std::map<std::string, ProcessResult> answers;
  ProcessResult Run(const std::vector<std::string>& argv, const ProcessOptions& options) const override {
    std::lock_guard lock(mu_);
    calls_.push_back(argv);
    timeouts_[argv[0]] = options.timeout_ms;
    std::string key = argv.size() > 1 ? argv[0] + " " + argv[1] : argv[0];
    auto it = answers.find(key);
    if (it == answers.end()) it = answers.find(argv[0]);
    return it == answers.end() ? ProcessResult{} : it->second;
  }
  std::vector<std::vector<std::string>> calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }
  int timeout_of(const std::string& program) const {
    std::lock_guard lock(mu_);
    return timeouts_.count(program) ? timeouts_.at(program) : -1;
  }

 private:
  mutable std::mutex mu_;
  mutable std::vector<std::vector<std::string>> calls_;
  mutable std::map<std::string, int> timeouts_;
};

ProcessResult Ok(std::string out) { return {.started = true, .exit_code = 0, .out = std::move(out)}; }

constexpr char kQuery[] = "nvidia-smi --query-gpu=name,memory.total,uuid,driver_version";
constexpr char kSmiHeader[] =
    "Wed Nov 29 10:12:33 2023       \n"
    "+---------------------------------------------------------------------------------------+\n"
    "| NVIDIA-SMI 535.104.05             Driver Version: 535.104.05   CUDA Version: 12.2     |\n"
    "|-----------------------------------------+----------------------+----------------------+\n";

const char* NoEnv(const char*) { return nullptr; }

// A fake Ubuntu machine with 8 A100s in docker.
void BuildFakeRoot(const fs::path& root) {
  WriteTestFile(root / "etc/os-release", "PRETTY_NAME=\"Ubuntu 22.04.3 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\n");
  WriteTestFile(root / "proc/cpuinfo", "processor\t: 0\nmodel name\t: AMD EPYC 7763 64-Core Processor\n\n"
                                       "processor\t: 1\nmodel name\t: AMD EPYC 7763 64-Core Processor\n");
  WriteTestFile(root / "proc/meminfo", "MemTotal:       2113645276 kB\nMemFree:        1 kB\n");
  WriteTestFile(root / "sys/devices/system/cpu/online", "0-255\n");
  WriteTestFile(root / "usr/local/cuda/version.json",
                R"({"cuda": {"name": "CUDA SDK", "version": "12.2.2"}, "cuda_nvcc": {"version": "12.2.140"}})");
  WriteTestFile(root / "usr/include/x86_64-linux-gnu/cudnn_version_v8.h",
                "#define CUDNN_MAJOR 8\n#define CUDNN_MINOR 9\n#define CUDNN_PATCHLEVEL 7\n");
  WriteTestFile(root / ".dockerenv", "");
  WriteTestFile(root / "proc/1/cgroup", "0::/\n");
}

void AnswerLikeAGpuMachine(FakeRunner& runner) {
  std::string rows;
  for (int i = 0; i < 8; ++i)
    rows += fmt::format("NVIDIA A100-SXM4-80GB, 81920, GPU-{:08x}-2b3f-4c5d-9e7f-0a1b2c3d4e5f, 535.104.05\n", i);
  runner.answers[kQuery] = Ok(rows);
  runner.answers["nvidia-smi"] = Ok(kSmiHeader);
  runner.answers["python3 -c"] = Ok(R"({"python": "3.10.12", "torch": "2.1.0+cu121", "torch_cuda": "12.1", )"
                                    R"("torch_cudnn": 8902})" "\n");
}

TEST(EnvCapture, FakeGpuMachine) {
  ScratchDir root;
  BuildFakeRoot(root.path());
  FakeRunner runner;
  AnswerLikeAGpuMachine(runner);
  EnvInfo env = CaptureEnv({.root = root.path().string(), .runner = &runner, .getenv = NoEnv});
  EXPECT_EQ(env.os, "Ubuntu 22.04.3 LTS");
  EXPECT_EQ(env.cpu, "AMD EPYC 7763 64-Core Processor");
  EXPECT_EQ(env.cpu_cores, 256);
  EXPECT_EQ(env.memory_bytes, 2113645276ull * 1024);
  ASSERT_EQ(env.gpus.size(), 8u);
  EXPECT_EQ(env.gpus[7].name, "NVIDIA A100-SXM4-80GB");
  EXPECT_EQ(env.gpus[7].memory_bytes, 80ull << 30);
  EXPECT_EQ(env.gpus[7].uuid, "GPU-00000007-2b3f-4c5d-9e7f-0a1b2c3d4e5f");
  EXPECT_EQ(env.driver, "535.104.05");
  EXPECT_EQ(env.cuda, "12.2");
  EXPECT_EQ(env.cuda_toolkit, "12.2.2");
  EXPECT_EQ(env.cudnn, "8.9.7");
  EXPECT_EQ(env.python, "3.10.12");
  EXPECT_EQ(env.torch, "2.1.0+cu121");
  EXPECT_EQ(env.torch_cuda, "12.1");
  EXPECT_EQ(env.torch_cudnn, "8.9.2");
  EXPECT_EQ(env.torch_source, "probe");
  EXPECT_EQ(env.container.runtime, "docker");
  EXPECT_FALSE(env.kernel.empty());  // from uname(), not from the fake root
  EXPECT_EQ(runner.timeout_of("python3"), 10000);
  EXPECT_EQ(runner.timeout_of("nvidia-smi"), 3000);
}

TEST(EnvCapture, KnownTorchVersionSkipsImportingTorch) {
  ScratchDir root;
  FakeRunner runner;
  AnswerLikeAGpuMachine(runner);
  runner.answers["python3 -c"] = Ok(R"({"python": "3.10.12"})");
  EnvInfo env = CaptureEnv({.root = root.path().string(), .runner = &runner, .getenv = NoEnv,
                            .known_torch_version = "1.13.1"});
  EXPECT_EQ(env.torch, "1.13.1");
  EXPECT_EQ(env.torch_source, "checkpoint");
  EXPECT_EQ(env.python, "3.10.12");
  bool saw_python = false;
  for (const auto& argv : runner.calls()) {
    if (argv[0] != "python3") continue;
    saw_python = true;
    ASSERT_EQ(argv.size(), 3u);
    EXPECT_NE(argv[2].find("import_torch = False"), std::string::npos);
  }
  EXPECT_TRUE(saw_python);
  EnvInfo no_python = CaptureEnv({.root = root.path().string(), .runner = &runner, .getenv = NoEnv,
                                  .probe_python = false});
  EXPECT_EQ(no_python.python, "");
  EXPECT_EQ(no_python.torch_source, "");
}

TEST(EnvCapture, MissingFailingOrHungToolsAreUnknown) {
  ScratchDir root;  // empty: no files at all
  FakeRunner missing;
  EnvInfo env = CaptureEnv({.root = root.path().string(), .runner = &missing, .getenv = NoEnv});
  EXPECT_EQ(env.os, "");
  EXPECT_EQ(env.cpu_cores, 0);
  EXPECT_TRUE(env.gpus.empty());
  EXPECT_EQ(env.driver + env.cuda + env.cuda_toolkit + env.cudnn + env.python + env.torch, "");
  EXPECT_EQ(env.container.runtime, "");
  FakeRunner broken;
  // What nvidia-smi prints, with exit code 9, when the driver is not loaded.
  broken.answers[kQuery] = {.started = true, .exit_code = 9,
                            .out = "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n"};
  broken.answers["python3 -c"] = {.started = true, .exit_code = 137, .timed_out = true, .out = "{\"python\": \"3"};
  env = CaptureEnv({.root = root.path().string(), .runner = &broken, .getenv = NoEnv});
  EXPECT_TRUE(env.gpus.empty());
  EXPECT_EQ(env.driver, "");
  EXPECT_EQ(env.python, "");
}

TEST(EnvCapture, CudaHomeVersionTxtAndNvcc) {
  ScratchDir root;
  WriteTestFile(root.path() / "opt/cuda-11/version.txt", "CUDA Version 11.0.228\n");
  FakeRunner runner;
  auto env = [](const char* name) -> const char* { return std::string(name) == "CUDA_HOME" ? "/opt/cuda-11" : nullptr; };
  EXPECT_EQ(CaptureEnv({.root = root.path().string(), .runner = &runner, .getenv = env}).cuda_toolkit, "11.0.228");
  ScratchDir nvcc_only;
  WriteTestFile(nvcc_only.path() / "usr/local/cuda/bin/nvcc", "");
  std::string nvcc = (nvcc_only.path() / "usr/local/cuda/bin/nvcc").string();
  runner.answers[nvcc + " --version"] = Ok("Cuda compilation tools, release 12.4, V12.4.131\n");
  EXPECT_EQ(CaptureEnv({.root = nvcc_only.path().string(), .runner = &runner, .getenv = NoEnv}).cuda_toolkit,
            "12.4.131");
}

TEST(EnvCapture, PythonProbeIsBoundedByItsTimeout) {
  ScratchDir dir;
  fs::path fake_python = dir.path() / "python";
  WriteTestFile(fake_python, "#!/bin/sh\nsleep 10\n");
  fs::permissions(fake_python, fs::perms::owner_all);
  std::string path = fake_python.string();
  auto env = [&](const char* name) -> const char* { return std::string(name) == "GIT_MODEL_PYTHON" ? path.c_str() : nullptr; };
  auto start = std::chrono::steady_clock::now();
  EnvInfo info = CaptureEnv({.root = dir.path().string(), .getenv = env, .python_timeout_ms = 300});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_EQ(info.python, "");
}

TEST(EnvCapture, ThePythonProbeScriptRunsUnderRealPython) {
  if (!RunProcess({"python3", "--version"}).started) GTEST_SKIP() << "no python3 on PATH";
  ScratchDir dir;
  // A json.py in the current directory must not be imported by the probe.
  WriteTestFile(dir.path() / "json.py", "raise SystemExit('imported the wrong json')\n");
  fs::path cwd = fs::current_path();
  fs::current_path(dir.path());
  ProcessResult r = RunProcess({"python3", "-c", PythonProbeScript(true)}, {.timeout_ms = 20000});
  fs::current_path(cwd);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("\"python\": \"3."), std::string::npos) << r.out;
}

TEST(EnvCapture, RealMachine) {
  EnvInfo env = CaptureEnv({});
  EXPECT_FALSE(env.os.empty());
  EXPECT_FALSE(env.kernel.empty());
  EXPECT_FALSE(env.arch.empty());
  EXPECT_GT(env.cpu_cores, 0);
  EXPECT_GT(env.memory_bytes, 0u);
  EXPECT_FALSE(env.hostname.empty());
  if (RunProcess({"python3", "--version"}).started) {
    EXPECT_FALSE(env.python.empty());
  }
  EXPECT_EQ(env.torch_source.empty(), env.torch.empty());
}

}  // namespace
}  // namespace gitmodel
