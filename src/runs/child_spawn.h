// Starting the command of a recorded run (see runs/child_runner.h) with its output on two pipes.
#pragma once

#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <string>
#include <utility>
#include <vector>

#include "gitmodel/status.h"

namespace gitmodel {

// A file descriptor closed when the object goes.
class OwnedFd {
 public:
  OwnedFd() = default;
  explicit OwnedFd(int fd) : fd_(fd) {}
  OwnedFd(OwnedFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  OwnedFd& operator=(OwnedFd&& other) noexcept {
    if (this != &other) Reset(std::exchange(other.fd_, -1));
    return *this;
  }
  ~OwnedFd() { Reset(); }
  int get() const { return fd_; }
  void Reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// `environ` with set_env applied (same name: replaced; new: appended) and PYTHONUNBUFFERED=1
// added when neither sets it, as NAME=VALUE strings. InvalidArgument for a name that is empty or
// holds '=' or a NUL.
Result<std::vector<std::string>> ChildEnvironment(char* const* environ_entries,
                                                  const std::vector<std::pair<std::string, std::string>>& set_env);

struct SpawnedChild {
  int spawn_errno = 0;  // 0: started; else why exec failed (nothing ran)
  pid_t pid = -1;
  OwnedFd out;  // read ends of the child's stdout and stderr, non-blocking, close-on-exec
  OwnedFd err;
};

// Starts argv[0] (searched on this process's PATH, as execvp does) with `environment`, stdin
// inherited, stdout and stderr on new pipes, an empty signal mask and the signals of
// default_signals at SIG_DFL. IOError when the pipes cannot be made; an exec failure is
// spawn_errno.
Result<SpawnedChild> SpawnWithPipes(const std::vector<std::string>& argv, const std::vector<std::string>& environment,
                                    const sigset_t& default_signals);

// A one-line reason for a failed start: "train.py: command not found", "./x: permission denied".
std::string StartErrorMessage(const std::string& program, int spawn_errno);

}  // namespace gitmodel
