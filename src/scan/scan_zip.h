// Zip archives as the scanner must see them: the way torch's reader (miniz) sees them, which is
// more lenient than formats/zip_reader.h. The strict reader is tried first (it handles ZIP64);
// when it refuses a file, the central directory is walked again trusting only what miniz trusts:
// central-directory names (a different local-header name is ignored), no CRC check, flag bits
// ignored. Every offset is still checked against the file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "gitmodel/status.h"

namespace gitmodel {

struct ScanZipEntry {
  std::string name;  // central-directory name
  uint64_t data_offset = 0;
  uint64_t compressed_size = 0;
  uint16_t method = 0;
  uint16_t flags = 0;
};

struct ScanZip {
  std::vector<ScanZipEntry> entries;  // in central-directory order, at most max_entries
  std::string strict_error;           // why the strict reader refused the file ("" if it did not)
  uint64_t skipped = 0;               // entries past max_entries or with data outside the file
};

// True when `bytes` starts with a local file header or ends with an end-of-central-directory
// record (a zip with a prefix, such as a self-extracting one).
bool LooksLikeZip(std::span<const std::byte> bytes);

// Errors (kCorrupt) only when no central directory can be found or walked at all.
Result<ScanZip> OpenZipForScan(std::span<const std::byte> bytes, size_t max_entries);

// The entry's bytes: stored data as is (*owned untouched), deflated data inflated into *owned
// (kLimit past `max_output` bytes, whatever the entry claims). Other methods: kUnsupported.
Result<std::span<const std::byte>> ReadZipMember(std::span<const std::byte> bytes, const ScanZipEntry& e,
                                                 uint64_t max_output, std::vector<std::byte>* owned);

}  // namespace gitmodel
