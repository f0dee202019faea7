#include "hooks/hook_commands.h"

#include <fmt/core.h>

namespace gitmodel {
namespace {

// The last non-blank line of `text`: the probe script prints its answer last.
std::string LastLine(const std::string& text) {
  std::string t = text;
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' ')) t.pop_back();
  size_t nl = t.rfind('\n');
  return nl == std::string::npos ? t : t.substr(nl + 1);
}

std::string ExitText(const ProcessResult& r, int timeout_ms) {
  if (!r.started) return "could not be started";
  if (r.timed_out) return fmt::format("did not finish within {} s", timeout_ms / 1000);
  return fmt::format("exited with status {}", r.exit_code);
}

}  // namespace

std::string TorchCudaProbeScript() {
  return "import sys\n"
         "sys.path[:] = [p for p in sys.path if p not in ('', '.')]\n"
         "import importlib.util\n"
         "if importlib.util.find_spec('torch') is None:\n"
         "    print('no-torch'); sys.exit(0)\n"
         "import torch\n"
         "print('cuda' if torch.cuda.is_available() else 'no-cuda')\n";
}

CheckOutcome ProbeCuda(const ProcessRunner& runner) {
  CheckOutcome out{"CUDA", false, ""};
  ProcessResult smi = runner.Run({"nvidia-smi", "-L"}, {kCudaProbeSmiTimeoutMs, 1 << 16});
  if (!smi.started) return out.detail = "nvidia-smi was not found on PATH (no NVIDIA driver?)", out;
  if (smi.exit_code != 0 || smi.timed_out) return out.detail = "nvidia-smi -L " + ExitText(smi, kCudaProbeSmiTimeoutMs), out;
  if (smi.out.find("GPU ") == std::string::npos) return out.detail = "nvidia-smi -L lists no GPU", out;
  ProcessResult py = runner.Run({"python3", "-c", TorchCudaProbeScript()}, {kCudaProbeTorchTimeoutMs, 1 << 16});
  if (!py.started) return out.passed = true, out.detail = "GPU found; python3 not found, torch not checked", out;
  const std::string answer = LastLine(py.out);
  if (py.exit_code != 0 || py.timed_out)
    return out.detail = "python3 -c 'import torch; torch.cuda.is_available()' " + ExitText(py, kCudaProbeTorchTimeoutMs), out;
  if (answer == "no-torch") return out.passed = true, out.detail = "GPU found; torch not installed, not checked", out;
  if (answer != "cuda") return out.detail = "a GPU is present but torch.cuda.is_available() is False", out;
  out.passed = true;
  out.detail = "GPU found; torch.cuda.is_available() is True";
  return out;
}

std::vector<std::string> HookCommandArgv(const std::string& workdir, const std::string& command) {
  // $1 is the directory; `exec 2>&1` merges stderr so the user sees why a check failed.
  return {"/bin/sh", "-c", "cd \"$1\" || exit 1\nexec 2>&1\n" + command, "git-model-hook", workdir};
}

CheckOutcome RunHookCommand(const ProcessRunner& runner, const std::string& workdir, const std::string& command) {
  ProcessResult r = runner.Run(HookCommandArgv(workdir, command), {kHookCommandTimeoutMs, 1 << 20});
  CheckOutcome out{command, r.started && !r.timed_out && r.exit_code == 0, r.out};
  if (!out.passed) {
    if (!out.detail.empty() && out.detail.back() != '\n') out.detail += '\n';
    out.detail += fmt::format("({})", ExitText(r, kHookCommandTimeoutMs));
  }
  return out;
}

}  // namespace gitmodel
