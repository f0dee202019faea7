// The output side of a recorded run (see runs/child_runner.h): what the child writes on stdout
// and stderr is echoed at once to two descriptors and appended, a whole line at a time, to a log.
//
// Echo writes go out in pieces of at most PIPE_BUF bytes, each after wait_writable(fd) returned,
// so a write to a pipe never blocks: a reader that stops reading (a paused pager) holds up the
// run's output, but the runner can still relay signals while it waits. The first error writing
// an echo descriptor (EPIPE: its reader went away) stops that echo for good.
//
// The log gets the bytes of each stream cut at line ends ('\n' or '\r', so progress bars are
// logged as they draw); a partial line is held until its end arrives, its stream ends, or it
// reaches kMaxHeldLineBytes. The first error writing the log stops logging.
//
// Descriptors are borrowed, not closed. Not thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace gitmodel {

inline constexpr size_t kMaxHeldLineBytes = 64 * 1024;

enum class ChildStream { kOut = 0, kErr = 1 };

class OutputTee {
 public:
  // Returns when fd is writable (or in error: the write will tell).
  using WaitWritable = std::function<void(int fd)>;

  // Any of the descriptors may be -1: that output is dropped.
  OutputTee(int log_fd, int out_fd, int err_fd, WaitWritable wait_writable);

  void Write(ChildStream stream, std::string_view bytes);
  // The stream reached its end: its held partial line goes to the log.
  void EndStream(ChildStream stream);
  // Ends both streams and fsyncs the log.
  void Finish();

  // The first error writing or syncing the log ("cannot write: No space left on device"), or "".
  const std::string& log_error() const { return log_error_; }
  // Whether the stream is still echoed (false after a write error, or when its fd was -1).
  bool echoing(ChildStream stream) const { return echo_fd_[Index(stream)] >= 0; }

 private:
  static size_t Index(ChildStream stream) { return static_cast<size_t>(stream); }
  void Echo(ChildStream stream, std::string_view bytes);
  void Log(std::string_view bytes);

  int log_fd_;
  std::array<int, 2> echo_fd_;
  WaitWritable wait_writable_;
  std::array<std::string, 2> held_;  // each stream's partial line, not yet logged
  std::string log_error_;
};

}  // namespace gitmodel
