// Test-only: an in-memory zip writer that reproduces torch's (miniz's) layout byte for byte and,
// through per-entry and per-archive overrides, the broken variants that reader tests, the
// malformed-file generator and fuzz seeds need.
//
// Default layout, as torch writes it (docs/formats.md): local header with
// version-needed 0 (20 when deflated), flags 0x0808 (0x0800 for empty data), DOS time/date 0, CRC
// and sizes 0; an "FB" extra field padding the data start to a multiple of 64; a 16-byte data
// descriptor after non-empty data; central entries with the real CRC and sizes and no extra
// field; then a ZIP64 end record, ZIP64 locator and classic end record.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gitmodel::testutil {

struct ZipAddOptions {
  bool deflate = false;                          // raw-deflate the data (method 8), else store it
  std::optional<uint16_t> flags = {};                 // default 0x0808, or 0x0800 for empty data
  std::optional<uint16_t> method = {};                // recorded method; the data is still as `deflate` says
  std::optional<std::string> local_name = {};         // name in the local header (default: the name)
  uint32_t alignment = 64;                       // data alignment via the "FB" extra; 0: no FB field
  bool zip64_extra = false;                      // central: 0xFFFFFFFF sizes/offset + ZIP64 extra field
  std::optional<uint32_t> crc32 = {};                 // recorded in the central directory (default: real)
  std::optional<uint64_t> compressed_size = {};       // recorded in the central directory (default: real)
  std::optional<uint64_t> uncompressed_size = {};     // recorded in the central directory (default: real)
  std::optional<uint64_t> local_header_offset = {};   // recorded in the central directory (default: real)
  std::vector<std::byte> central_extra = {};          // raw bytes appended to the central extra field
};

struct ZipFinishOptions {
  bool zip64 = true;                  // write ZIP64 end record + locator (torch always does); forced
                                      // on when the entry count or offsets need it
  bool classic_placeholders = false;  // classic end record holds 0xFFFF / 0xFFFFFFFF only
  std::string comment = {};                // archive comment after the classic end record
  std::optional<uint64_t> entry_count = {};  // recorded in both end records (default: real)
  std::optional<uint64_t> cd_offset = {};    // recorded in both end records (default: real)
  std::optional<uint64_t> cd_size = {};      // recorded in both end records (default: real)
};

// Byte offsets of the records in Finish's output.
struct ZipLayout {
  struct Entry {
    uint64_t local_header = 0;
    uint64_t data = 0;
    uint64_t data_end = 0;  // one past the data; a data descriptor may follow
    uint64_t central = 0;
  };
  std::vector<Entry> entries;
  uint64_t central_directory = 0;
  std::optional<uint64_t> zip64_end, zip64_locator;
  uint64_t end = 0;  // the classic end record
};

class ZipBuilder {
 public:
  // Appends an entry's local header, data and descriptor. Names may repeat (for duplicate tests).
  ZipBuilder& Add(std::string name, std::span<const std::byte> data, const ZipAddOptions& options = {});
  ZipBuilder& Add(std::string name, std::string_view data, const ZipAddOptions& options = {});

  // Appends the central directory and end records and returns the whole file. Call once.
  std::vector<std::byte> Finish(const ZipFinishOptions& options = {});

  // Offsets in the file Finish returned; valid after Finish.
  const ZipLayout& layout() const { return layout_; }

 private:
  struct Pending {
    std::string name;
    ZipAddOptions options;
    uint16_t flags = 0, method = 0;
    uint32_t crc32 = 0;
    uint64_t compressed_size = 0, uncompressed_size = 0;
  };
  void AppendCentralEntry(const Pending& p, uint64_t local_header);
  void AppendEndRecords(const ZipFinishOptions& options, uint64_t cd_offset, uint64_t cd_size);

  std::vector<std::byte> out_;
  std::vector<Pending> pending_;
  ZipLayout layout_;
};

// Raw deflate (no zlib header) of `data`, as zip method 8 stores it.
std::vector<std::byte> RawDeflate(std::span<const std::byte> data);
std::vector<std::byte> ToBytes(std::string_view text);

// Overwrite little-endian integers in place (for corrupting a built file). `offset` must fit.
void PutLE16(std::vector<std::byte>& bytes, uint64_t offset, uint16_t value);
void PutLE32(std::vector<std::byte>& bytes, uint64_t offset, uint32_t value);
void PutLE64(std::vector<std::byte>& bytes, uint64_t offset, uint64_t value);

}  // namespace gitmodel::testutil
