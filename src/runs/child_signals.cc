#include "runs/child_signals.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <type_traits>

namespace gitmodel {
namespace {

static_assert(std::is_trivially_copyable_v<ReceivedSignal>);
static_assert(sizeof(ReceivedSignal) <= PIPE_BUF, "one write per signal is atomic");

std::mutex g_relay_mutex;
std::atomic<int> g_relay_write_fd{-1};

// Async-signal-safe: one write to a non-blocking pipe. A full pipe drops the signal, which only
// happens after thousands of unread ones.
void OnRelayedSignal(int number, siginfo_t* info, void*) {
  const int saved_errno = errno;
  ReceivedSignal received{number, SentByProcess(info->si_code), info->si_pid};
  const int fd = g_relay_write_fd.load();
  if (fd >= 0 && ::write(fd, &received, sizeof received) < 0) {
    // Full pipe: dropped (see above).
  }
  errno = saved_errno;
}

bool IsIgnored(int number) {
  struct sigaction current;
  return ::sigaction(number, nullptr, &current) == 0 && !(current.sa_flags & SA_SIGINFO) &&
         current.sa_handler == SIG_IGN;
}

}  // namespace

bool SentByProcess(int si_code) { return si_code == SI_USER || si_code == SI_QUEUE || si_code == SI_TKILL; }

Result<std::unique_ptr<SignalRelay>> SignalRelay::Install() {
  std::unique_ptr<SignalRelay> relay(new SignalRelay());
  relay->hold_ = std::unique_lock(g_relay_mutex);
  GM_RETURN_IF_ERROR(relay->Start());
  return relay;
}

Status SignalRelay::Start() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    return IOError("cannot create a pipe for signals: {}", std::strerror(errno));
  }
  read_fd_ = fds[0];
  write_fd_ = fds[1];
  g_relay_write_fd.store(write_fd_);
  sigfillset(&child_default_);

  struct sigaction catcher {};
  catcher.sa_sigaction = OnRelayedSignal;
  catcher.sa_flags = SA_SIGINFO | SA_RESTART;
  sigfillset(&catcher.sa_mask);  // one handler at a time per thread
  for (int number : kRelayedSignals) {
    if (IsIgnored(number)) {
      sigdelset(&child_default_, number);
      continue;
    }
    struct sigaction previous;
    if (::sigaction(number, &catcher, &previous) == 0) saved_.emplace_back(number, previous);
  }
  Replace(SIGPIPE, SIG_IGN);  // a closed echo reader is an EPIPE error, not the end of git-model
  // Children are reaped by their parent, not auto-reaped: wait4 must see the child's status.
  if (IsIgnored(SIGCHLD)) Replace(SIGCHLD, SIG_DFL);
  return OkStatus();
}

void SignalRelay::Replace(int number, void (*handler)(int)) {
  struct sigaction replacement {};
  replacement.sa_handler = handler;
  struct sigaction previous;
  if (::sigaction(number, &replacement, &previous) == 0) saved_.emplace_back(number, previous);
}

SignalRelay::~SignalRelay() {
  // Newest first (std::views::reverse does not build with clang 14 and libstdc++ 12: the fuzz build).
  for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) ::sigaction(it->first, &it->second, nullptr);
  g_relay_write_fd.store(-1);
  if (read_fd_ >= 0) ::close(read_fd_);
  if (write_fd_ >= 0) ::close(write_fd_);
}

std::vector<ReceivedSignal> SignalRelay::Take() {
  std::vector<ReceivedSignal> taken;
  ReceivedSignal received;
  while (true) {
    ssize_t n = ::read(read_fd_, &received, sizeof received);
    if (n < 0 && errno == EINTR) continue;
    if (n != static_cast<ssize_t>(sizeof received)) break;  // empty (EAGAIN); writes are whole
    taken.push_back(received);
  }
  return taken;
}

}  // namespace gitmodel
