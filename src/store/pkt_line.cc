#include "store/pkt_line.h"

#include <errno.h>
#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "base/hex_digit.h"

namespace gitmodel {
namespace {

constexpr size_t kReadBufferSize = 64 * 1024;
constexpr size_t kMaxPktLength = kMaxPktData + 4;
// Data packets at least this large are written from the caller's bytes, not copied.
constexpr size_t kCopyBelow = 16 * 1024;


// The four length bytes as they may appear in a message: printable ASCII, else \xNN.
std::string ShowLength(std::span<const char> head) {
  std::string shown;
  for (char c : head) {
    const auto u = static_cast<unsigned char>(c);
    shown += (u >= 0x20 && u < 0x7f && c != '"') ? std::string(1, c) : fmt::format("\\x{:02x}", u);
  }
  return shown;
}

Result<size_t> ParseLength(std::span<const char> head) {
  size_t length = 0;
  for (char c : head) {
    const int digit = HexDigitValue(c);
    if (digit < 0) return Corrupt("malformed pkt-line length \"{}\" (not hex)", ShowLength(head));
    length = length * 16 + static_cast<size_t>(digit);
  }
  if ((length > 0 && length < 4) || length > kMaxPktLength) {
    return Corrupt("invalid pkt-line length {} (\"{}\"): must be 0 or 4-{}", length, ShowLength(head), kMaxPktLength);
  }
  return length;
}

void AppendHeader(std::string& out, size_t data_size) {
  fmt::format_to(std::back_inserter(out), "{:04x}", data_size + 4);
}

// Blocks SIGPIPE in this thread for its lifetime and swallows the one a write to a closed pipe
// raises (the recipe for libraries that cannot change the process's signal dispositions).
class SigpipeBlocker {
 public:
  SigpipeBlocker() {
    sigemptyset(&sigpipe_);
    sigaddset(&sigpipe_, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    already_pending_ = sigismember(&pending, SIGPIPE) == 1;  // someone else's: leave it be
    if (!already_pending_) pthread_sigmask(SIG_BLOCK, &sigpipe_, &old_mask_);
  }
  ~SigpipeBlocker() {
    if (already_pending_) return;
    if (raised_) {
      const timespec no_wait{};
      while (sigtimedwait(&sigpipe_, nullptr, &no_wait) < 0 && errno == EINTR) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
  }
  void NoteEpipe() { raised_ = true; }

 private:
  sigset_t sigpipe_;
  sigset_t old_mask_;
  bool already_pending_ = false;
  bool raised_ = false;
};

}  // namespace

PktReader::PktReader(int fd) : fd_(fd), buffer_(kReadBufferSize) {}

Status PktReader::Fail(Status status) {
  failed_ = status;
  return status;
}

Result<size_t> PktReader::ReadSome(char* out, size_t size) {
  for (;;) {
    const ssize_t n = ::read(fd_, out, size);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) return IOError("cannot read from git: {}", std::strerror(errno));
  }
}

Status PktReader::ReadExactly(std::span<char> out) {
  size_t filled = std::min(out.size(), end_ - begin_);
  std::memcpy(out.data(), buffer_.data() + begin_, filled);
  begin_ += filled;
  while (filled < out.size()) {
    const size_t wanted = out.size() - filled;
    const bool direct = wanted >= buffer_.size() / 2;  // big payloads skip the buffer's copy
    GM_ASSIGN_OR_RETURN(size_t got,
                        direct ? ReadSome(out.data() + filled, wanted) : ReadSome(buffer_.data(), buffer_.size()));
    if (got == 0) {
      if (filled == 0) return IOError("git closed the pipe where a packet was expected");
      return IOError("git closed the pipe in the middle of a packet (read {} of {} bytes)", filled, out.size());
    }
    if (direct) {
      filled += got;
      continue;
    }
    const size_t take = std::min(wanted, got);
    std::memcpy(out.data() + filled, buffer_.data(), take);
    begin_ = take;
    end_ = got;
    filled += take;
  }
  return OkStatus();
}

Result<bool> PktReader::AtEof() {
  if (!failed_.ok()) return failed_;
  if (begin_ < end_) return false;
  auto got = ReadSome(buffer_.data(), buffer_.size());
  if (!got.ok()) return Fail(got.status());
  begin_ = 0;
  end_ = *got;
  return *got == 0;
}

Result<std::optional<std::string>> PktReader::Read() {
  if (!failed_.ok()) return failed_;
  char head[4];
  if (Status s = ReadExactly(head); !s.ok()) return Fail(s);
  auto length = ParseLength(head);
  if (!length.ok()) return Fail(length.status());
  if (*length == 0) return std::optional<std::string>();
  std::string data(*length - 4, '\0');
  if (Status s = ReadExactly(data); !s.ok()) return Fail(s);
  return std::optional<std::string>(std::move(data));
}

Result<std::optional<std::string>> PktReader::ReadText() {
  GM_ASSIGN_OR_RETURN(std::optional<std::string> packet, Read());
  if (packet && !packet->empty() && packet->back() == '\n') packet->pop_back();
  return packet;
}

Result<std::vector<std::string>> PktReader::ReadTextList(size_t max_lines) {
  std::vector<std::string> lines;
  for (;;) {
    GM_ASSIGN_OR_RETURN(std::optional<std::string> line, ReadText());
    if (!line) return lines;
    if (lines.size() == max_lines) {
      return Fail(LimitExceeded("git sent more than {} lines before a flush packet", max_lines));
    }
    lines.push_back(std::move(*line));
  }
}

Status PktWriter::Fail(Status status) {
  failed_ = status;
  return status;
}

Status PktWriter::WriteAll(std::span<iovec> parts) {
  SigpipeBlocker blocker;
  while (!parts.empty()) {
    const ssize_t n = ::writev(fd_, parts.data(), static_cast<int>(parts.size()));
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EPIPE) {
        blocker.NoteEpipe();
        return IOError("git closed the pipe before reading the filter's reply");
      }
      return IOError("cannot write to git: {}", std::strerror(errno));
    }
    auto written = static_cast<size_t>(n);
    while (!parts.empty() && written >= parts.front().iov_len) {
      written -= parts.front().iov_len;
      parts = parts.subspan(1);
    }
    if (!parts.empty()) {
      parts.front().iov_base = static_cast<char*>(parts.front().iov_base) + written;
      parts.front().iov_len -= written;
    }
  }
  return OkStatus();
}

Status PktWriter::AppendPacket(std::string_view data) {
  if (data.size() < kCopyBelow && buffer_.size() + 4 + data.size() <= kMaxPktLength) {
    AppendHeader(buffer_, data.size());
    buffer_.append(data);
    return OkStatus();
  }
  std::string head;
  AppendHeader(head, data.size());
  iovec parts[] = {{buffer_.data(), buffer_.size()},
                   {head.data(), head.size()},
                   {const_cast<char*>(data.data()), data.size()}};
  GM_RETURN_IF_ERROR(Fail(WriteAll(parts)));
  buffer_.clear();
  return OkStatus();
}

Status PktWriter::WriteData(std::span<const std::byte> data) {
  if (!failed_.ok()) return failed_;
  const std::string_view bytes(reinterpret_cast<const char*>(data.data()), data.size());
  for (size_t at = 0; at < bytes.size(); at += kMaxPktData) {
    GM_RETURN_IF_ERROR(AppendPacket(bytes.substr(at, kMaxPktData)));
  }
  return OkStatus();
}

Status PktWriter::WriteText(std::string_view line) {
  if (!failed_.ok()) return failed_;
  if (line.size() + 1 > kMaxPktData) {
    return InvalidArgument("pkt-line text of {} bytes is over the maximum of {}", line.size() + 1, kMaxPktData);
  }
  std::string packet;
  packet.reserve(line.size() + 1);
  packet.append(line).push_back('\n');
  return AppendPacket(packet);
}

Status PktWriter::WriteFlush() {
  if (!failed_.ok()) return failed_;
  buffer_.append("0000");
  iovec part{buffer_.data(), buffer_.size()};
  GM_RETURN_IF_ERROR(Fail(WriteAll({&part, 1})));
  buffer_.clear();
  return OkStatus();
}

}  // namespace gitmodel
