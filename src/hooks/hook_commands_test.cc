#include "hooks/hook_commands.h"

#include <gtest/gtest.h>

#include <map>

#include "git/testing/temp_repo.h"

namespace gitmodel {
namespace {

// Answers by program name; records what ran.
class FakeRunner : public ProcessRunner {
 public:
  std::map<std::string, ProcessResult> answers;
  mutable std::vector<std::vector<std::string>> ran;
  ProcessResult Run(const std::vector<std::string>& argv, const ProcessOptions&) const override {
    ran.push_back(argv);
    auto it = answers.find(argv[0]);
    return it == answers.end() ? ProcessResult{} : it->second;
  }
};

ProcessResult Exited(int code, std::string out) { return {true, code, false, std::move(out), false}; }

TEST(ProbeCuda, NeedsAGpuFromNvidiaSmi) {
  FakeRunner none;
  EXPECT_FALSE(ProbeCuda(none).passed);
  EXPECT_NE(ProbeCuda(none).detail.find("nvidia-smi was not found"), std::string::npos);
  FakeRunner failing;
  failing.answers["nvidia-smi"] = Exited(9, "");
  EXPECT_FALSE(ProbeCuda(failing).passed);
  FakeRunner empty;
  empty.answers["nvidia-smi"] = Exited(0, "No devices found\n");
  EXPECT_FALSE(ProbeCuda(empty).passed);
}

TEST(ProbeCuda, AsksTorchWhenThereIsOne) {
  FakeRunner r;
  r.answers["nvidia-smi"] = Exited(0, "GPU 0: NVIDIA H200 (UUID: GPU-1)\n");
  r.answers["python3"] = Exited(0, "cuda\n");
  CheckOutcome ok = ProbeCuda(r);
  EXPECT_TRUE(ok.passed) << ok.detail;
  ASSERT_EQ(r.ran.size(), 2u);
  EXPECT_EQ(r.ran[0], (std::vector<std::string>{"nvidia-smi", "-L"}));
  EXPECT_EQ(r.ran[1][2], TorchCudaProbeScript());
  r.answers["python3"] = Exited(0, "no-cuda\n");
  EXPECT_FALSE(ProbeCuda(r).passed);
  r.answers["python3"] = Exited(0, "no-torch\n");
  EXPECT_TRUE(ProbeCuda(r).passed);
  r.answers["python3"] = Exited(1, "Traceback\n");
  EXPECT_FALSE(ProbeCuda(r).passed);
}

TEST(RunHookCommand, ShellInTheWorkdirWithStderrShown) {
  testutil::TempDir dir;
  testutil::WriteFile(dir / "marker", "x");
  CheckOutcome ok = RunHookCommand(RealProcessRunner(), dir.path(), "test -f marker && echo fine");
  EXPECT_TRUE(ok.passed) << ok.detail;
  EXPECT_EQ(ok.detail, "fine\n");
  CheckOutcome bad = RunHookCommand(RealProcessRunner(), dir.path(), "echo broken >&2; exit 3");
  EXPECT_FALSE(bad.passed);
  EXPECT_EQ(bad.detail, "broken\n(exited with status 3)");
}

}  // namespace
}  // namespace gitmodel
