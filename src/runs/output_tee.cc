#include "runs/output_tee.h"

#include <limits.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include <fmt/core.h>

namespace gitmodel {

OutputTee::OutputTee(int log_fd, int out_fd, int err_fd, WaitWritable wait_writable)
    : log_fd_(log_fd), echo_fd_{out_fd, err_fd}, wait_writable_(std::move(wait_writable)) {}

void OutputTee::Write(ChildStream stream, std::string_view bytes) {
  Echo(stream, bytes);
  if (log_fd_ < 0) return;
  std::string& held = held_[Index(stream)];
  held.append(bytes);
  const size_t line_end = held.find_last_of("\n\r");
  if (held.size() >= kMaxHeldLineBytes) {
    Log(held);
    held.clear();
  } else if (line_end != std::string::npos) {
    Log(std::string_view(held).substr(0, line_end + 1));
    held.erase(0, line_end + 1);
  }
}

void OutputTee::EndStream(ChildStream stream) {
  std::string& held = held_[Index(stream)];
  if (log_fd_ >= 0) Log(held);
  held.clear();
}

void OutputTee::Finish() {
  EndStream(ChildStream::kOut);
  EndStream(ChildStream::kErr);
  if (log_fd_ >= 0 && ::fsync(log_fd_) != 0) log_error_ = fmt::format("cannot sync: {}", std::strerror(errno));
  log_fd_ = -1;
}

void OutputTee::Echo(ChildStream stream, std::string_view bytes) {
  int& fd = echo_fd_[Index(stream)];
  while (fd >= 0 && !bytes.empty()) {
    if (wait_writable_) wait_writable_(fd);
    const ssize_t n = ::write(fd, bytes.data(), std::min<size_t>(bytes.size(), PIPE_BUF));
    if (n > 0) {
      bytes.remove_prefix(static_cast<size_t>(n));
    } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
      fd = -1;  // EPIPE, EBADF, EIO...: the echo stops, the log goes on
    }
  }
}

void OutputTee::Log(std::string_view bytes) {
  while (log_fd_ >= 0 && !bytes.empty()) {
    const ssize_t n = ::write(log_fd_, bytes.data(), bytes.size());
    if (n > 0) {
      bytes.remove_prefix(static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      log_error_ = fmt::format("cannot write: {}", n == 0 ? "no progress" : std::strerror(errno));
      log_fd_ = -1;
    }
  }
}

}  // namespace gitmodel
