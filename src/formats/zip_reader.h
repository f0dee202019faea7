// A validating reader for the zip subset PyTorch writes (stored or deflated, ZIP64, one disk).
//
// The file is untrusted: Open checks every count, offset and size against the file and against
// overflow before using it, reads every local header, and rejects overlapping entries, so that the
// accessors below only ever hand out bytes that lie inside the file. Layout: PKWARE APPNOTE 6.3,
// sections 4.3 (records) and 4.5.3 (ZIP64 extra field); torch's exact layout is described in
// docs/formats.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/positional_reader.h"
#include "gitmodel/status.h"

namespace gitmodel {

inline constexpr uint16_t kZipMethodStored = 0;
inline constexpr uint16_t kZipMethodDeflated = 8;
inline constexpr uint16_t kZipFlagEncrypted = 0x0001;
inline constexpr uint16_t kZipFlagDataDescriptor = 0x0008;
inline constexpr uint16_t kZipFlagStrongEncryption = 0x0040;
inline constexpr uint64_t kZipMaxEntries = 1'000'000;
inline constexpr uint64_t kZipMaxNameLength = 4096;

// One central-directory entry, with the ZIP64 extra field already applied.
struct ZipEntry {
  std::string name;  // central-directory name (the local header's name is checked to match)
  uint64_t local_header_offset = 0;
  uint64_t data_offset = 0;  // first data byte: local header + 30 + local name + local extra
  uint64_t compressed_size = 0;
  uint64_t uncompressed_size = 0;
  uint32_t crc32 = 0;  // as the central directory claims; never checked (torch does not)
  uint16_t method = 0;
  uint16_t flags = 0;
};

// A parsed zip archive. Borrows `file`: the archive and every span it returns are valid while
// those bytes are. Immutable after Open, so safe to share between threads.
class ZipArchive {
 public:
  // Finds the end-of-central-directory record (searching back over a comment of up to 65535
  // bytes; the comment must reach exactly to the end of the file), follows the ZIP64 locator and
  // end record when present, and parses the central directory (ZIP64 extra field 0x0001 for every
  // 0xFFFFFFFF field). Every entry's local header is read and must match its central name; entries
  // (local header through data) must not overlap each other or the central directory. Entry
  // count is bounded by kZipMaxEntries, names by kZipMaxNameLength. Duplicate names are allowed
  // here (TorchArchive rejects them). Errors are kCorrupt, kUnsupported (multi-disk) or kLimit.
  // `headers`, when given, reads the same bytes as `file` with pread: local headers are read
  // through it so that opening touches no page of a mapping (see positional_reader.h).
  static Result<ZipArchive> Open(std::span<const std::byte> file, const PositionalReader* headers = nullptr);

  // In central-directory order.
  const std::vector<ZipEntry>& entries() const { return entries_; }
  std::span<const std::byte> file() const { return file_; }

  // Offset of the first data byte of `e`, recomputed from its local header (the central
  // directory's extra field may differ from the local one, so this is the only correct source).
  Result<uint64_t> DataOffset(const ZipEntry& e) const;

  // The data of a stored (method 0) entry, zero-copy. Errors if `e` is encrypted, not stored, or
  // its data does not lie inside the file.
  Result<std::span<const std::byte>> StoredData(const ZipEntry& e) const;

  // Inflates a deflated (method 8) entry. Fails with kLimit before allocating when the declared
  // uncompressed size exceeds `max_output`, and with kCorrupt when the stream inflates to more or
  // fewer bytes than declared or does not end inside the compressed data.
  Result<std::vector<std::byte>> Inflate(const ZipEntry& e, uint64_t max_output) const;

 private:
  ZipArchive(std::span<const std::byte> file, std::vector<ZipEntry> entries)
      : file_(file), entries_(std::move(entries)) {}
  Result<std::span<const std::byte>> CompressedData(const ZipEntry& e) const;

  std::span<const std::byte> file_;
  std::vector<ZipEntry> entries_;
};

// Quotes an untrusted entry name for a one-line message: 'name', with bytes outside printable
// ASCII, quotes and backslashes written as \xNN, and names over 200 bytes shortened with "...".
std::string QuoteZipName(std::string_view name);

}  // namespace gitmodel
