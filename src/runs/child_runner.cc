#include "runs/child_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <memory>

#include "runs/child_signals.h"
#include "runs/child_spawn.h"
#include "runs/output_tee.h"

extern char** environ;

namespace gitmodel {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kReadBlockBytes = 64 * 1024;
// Without a pidfd (kernels before 5.3) nothing wakes the loop when the child exits: it looks
// this often.
constexpr std::chrono::milliseconds kExitCheckInterval{50};

double Seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; }

OwnedFd OpenPidFd(pid_t pid) {
#ifdef SYS_pidfd_open
  return OwnedFd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
#else
  return OwnedFd();
#endif
}

// One started child, from its start to its reaping and the end of its output.
class Supervisor {
 public:
  Supervisor(const ChildSpec& spec, const std::function<void()>& on_tick, SignalRelay& relay, SpawnedChild child,
             int log_fd, Clock::time_point start, ChildOutcome& outcome)
      : on_tick_(on_tick),
        tick_(std::max(spec.tick, std::chrono::milliseconds(1))),
        relay_(relay),
        pid_(child.pid),
        pidfd_(OpenPidFd(child.pid)),
        pipes_{std::move(child.out), std::move(child.err)},
        tee_(log_fd, spec.out_fd, spec.err_fd, [this](int fd) { WaitWritable(fd); }),
        start_(start),
        next_tick_(start + tick_),
        outcome_(outcome) {}

  // Only when unwinding (on_tick threw): a run is not left behind unsupervised.
  ~Supervisor() {
    if (!running_) return;
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
  }

  void Run() {
    while (running_) PollOnce(Clock::time_point::max());
    const Clock::time_point drain_deadline = Clock::now() + kDrainAfterExit;
    while (PipesOpen() && Clock::now() < drain_deadline) PollOnce(drain_deadline);
    outcome_.output_left_open = PipesOpen();
    for (OwnedFd& pipe : pipes_) pipe.Reset();
    tee_.Finish();
    outcome_.log_error = tee_.log_error();
    if (on_tick_) on_tick_();
  }

 private:
  bool PipesOpen() const { return pipes_[0].get() >= 0 || pipes_[1].get() >= 0; }

  // Waits for output, a signal, the child's exit, the next tick or `until`, then handles them.
  void PollOnce(Clock::time_point until) {
    std::array<pollfd, 4> fds{};
    fds[0] = {relay_.fd(), POLLIN, 0};
    fds[1] = {pipes_[0].get(), POLLIN, 0};  // poll skips negative descriptors
    fds[2] = {pipes_[1].get(), POLLIN, 0};
    fds[3] = {running_ ? pidfd_.get() : -1, POLLIN, 0};
    ::poll(fds.data(), fds.size(), TimeoutMs(until));
    RelaySignals();
    if (fds[1].revents != 0) ReadPipe(ChildStream::kOut);
    if (fds[2].revents != 0) ReadPipe(ChildStream::kErr);
    if (running_) TryReap();
    if (on_tick_ && Clock::now() >= next_tick_) {
      on_tick_();
      next_tick_ = Clock::now() + tick_;
    }
  }

  int TimeoutMs(Clock::time_point until) const {
    Clock::time_point wake = std::min(until, on_tick_ ? next_tick_ : Clock::time_point::max());
    if (running_ && pidfd_.get() < 0) wake = std::min(wake, Clock::now() + kExitCheckInterval);
    if (wake == Clock::time_point::max()) return -1;
    auto left = std::chrono::ceil<std::chrono::milliseconds>(wake - Clock::now()).count();
    return static_cast<int>(std::clamp<decltype(left)>(left, 0, 1 << 30));
  }

  // One block: the streams take turns, so each reaches the log soon after it was written.
  void ReadPipe(ChildStream stream) {
    OwnedFd& pipe = pipes_[static_cast<size_t>(stream)];
    char buffer[kReadBlockBytes];
    ssize_t n = ::read(pipe.get(), buffer, sizeof buffer);
    if (n > 0) {
      tee_.Write(stream, std::string_view(buffer, static_cast<size_t>(n)));
    } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
      tee_.EndStream(stream);
      pipe.Reset();
    }
  }

  // Forwards what another process sent to git-model; the kernel's signals (terminal keys) went
  // to the child already. After the reaping the pid may name another process: nothing is sent.
  void RelaySignals() {
    for (const ReceivedSignal& received : relay_.Take()) {
      if (!running_ || !received.from_process || received.sender == pid_) continue;
      if (::kill(pid_, received.number) == 0) outcome_.forwarded_signals.push_back(received.number);
    }
  }

  void TryReap() {
    int status = 0;
    rusage usage{};
    const pid_t got = ::wait4(pid_, &status, WNOHANG, &usage);
    if (got == 0 || (got < 0 && errno == EINTR)) return;
    running_ = false;
    outcome_.wall_seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    if (got != pid_) return;  // ECHILD: reaped by someone else; how it ended is unknown
    if (WIFEXITED(status)) outcome_.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) outcome_.signal = WTERMSIG(status);
    outcome_.core_dumped = WIFSIGNALED(status) && WCOREDUMP(status);
    outcome_.user_seconds = Seconds(usage.ru_utime);
    outcome_.system_seconds = Seconds(usage.ru_stime);
    outcome_.peak_rss_kb = usage.ru_maxrss;  // kilobytes on Linux
  }

  // For the tee: signals are still relayed while an echo reader is slow.
  void WaitWritable(int fd) {
    while (true) {
      std::array<pollfd, 2> fds{{{fd, POLLOUT, 0}, {relay_.fd(), POLLIN, 0}}};
      ::poll(fds.data(), fds.size(), -1);
      RelaySignals();
      if (fds[0].revents != 0) return;
    }
  }

  const std::function<void()>& on_tick_;
  const std::chrono::milliseconds tick_;
  SignalRelay& relay_;
  const pid_t pid_;
  bool running_ = true;
  OwnedFd pidfd_;
  std::array<OwnedFd, 2> pipes_;  // indexed by ChildStream
  OutputTee tee_;
  const Clock::time_point start_;
  Clock::time_point next_tick_;
  ChildOutcome& outcome_;
};

Result<OwnedFd> CreateLog(const std::string& path) {
  if (path.empty()) return OwnedFd();
  OwnedFd log(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (log.get() < 0) return IOError("cannot create {}: {}", path, std::strerror(errno));
  return log;
}

}  // namespace

int ChildOutcome::ShellExitCode() const {
  if (!started) return start_errno == ENOENT ? 127 : 126;
  if (exit_code) return *exit_code;
  if (signal) return 128 + *signal;
  return -1;
}

Result<ChildOutcome> RunChild(const ChildSpec& spec, const std::function<void()>& on_tick) {
  if (spec.argv.empty() || spec.argv[0].empty()) return InvalidArgument("no command to run");
  GM_ASSIGN_OR_RETURN(std::vector<std::string> environment, ChildEnvironment(environ, spec.set_env));
  GM_ASSIGN_OR_RETURN(OwnedFd log, CreateLog(spec.log_path));
  GM_ASSIGN_OR_RETURN(std::unique_ptr<SignalRelay> relay, SignalRelay::Install());
  const Clock::time_point start = Clock::now();
  GM_ASSIGN_OR_RETURN(SpawnedChild child, SpawnWithPipes(spec.argv, environment, relay->child_default_signals()));
  ChildOutcome outcome;
  if (child.spawn_errno != 0) {
    outcome.start_errno = child.spawn_errno;
    outcome.start_error = StartErrorMessage(spec.argv[0], child.spawn_errno);
    return outcome;
  }
  outcome.started = true;
  Supervisor(spec, on_tick, *relay, std::move(child), log.get(), start, outcome).Run();
  if (!outcome.log_error.empty()) outcome.log_error = spec.log_path + ": " + outcome.log_error;
  return outcome;
}

}  // namespace gitmodel
