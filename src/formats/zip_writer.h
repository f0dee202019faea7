// An aligned zip writer: appends entries to an AtomicFileWriter so that every entry's data starts
// on a multiple of 64 bytes, in the layout torch's own writer (miniz) produces.
//
// Layout (docs/formats.md, "Embedded provenance records"): each entry is a local header, its name,
// a ZIP64 extra field when needed, an "FB" extra field (id 0x4246) whose 'Z' bytes pad the data
// start to the alignment (present even when the pad is 0), the data, and a data descriptor when
// the entry's flags have bit 3. Finish() appends the central directory, a ZIP64 end record, a
// ZIP64 locator and the classic end record (torch always writes the ZIP64 records too; the
// classic record holds 0xFFFF / 0xFFFFFFFF placeholders where a value does not fit).
//
// Copying an entry that torch wrote regenerates exactly the bytes torch wrote at the same offset,
// so a torch archive copied entry by entry is byte-identical up to the central directory. Such
// runs of entries (headers, data and descriptors that the source already holds, at the offsets
// they would get) are copied with one copy_file_range: file systems that share extents (XFS,
// btrfs) can then clone the blocks instead of copying them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/atomic_file.h"
#include "gitmodel/status.h"

namespace gitmodel {

inline constexpr uint32_t kZipDataAlignment = 64;
inline constexpr uint16_t kZipFlagUtf8 = 0x0800;

// What the central directory says about an entry, plus the local header's version and time.
struct ZipEntryMeta {
  std::string name;
  uint16_t version_needed = 0;
  uint16_t flags = 0;         // bit 3 set: sizes go in a data descriptor after the data, as miniz
  uint16_t method = 0;        // 0 stored, 8 deflated; the data is copied as it is
  uint16_t mod_time = 0;      // MS-DOS time and date
  uint16_t mod_date = 0;
  uint32_t crc32 = 0;
  uint64_t compressed_size = 0;
  uint64_t uncompressed_size = 0;
  uint32_t external_attributes = 0;
};

// Borrows `out`: it must outlive the writer. Entries are written at out's current offset; the
// central directory lists them in the order they were added. The caller commits `out` after
// Finish(). Not thread-safe.
class AlignedZipWriter {
 public:
  explicit AlignedZipWriter(AtomicFileWriter& out) : out_(out) {}

  // Writes a header for `meta`, then copies meta.compressed_size bytes from `source_fd` at
  // `data_offset` (the entry's data in the source file: copy_file_range, nothing passes through
  // user space), then the data descriptor if meta.flags has bit 3. When the source already holds
  // these exact bytes at the same offset, they are copied later, together with the neighbouring
  // entries (see above); `source_fd` must stay open until the next Add or Finish returns.
  // Errors: kInvalidArgument for a name longer than 65535 bytes or a stored entry whose sizes
  // differ; kIO.
  Status AddCopiedEntry(int source_fd, const ZipEntryMeta& meta, uint64_t data_offset);

  // Appends `data` as a stored entry: flags 0x0800 (UTF-8 name), CRC-32 and sizes in the local
  // header, no data descriptor, DOS time/date 0 (as torch).
  Status AddStoredEntry(std::string_view name, std::span<const std::byte> data);

  // Appends the central directory and the end records. Call once, after the last entry.
  Status Finish();

  size_t entry_count() const { return central_.size(); }
  // Where the next entry's local header goes.
  uint64_t offset() const { return out_.offset() + (verbatim_.end - verbatim_.begin); }

 private:
  struct Written {
    ZipEntryMeta meta;
    uint64_t local_header_offset = 0;
  };
  // Source bytes [begin, end) not yet copied; they go to the same offsets in the output.
  struct Verbatim {
    int fd = -1;
    uint64_t begin = 0, end = 0;
  };
  Status StartEntry(const ZipEntryMeta& meta);
  Status FlushVerbatim();

  AtomicFileWriter& out_;
  std::vector<Written> central_;
  Verbatim verbatim_;
  bool finished_ = false;
};

// The bytes AddCopiedEntry/AddStoredEntry write for `meta` with its local header at `offset`:
// the local header up to the data, and the data descriptor after it (empty without flag bit 3).
std::vector<std::byte> ZipLocalHeader(const ZipEntryMeta& meta, uint64_t offset);
std::vector<std::byte> ZipDataDescriptor(const ZipEntryMeta& meta, uint64_t offset);

}  // namespace gitmodel
