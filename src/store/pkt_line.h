// git's pkt-line framing (gitprotocol-common(5)): four hex digits giving the packet's length
// including those four bytes, then the data; "0000" is a flush packet. Data packets carry at most
// kMaxPktData bytes. Lengths 0001-0003 (protocol v2's delimiters) never occur in the filter
// protocol and are rejected.
//
// Both classes are blocking, handle EINTR and short reads/writes, and are not thread-safe.
// Errors are sticky: after the first failure every later call returns the same Status, so a
// broken stream is never read past a malformed packet or written to half-way.
#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gitmodel/status.h"

namespace gitmodel {

inline constexpr size_t kMaxPktData = 65516;             // 65520 in all, with the length
inline constexpr size_t kMaxTextListLines = 256;         // default bound of ReadTextList

// Reads packets from a file descriptor through a 64 KiB buffer. Owns no fd. It reads ahead of the
// packet it returns, so nothing else may read the fd while it is in use.
class PktReader {
 public:
  explicit PktReader(int fd);
  // One packet's data; nullopt for a flush packet. kIO at end of input (even between packets:
  // use AtEof for that) or on read errors, kCorrupt on a malformed length (not hex, 1-3, or over
  // 65520).
  Result<std::optional<std::string>> Read();
  // A text packet with its trailing "\n" removed, if it has one (git sends text lines with one).
  Result<std::optional<std::string>> ReadText();
  // Text packets up to the next flush; kLimit when there are more than `max_lines`.
  Result<std::vector<std::string>> ReadTextList(size_t max_lines = kMaxTextListLines);
  // True when the input has ended cleanly at a packet boundary (the writer closed it); false when
  // more bytes follow. Blocks until one of the two is known.
  Result<bool> AtEof();

 private:
  Status ReadExactly(std::span<char> out);
  Result<size_t> ReadSome(char* out, size_t size);  // 0 at end of input
  Status Fail(Status status);

  int fd_;
  std::vector<char> buffer_;
  size_t begin_ = 0;  // unread bytes are buffer_[begin_, end_)
  size_t end_ = 0;
  Status failed_;
};

// Writes packets to a file descriptor. Packets under 16 KiB are gathered in a buffer of up to one
// packet's worth, which goes out with WriteFlush or when the next packet does not fit; larger
// packets go out at once (after what is buffered) with writev, straight from the caller's bytes.
// Owns no fd.
//
// SIGPIPE: writes block SIGPIPE in the calling thread and discard the one a write to a closed
// pipe raises, so a reader that went away gives kIO ("closed the pipe") instead of killing the
// process. (The git-model CLI also ignores SIGPIPE process-wide, as git does around its filters.)
class PktWriter {
 public:
  explicit PktWriter(int fd) : fd_(fd) {}
  // `data` split into as many packets as needed (nothing for empty data).
  Status WriteData(std::span<const std::byte> data);
  // One packet: line + "\n". kInvalidArgument when that exceeds kMaxPktData.
  Status WriteText(std::string_view line);
  Status WriteFlush();  // also writes out everything buffered

 private:
  Status AppendPacket(std::string_view data);
  Status WriteAll(std::span<iovec> parts);
  Status Fail(Status status);

  int fd_;
  std::string buffer_;
  Status failed_;
};

}  // namespace gitmodel
