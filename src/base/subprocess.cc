#include "base/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <thread>

extern char** environ;

namespace gitmodel {
namespace {

using Clock = std::chrono::steady_clock;

// posix_spawn's two settings objects, destroyed on every path.
struct SpawnSettings {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  SpawnSettings() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnSettings() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
};

// Starts argv with stdin on /dev/null, stdout on out_fd (which is > 2, so the /dev/null opens
// cannot clobber it) and stderr on /dev/null or out_fd too. Returns 0 or the errno of the failed
// spawn.
int Spawn(const std::vector<std::string>& argv, int out_fd, bool merge_stderr, pid_t* pid) {
  SpawnSettings s;
  posix_spawn_file_actions_addopen(&s.actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&s.actions, out_fd, 1);
  if (merge_stderr) {
    posix_spawn_file_actions_adddup2(&s.actions, out_fd, 2);
  } else {
    posix_spawn_file_actions_addopen(&s.actions, 2, "/dev/null", O_WRONLY, 0);
  }
  // Own process group, so a timeout can kill what the program started too; default signal
  // dispositions and an empty mask, whatever this process ignores or blocks (SIGPIPE...).
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&s.attr, &none);
  posix_spawnattr_setsigdefault(&s.attr, &all);
  posix_spawnattr_setpgroup(&s.attr, 0);
  posix_spawnattr_setflags(&s.attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  return posix_spawnp(pid, args[0], &s.actions, &s.attr, args.data(), environ);
}

// Reads what the pipe holds now. Returns true at end of file (or on a read error).
bool Drain(int fd, size_t max_output, ProcessResult* r) {
  char buffer[65536];
  while (true) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return false;
    if (n <= 0) return true;
    size_t keep = std::min(static_cast<size_t>(n), max_output - std::min(max_output, r->out.size()));
    r->out.append(buffer, keep);
    if (keep < static_cast<size_t>(n)) r->truncated = true;
  }
}

bool TryReap(pid_t pid, int* status) {
  pid_t got;
  do got = waitpid(pid, status, WNOHANG);
  while (got < 0 && errno == EINTR);
  return got == pid || (got < 0 && errno == ECHILD);
}

int MillisLeft(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 1 << 30));
}

// Collects stdout until the child has exited and the pipe is at EOF, or the deadline passes.
// Kills the process group when the deadline passed or descendants still hold the pipe, then reaps.
int Collect(pid_t pid, int fd, Clock::time_point deadline, size_t max_output, ProcessResult* r) {
  bool eof = false, reaped = false, orphans = false;
  int status = 0, nap_ms = 1;
  while (!(eof && reaped)) {
    int left = MillisLeft(deadline);
    if (left <= 0) {
      r->timed_out = true;
      break;
    }
    if (!eof) {
      pollfd p{fd, POLLIN, 0};
      poll(&p, 1, std::min(left, 50));  // wakes at least every 50 ms to notice an exited child
      eof = Drain(fd, max_output, r);
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(nap_ms, left)));
      nap_ms = std::min(nap_ms * 2, 20);
    }
    if (!reaped) reaped = TryReap(pid, &status);
    if (reaped && !eof) {
      eof = Drain(fd, max_output, r);  // all the child wrote is in the pipe now
      orphans = !eof;
      break;
    }
  }
  if (!reaped || orphans) kill(-pid, SIGKILL);
  while (!reaped) reaped = waitpid(pid, &status, 0) == pid || errno != EINTR;
  return status;
}

int ExitCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Moves fd above 2 (the child's standard descriptors); keeps close-on-exec.
int AboveStdio(int fd) {
  if (fd > 2) return fd;
  int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  close(fd);
  return moved;
}

class RealRunner : public ProcessRunner {
 public:
  ProcessResult Run(const std::vector<std::string>& argv, const ProcessOptions& options) const override {
    return RunProcess(argv, options);
  }
};

}  // namespace

ProcessResult RunProcess(const std::vector<std::string>& argv, const ProcessOptions& options) {
  ProcessResult result;
  int fds[2];
  if (argv.empty() || pipe2(fds, O_CLOEXEC) != 0) return result;
  fds[0] = AboveStdio(fds[0]);
  fds[1] = AboveStdio(fds[1]);
  pid_t pid = 0;
  int err = (fds[0] < 0 || fds[1] < 0) ? EMFILE : Spawn(argv, fds[1], options.merge_stderr, &pid);
  auto deadline = Clock::now() + std::chrono::milliseconds(std::max(0, options.timeout_ms));
  if (fds[1] >= 0) close(fds[1]);
  if (err != 0) {
    if (fds[0] >= 0) close(fds[0]);
    return result;
  }
  result.started = true;
  fcntl(fds[0], F_SETFL, O_NONBLOCK);
  result.exit_code = ExitCode(Collect(pid, fds[0], deadline, options.max_output, &result));
  close(fds[0]);
  return result;
}

const ProcessRunner& RealProcessRunner() {
  static const RealRunner runner;
  return runner;
}

}  // namespace gitmodel
