// Reading bytes at absolute file offsets without touching a memory mapping.
//
// Parsers that visit many small, scattered headers of a mapped file (a zip's local headers) read
// them through this instead of the mapping: each touched page of a mapping joins the process's
// resident set, together with up to 64 KiB of neighbours the kernel maps around a fault, so
// touching 2,600 headers of a 4 GB checkpoint would cost ~70 MB of RSS for 80 KB of headers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace gitmodel {

class PositionalReader {
 public:
  virtual ~PositionalReader() = default;
  // Fills `out` with the bytes at [offset, offset + out.size()); false if they are not all there.
  virtual bool ReadAt(uint64_t offset, std::span<std::byte> out) const = 0;
};

}  // namespace gitmodel
