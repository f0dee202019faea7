// Running the command of a recorded run (`git model run -- COMMAND...`) under supervision.
//
// RunChild starts argv (looked up on PATH like execvp, never through a shell), tees its stdout
// and stderr, relays signals to it, calls on_tick while it runs, and reaps it, returning how it
// ended and what it used. It never prints and never exits; it writes only to the descriptors and
// the log file it is given.
//
// - Output: the child's stdout and stderr are two pipes. What arrives on each is echoed at once
//   to out_fd / err_fd, and appended to the log a line at a time (a line ends with '\n' or '\r';
//   a partial line is held until its end arrives, the stream ends, or it reaches 64 KiB), so
//   lines of the two streams interleave in the log but are never cut by each other. SIGPIPE is
//   ignored during the run; the first error writing an echo fd (EPIPE...) stops that echo, and
//   logging goes on. A log write error (ENOSPC...) stops logging and is reported in log_error;
//   the child keeps running either way. The log is fsync'ed at the end. stdin is inherited.
// - Environment: git-model's, plus set_env (which replaces variables of the same name), plus
//   PYTHONUNBUFFERED=1 unless either of those already sets it, so Python scripts stream output.
// - Signals: the child stays in git-model's process group, so a key on the terminal (Ctrl-C,
//   Ctrl-\) reaches it directly. While it runs, git-model catches SIGINT, SIGTERM, SIGHUP,
//   SIGQUIT, SIGUSR1 and SIGUSR2 (in whichever thread the kernel picks) and keeps running until
//   the child exits. Such a signal sent by another process (kill, sigqueue, a scheduler's
//   preemption notice) is forwarded to the child with kill(); one from the kernel (a terminal
//   key) is not, since the child got it already. A signal git-model ignored when RunChild began
//   (nohup's SIGHUP, SIGINT in a background job) stays ignored, in git-model and in the child.
//   The child starts with an empty signal mask and every other disposition at its default.
//   Previous dispositions are restored before RunChild returns.
// - The child is always reaped (wait4, for its resource use; SIGCHLD is set to its default for
//   the run when it was ignored, which would reap children unseen). Processes it started that still
//   hold its stdout/stderr after it exits are given kDrainAfterExit to finish writing; then
//   git-model stops reading (and output_left_open is set). They are not killed.
//
// Errors (Status): an empty argv, an invalid set_env name, a log that cannot be created, no
// pipes. A program that cannot be started is not an error: started is false.
//
// Calls are serialized process-wide (the signal handlers are process state); on_tick must not
// throw.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gitmodel/status.h"

namespace gitmodel {

inline constexpr std::chrono::milliseconds kDrainAfterExit{2000};

struct ChildSpec {
  std::vector<std::string> argv;  // argv[0] is looked up on git-model's PATH
  std::vector<std::pair<std::string, std::string>> set_env;  // added to / replaced in the environment
  std::string log_path;  // created or truncated; empty: no log
  int out_fd = 1;        // where the child's stdout is echoed; -1: not echoed
  int err_fd = 2;        // where the child's stderr is echoed; -1: not echoed
  std::chrono::milliseconds tick{200};  // how often on_tick is called while the child runs
};

struct ChildOutcome {
  bool started = false;
  int start_errno = 0;      // why it did not start (ENOENT, EACCES, ENOEXEC...)
  std::string start_error;  // e.g. "train.py: command not found"

  std::optional<int> exit_code;  // set when it exited
  std::optional<int> signal;     // set when a signal ended it
  bool core_dumped = false;

  double wall_seconds = 0;  // from start to exit
  double user_seconds = 0;  // CPU time of the child and the descendants it waited for
  double system_seconds = 0;
  int64_t peak_rss_kb = 0;  // the largest resident set of the child or a descendant it waited for

  std::vector<int> forwarded_signals;  // signals git-model forwarded to the child, in order
  bool output_left_open = false;  // descendants still held the output pipes kDrainAfterExit after
  std::string log_error;          // the first error writing the log; empty when none

  // What a shell reports for the command: the exit code, 128 + the signal, 127 when the program
  // was not found, 126 when it could not be executed; -1 when neither code nor signal is known
  // (only when something else in the process reaped the child first).
  int ShellExitCode() const;
};

// Runs spec.argv to its end (see the top of this file). on_tick may be empty; otherwise it is
// called about every spec.tick while the child runs and once more after the child has exited and
// its output has been drained (not at all when the program could not be started).
Result<ChildOutcome> RunChild(const ChildSpec& spec, const std::function<void()>& on_tick);

}  // namespace gitmodel
