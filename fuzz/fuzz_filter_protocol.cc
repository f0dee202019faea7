// Fuzz target: git's long-running filter protocol (store/filter_protocol.h). The input is what git
// would send down the pipe (handshake, requests, content), served from a memfd so the filter sees
// the end of input where the bytes end; replies go to /dev/null. Handlers take turns: one echoes
// its input, one fails without reading (the input is drained), one fails after writing half.
// Every Status message, from the process or handed to on_error, must be one line.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <string>

#include "store/filter_protocol.h"

namespace {

void RequireOneLine(const gitmodel::Status& status) {
  if (status.message().find('\n') != std::string::npos) __builtin_trap();
}

gitmodel::Result<std::string> ReadAll(gitmodel::FilterInput& in) {
  std::string all;
  std::byte chunk[4096];
  for (;;) {
    GM_ASSIGN_OR_RETURN(size_t n, in.Read(chunk));
    if (n == 0) return all;
    all.append(reinterpret_cast<const char*>(chunk), n);
  }
}

// Echo, fail before writing, fail after writing half: one after the other.
gitmodel::Status TakeTurns(int& turn, gitmodel::FilterInput& in, gitmodel::FilterOutput& out) {
  const int mine = turn++ % 3;
  if (mine == 1) return gitmodel::IOError("fails every third request");
  GM_ASSIGN_OR_RETURN(std::string all, ReadAll(in));
  auto bytes = std::as_bytes(std::span(all));
  if (mine == 0) return out.Write(bytes);
  GM_RETURN_IF_ERROR(out.Write(bytes.first(bytes.size() / 2)));
  return gitmodel::IOError("failed half-way");
}

int InputFd(const uint8_t* data, size_t size) {
  const int fd = memfd_create("fuzz_filter_protocol", MFD_CLOEXEC);
  if (fd < 0) return -1;
  if (write(fd, data, size) != static_cast<ssize_t>(size) || lseek(fd, 0, SEEK_SET) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const int dev_null = open("/dev/null", O_WRONLY | O_CLOEXEC);
  const int in_fd = InputFd(data, size);
  if (in_fd < 0 || dev_null < 0) __builtin_trap();
  int turn = 0;
  gitmodel::FilterProcessOptions options;
  options.on_error = [](const gitmodel::FilterRequest&, const gitmodel::Status& status) { RequireOneLine(status); };
  auto handler = [&turn](const gitmodel::FilterRequest&, gitmodel::FilterInput& in, gitmodel::FilterOutput& out) {
    return TakeTurns(turn, in, out);
  };
  RequireOneLine(gitmodel::RunFilterProcess(in_fd, dev_null, handler, options));
  close(in_fd);
  return 0;
}
