// Crash-safe file replacement: write a temp file beside the target, fsync it, rename it over the
// target, fsync the directory. Readers see either the old file or the new one, never a mix; on any
// failure the temp file is removed and the target is untouched.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "gitmodel/status.h"

namespace gitmodel {

// An open temp file being written. Offsets are tracked so writers can align records.
class AtomicFileWriter {
 public:
  // Creates `<dir of target>/.<name>.tmp-XXXXXX` with `mode` (or the target's mode when it exists).
  static Result<AtomicFileWriter> Create(const std::string& target, unsigned mode = 0644);
  AtomicFileWriter(AtomicFileWriter&& other) noexcept;
  AtomicFileWriter& operator=(AtomicFileWriter&&) = delete;
  ~AtomicFileWriter();  // removes the temp file unless Commit() succeeded

  Status Write(std::span<const std::byte> bytes);
  Status Write(std::string_view text);
  // Copies `length` bytes starting at `offset` of the open file `source_fd` (copy_file_range, so
  // the kernel moves the bytes without a round trip through user space).
  Status CopyFrom(int source_fd, uint64_t offset, uint64_t length);
  uint64_t offset() const { return offset_; }

  // fsync, rename over the target, fsync the directory. Call at most once.
  Status Commit();

 private:
  AtomicFileWriter(std::string target, std::string temp, int fd)
      : target_(std::move(target)), temp_(std::move(temp)), fd_(fd) {}
  std::string target_;
  std::string temp_;
  int fd_ = -1;
  uint64_t offset_ = 0;
  bool committed_ = false;
};

// Replaces `target` with `contents` atomically.
Status WriteFileAtomically(const std::string& target, std::string_view contents, unsigned mode = 0644);

// Reads a whole (small) file, refusing files larger than `max_bytes`.
Result<std::string> ReadSmallFile(const std::string& path, uint64_t max_bytes);

}  // namespace gitmodel
