// An uninitialised buffer for one call's intermediate bytes (byte planes, a delta base's bytes).
//
// Chunks are up to 64 MiB and a fresh buffer is faulted in page by page on first touch, which
// costs more than zstd's work on the mantissa planes. Buffers of 2 MiB and more are therefore
// mapped 2 MiB-aligned with MADV_HUGEPAGE: where the kernel grants transparent huge pages the
// first touch faults 2 MiB at a time (measured 4x cheaper for 64 MiB; docs/formats.md).
#pragma once

#include <cstddef>
#include <memory>
#include <span>

namespace gitmodel {

class ScratchBuffer {
 public:
  explicit ScratchBuffer(size_t size);
  ~ScratchBuffer();
  ScratchBuffer(const ScratchBuffer&) = delete;
  ScratchBuffer& operator=(const ScratchBuffer&) = delete;

  // Valid while this buffer lives; the contents start undefined.
  std::span<std::byte> bytes() const { return {data_, size_}; }

 private:
  std::byte* data_ = nullptr;
  size_t size_ = 0;
  void* mapping_ = nullptr;  // the whole mapping, when mapped
  size_t mapping_size_ = 0;
  std::unique_ptr<std::byte[]> heap_;  // otherwise
};

}  // namespace gitmodel
