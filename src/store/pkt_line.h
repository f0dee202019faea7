// git's pkt-line framing (gitprotocol-common(5)): four lowercase hex digits giving the packet's
// length including those four bytes, then the data; "0000" is a flush packet. Data packets carry
// at most kMaxPktData bytes.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "gitmodel/status.h"

namespace gitmodel {

inline constexpr size_t kMaxPktData = 65516;

// Reads packets from a file descriptor (blocking). Owns no fd.
class PktReader {
 public:
  explicit PktReader(int fd) : fd_(fd) {}
  // One packet's data; nullopt for a flush packet. kIO at end of input or on read errors,
  // kCorrupt on a malformed length (not hex, 1-3, or over the maximum).
  Result<std::optional<std::string>> Read();
  // A text packet with its trailing "\n" removed (git sends text lines with one).
  Result<std::optional<std::string>> ReadText();
  // Text packets up to the next flush.
  Result<std::vector<std::string>> ReadTextList();

 private:
  Status ReadExactly(std::span<char> out);
  int fd_;
};

// Writes packets to a file descriptor, buffering up to one packet's worth. Owns no fd.
class PktWriter {
 public:
  explicit PktWriter(int fd) : fd_(fd) {}
  // `data` split into as many packets as needed (nothing for empty data).
  Status WriteData(std::span<const std::byte> data);
  Status WriteText(std::string_view line);  // one packet: line + "\n"
  Status WriteFlush();                      // also writes out everything buffered

 private:
  Status WriteAll(std::string_view bytes);
  int fd_;
};

}  // namespace gitmodel
