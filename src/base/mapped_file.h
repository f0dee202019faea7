// A read-only memory mapping of a whole file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "base/positional_reader.h"
#include "gitmodel/status.h"

namespace gitmodel {

class MappedFile : public PositionalReader {
 public:
  // Maps `path` read-only. An empty file maps to an empty span.
  static Result<std::unique_ptr<MappedFile>> Open(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // Valid while this MappedFile lives.
  std::span<const std::byte> bytes() const { return {data_, size_}; }
  const std::string& path() const { return path_; }

  // Drops the pages holding `bytes` (rounded out to whole pages) from this process's resident
  // set; they stay in the page cache and fault back in if read again. Bytes outside the mapping
  // are ignored. Lets a streaming reader of a huge file keep its RSS small.
  void ReleasePages(std::span<const std::byte> bytes) const;

  // pread() on the open file: the same bytes as bytes(), without faulting pages into the mapping.
  bool ReadAt(uint64_t offset, std::span<std::byte> out) const override;

 private:
  MappedFile(std::string path, int fd, const std::byte* data, size_t size)
      : path_(std::move(path)), fd_(fd), data_(data), size_(size) {}
  std::string path_;
  int fd_;
  const std::byte* data_;
  size_t size_;
};

}  // namespace gitmodel
