// The signal side of a recorded run (see runs/child_runner.h): while the child runs, git-model
// must survive the signals meant to stop the run, so it can record how the child ended, and pass
// on those that were sent to git-model alone.
//
// SignalRelay catches the relayed signals with an SA_SIGINFO handler that writes each to a
// non-blocking self-pipe. A handler, unlike a blocked mask read with signalfd, works whichever
// thread the kernel delivers a process-directed signal to: a thread that did not block the
// signal would otherwise take its default action and end git-model.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <array>
#include <memory>
#include <mutex>
#include <vector>

#include "gitmodel/status.h"

namespace gitmodel {

// SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2.
inline constexpr std::array<int, 6> kRelayedSignals = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};

// Whether si_code says a process sent the signal (kill, sigqueue, tgkill) rather than the
// kernel (a key on the terminal gives SI_KERNEL).
bool SentByProcess(int si_code);

struct ReceivedSignal {
  int number = 0;
  bool from_process = false;  // SentByProcess(si_code)
  pid_t sender = 0;           // si_pid; meaningful when from_process
};

class SignalRelay {
 public:
  // Catches kRelayedSignals (except those ignored now, which stay ignored), ignores SIGPIPE, and
  // sets SIGCHLD to its default when it was ignored (which would reap children unseen).
  // Waits for a relay that another thread holds: there is at most one at a time. IOError when
  // the self-pipe cannot be made.
  static Result<std::unique_ptr<SignalRelay>> Install();
  // Restores the dispositions Install found.
  ~SignalRelay();
  SignalRelay(const SignalRelay&) = delete;
  SignalRelay& operator=(const SignalRelay&) = delete;

  // Readable when signals have arrived; poll it, then call Take.
  int fd() const { return read_fd_; }
  // The signals caught since the last call, in arrival order.
  std::vector<ReceivedSignal> Take();
  // The signals a child should start with at their default disposition: all but those that
  // stay ignored.
  const sigset_t& child_default_signals() const { return child_default_; }

 private:
  SignalRelay() = default;
  Status Start();
  void Replace(int number, void (*handler)(int));

  std::unique_lock<std::mutex> hold_;
  int read_fd_ = -1;
  int write_fd_ = -1;
  std::vector<std::pair<int, struct sigaction>> saved_;  // what Install replaced
  sigset_t child_default_;
};

}  // namespace gitmodel
