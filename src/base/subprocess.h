// Running an external program with a deadline: the seam through which git-model asks tools such
// as nvidia-smi, nvcc and python3 about the machine. Tests replace it with a fake ProcessRunner.
//
// The program is found on PATH (posix_spawnp) and run directly, never through a shell. Its stdin
// is /dev/null, its stderr is discarded (or merged into stdout) and its stdout is collected up to
// a cap. It runs in a
// process group of its own: when the deadline passes, or when the program exits while programs
// it started still hold its stdout, the whole group is killed with SIGKILL. The child is always
// reaped, so no zombie is left behind.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace gitmodel {

struct ProcessResult {
  bool started = false;    // false: empty argv, or the program was not found / not executable
  int exit_code = -1;      // exit status; 128 + N when ended by signal N; -1 when not started
  bool timed_out = false;  // the deadline passed and the process group was killed
  std::string out;         // stdout, at most ProcessOptions::max_output bytes
  bool truncated = false;  // stdout had more than max_output bytes; the rest was read and dropped
};

struct ProcessOptions {
  int timeout_ms = 3000;         // wall-clock deadline for the whole run, from the spawn
  size_t max_output = 1 << 20;   // stdout bytes kept
  bool merge_stderr = false;     // stderr into `out` too (for messages worth showing), else discarded
};

// Runs argv[0] (looked up on PATH) with argv as its arguments and the current environment.
// Never throws for process failures; a program that cannot be started gives started == false.
// Thread-safe.
ProcessResult RunProcess(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// The seam. Implementations must be safe to call from several threads at once.
class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  virtual ProcessResult Run(const std::vector<std::string>& argv, const ProcessOptions& options) const = 0;
};

// A process-wide runner that calls RunProcess. Lives for the whole program.
const ProcessRunner& RealProcessRunner();

}  // namespace gitmodel
