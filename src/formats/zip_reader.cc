#include "formats/zip_reader.h"

#include <cstring>

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <memory>
#include <optional>

#include "base/byte_reader.h"

namespace gitmodel {
namespace {

constexpr uint32_t kLocalSig = 0x04034b50;
constexpr uint32_t kCentralSig = 0x02014b50;
constexpr uint32_t kEocdSig = 0x06054b50;
constexpr uint32_t kZip64EocdSig = 0x06064b50;
constexpr uint32_t kZip64LocatorSig = 0x07064b50;
constexpr uint64_t kLocalHeaderSize = 30;
constexpr uint64_t kCentralHeaderSize = 46;
constexpr uint64_t kEocdSize = 22;
constexpr uint64_t kZip64LocatorSize = 20;
constexpr uint64_t kZip64EocdSize = 56;
constexpr uint64_t kMaxCommentLength = 0xFFFF;
constexpr uint16_t kZip64ExtraId = 0x0001;
constexpr uint16_t kU16Max = 0xFFFF;
constexpr uint32_t kU32Max = 0xFFFFFFFF;

// Where the central directory is, from the end records.
struct DirectoryLocation {
  uint64_t entry_count = 0;
  uint64_t cd_offset = 0;
  uint64_t cd_size = 0;
  uint64_t end_records_offset = 0;  // first byte of the ZIP64 end record, else of the classic one
};

// The fields of the classic end record, before ZIP64 values replace its sentinels.
struct ClassicEnd {
  uint64_t offset = 0;
  uint16_t disk = 0, cd_disk = 0, entries_on_disk = 0, entries = 0;
  uint32_t cd_size = 0, cd_offset = 0;
  bool NeedsZip64() const {
    return disk == kU16Max || cd_disk == kU16Max || entries_on_disk == kU16Max || entries == kU16Max ||
           cd_size == kU32Max || cd_offset == kU32Max;
  }
};

// The classic end record is the last signature whose comment reaches exactly to the end of file.
Result<ClassicEnd> FindClassicEnd(const ByteView& file) {
  if (file.size() >= kEocdSize) {
    const uint64_t last = file.size() - kEocdSize;
    const uint64_t first = last > kMaxCommentLength ? last - kMaxCommentLength : 0;
    for (uint64_t pos = last + 1; pos-- > first;) {
      if (*file.Read<uint32_t>(pos) != kEocdSig) continue;
      if (pos + kEocdSize + *file.Read<uint16_t>(pos + 20) != file.size()) continue;
      return ClassicEnd{pos,
                        *file.Read<uint16_t>(pos + 4),  *file.Read<uint16_t>(pos + 6),
                        *file.Read<uint16_t>(pos + 8),  *file.Read<uint16_t>(pos + 10),
                        *file.Read<uint32_t>(pos + 12), *file.Read<uint32_t>(pos + 16)};
    }
  }
  return Corrupt("not a zip file: no end-of-central-directory record");
}

// A classic field that is not its sentinel must agree with the ZIP64 value.
Status CheckAgrees(const char* what, uint64_t classic, uint64_t sentinel, uint64_t zip64) {
  if (classic == sentinel || classic == zip64) return OkStatus();
  return Corrupt("zip end records disagree: the classic record says {} is {}, the ZIP64 record says {}",
                 what, classic, zip64);
}

// Returns the offset of the ZIP64 end record named by the locator just before the classic one,
// or nullopt when there is no locator.
Result<std::optional<uint64_t>> FindZip64End(const ByteView& file, uint64_t eocd_offset) {
  if (eocd_offset < kZip64LocatorSize) return std::optional<uint64_t>();
  const uint64_t locator = eocd_offset - kZip64LocatorSize;
  if (*file.Read<uint32_t>(locator) != kZip64LocatorSig) return std::optional<uint64_t>();
  const uint32_t disk = *file.Read<uint32_t>(locator + 4);
  const uint64_t offset = *file.Read<uint64_t>(locator + 8);
  const uint32_t disks = *file.Read<uint32_t>(locator + 16);
  if (disk != 0 || disks > 1) {
    return Unsupported("multi-disk zip archives are not supported (ZIP64 locator names disk {} of {})",
                       disk, disks);
  }
  if (locator < kZip64EocdSize || offset > locator - kZip64EocdSize) {
    return Corrupt("ZIP64 locator points at offset {}, which leaves no room for the ZIP64 end record "
                   "before the locator at offset {}", offset, locator);
  }
  if (*file.Read<uint32_t>(offset) != kZip64EocdSig) {
    return Corrupt("no ZIP64 end-of-central-directory record at offset {}, where the locator points",
                   offset);
  }
  const uint64_t record_size = *file.Read<uint64_t>(offset + 4);
  if (record_size < kZip64EocdSize - 12 || record_size > locator - offset - 12) {
    return Corrupt("ZIP64 end record at offset {} declares a size of {} bytes; it must be at least 44 "
                   "and end before the locator at offset {}", offset, record_size, locator);
  }
  return std::optional<uint64_t>(offset);
}

Status ApplyZip64End(const ByteView& file, uint64_t offset, const ClassicEnd& classic,
                     DirectoryLocation* loc) {
  const uint32_t disk = *file.Read<uint32_t>(offset + 16);
  const uint32_t cd_disk = *file.Read<uint32_t>(offset + 20);
  const uint64_t entries_on_disk = *file.Read<uint64_t>(offset + 24);
  loc->entry_count = *file.Read<uint64_t>(offset + 32);
  loc->cd_size = *file.Read<uint64_t>(offset + 40);
  loc->cd_offset = *file.Read<uint64_t>(offset + 48);
  loc->end_records_offset = offset;
  if (disk != 0 || cd_disk != 0) {
    return Unsupported("multi-disk zip archives are not supported (ZIP64 end record names disk {})",
                       std::max(disk, cd_disk));
  }
  if (entries_on_disk != loc->entry_count) {
    return Corrupt("ZIP64 end record counts {} entries on this disk but {} in total", entries_on_disk,
                   loc->entry_count);
  }
  GM_RETURN_IF_ERROR(CheckAgrees("the entry count", classic.entries, kU16Max, loc->entry_count));
  GM_RETURN_IF_ERROR(CheckAgrees("the central directory size", classic.cd_size, kU32Max, loc->cd_size));
  return CheckAgrees("the central directory offset", classic.cd_offset, kU32Max, loc->cd_offset);
}

Status CheckDirectoryBounds(const ByteView& file, const DirectoryLocation& loc) {
  const uint64_t end = loc.end_records_offset;
  if (loc.cd_offset > end || loc.cd_size > end - loc.cd_offset) {
    return Corrupt("zip central directory (offset {}, {} bytes) extends past its end record at offset {} "
                   "in a file of {} bytes", loc.cd_offset, loc.cd_size, end, file.size());
  }
  if (loc.entry_count > kZipMaxEntries) {
    return LimitExceeded("zip archive declares {} entries; the limit is {}", loc.entry_count,
                         kZipMaxEntries);
  }
  if (loc.entry_count > loc.cd_size / kCentralHeaderSize) {
    return Corrupt("zip central directory of {} bytes cannot hold the {} entries it declares", loc.cd_size,
                   loc.entry_count);
  }
  return OkStatus();
}

Result<DirectoryLocation> LocateCentralDirectory(const ByteView& file) {
  GM_ASSIGN_OR_RETURN(ClassicEnd classic, FindClassicEnd(file));
  GM_ASSIGN_OR_RETURN(std::optional<uint64_t> zip64_end, FindZip64End(file, classic.offset));
  DirectoryLocation loc{classic.entries, classic.cd_offset, classic.cd_size, classic.offset};
  if (zip64_end) {
    GM_RETURN_IF_ERROR(ApplyZip64End(file, *zip64_end, classic, &loc));
  } else if (classic.NeedsZip64()) {
    return Corrupt("zip end record at offset {} holds ZIP64 placeholder values but no ZIP64 locator "
                   "precedes it", classic.offset);
  } else if (classic.disk != 0 || classic.cd_disk != 0) {
    return Unsupported("multi-disk zip archives are not supported (end record names disk {})",
                       std::max(classic.disk, classic.cd_disk));
  } else if (classic.entries_on_disk != classic.entries) {
    return Corrupt("zip end record counts {} entries on this disk but {} in total",
                   classic.entries_on_disk, classic.entries);
  }
  GM_RETURN_IF_ERROR(CheckDirectoryBounds(file, loc));
  return loc;
}

// Names an entry in Open's messages.
std::string Describe(size_t index, std::string_view name) {
  return fmt::format("zip central directory entry {} ({})", index, QuoteZipName(name));
}

// Reads the ZIP64 extra field (APPNOTE 4.5.3): 8-byte values for exactly the fields whose 32-bit
// central value is 0xFFFFFFFF, in the order uncompressed, compressed, offset, then a 4-byte disk.
Status ReadZip64Values(std::span<const std::byte> field, const std::string& what, ZipEntry* e,
                       uint32_t* disk) {
  const ByteView values(field);
  uint64_t at = 0;
  for (uint64_t* value : {&e->uncompressed_size, &e->compressed_size, &e->local_header_offset}) {
    if (*value != kU32Max) continue;
    auto v = values.Read<uint64_t>(at);
    if (!v) return Corrupt("{} has a ZIP64 extra field too short for the values it must hold", what);
    *value = *v;
    at += 8;
  }
  if (*disk != kU16Max) return OkStatus();
  auto v = values.Read<uint32_t>(at);
  if (!v) return Corrupt("{} has a ZIP64 extra field too short for the values it must hold", what);
  *disk = *v;
  return OkStatus();
}

// Walks the central extra fields of `e`, applying the one ZIP64 field if present.
Status ApplyZip64Extra(std::span<const std::byte> extra, uint16_t disk_start, const std::string& what,
                       ZipEntry* e) {
  const bool needs_zip64 = e->uncompressed_size == kU32Max || e->compressed_size == kU32Max ||
                           e->local_header_offset == kU32Max || disk_start == kU16Max;
  uint32_t disk = disk_start;
  bool seen = false;
  const ByteView view(extra);
  for (uint64_t pos = 0; pos < view.size();) {
    auto id = view.Read<uint16_t>(pos);
    auto len = view.Read<uint16_t>(pos + 2);
    if (!id || !len || !view.Contains(pos + 4, *len)) {
      return Corrupt("{} has a malformed extra field (the field at byte {} runs past its end)", what, pos);
    }
    if (*id == kZip64ExtraId) {
      if (seen) return Corrupt("{} has two ZIP64 extra fields", what);
      seen = true;
      GM_RETURN_IF_ERROR(ReadZip64Values(*view.Slice(pos + 4, *len), what, e, &disk));
    }
    pos += 4 + *len;
  }
  if (needs_zip64 && !seen) return Corrupt("{} has ZIP64 placeholder values but no ZIP64 extra field", what);
  if (disk != 0) return Unsupported("{} starts on disk {}; multi-disk zips are not supported", what, disk);
  return OkStatus();
}

Status CheckName(std::string_view name, size_t index) {
  if (name.empty()) return Corrupt("zip central directory entry {} has an empty name", index);
  if (name.size() > kZipMaxNameLength) {
    return LimitExceeded("zip central directory entry {} has a name of {} bytes; the limit is {}", index,
                         name.size(), kZipMaxNameLength);
  }
  if (name.find('\0') != std::string_view::npos) {
    return Corrupt("{} has a NUL byte in its name", Describe(index, name));
  }
  return OkStatus();
}

// Parses the central entry at *pos (inside [*pos, cd_end)) and advances *pos past it.
Result<ZipEntry> ParseCentralEntry(const ByteView& file, uint64_t* pos, uint64_t cd_end, size_t index) {
  const uint64_t at = *pos;
  if (cd_end - at < kCentralHeaderSize || *file.Read<uint32_t>(at) != kCentralSig) {
    return Corrupt("zip central directory entry {} at offset {} is missing or truncated", index, at);
  }
  const uint16_t name_len = *file.Read<uint16_t>(at + 28);
  const uint64_t extra_len = *file.Read<uint16_t>(at + 30);
  const uint64_t comment_len = *file.Read<uint16_t>(at + 32);
  if (kCentralHeaderSize + name_len + extra_len + comment_len > cd_end - at) {
    return Corrupt("zip central directory entry {} at offset {} runs past the end of the directory", index,
                   at);
  }
  ZipEntry e;
  e.name = std::string(*file.Text(at + kCentralHeaderSize, name_len));
  GM_RETURN_IF_ERROR(CheckName(e.name, index));
  e.flags = *file.Read<uint16_t>(at + 8);
  e.method = *file.Read<uint16_t>(at + 10);
  e.crc32 = *file.Read<uint32_t>(at + 16);
  e.compressed_size = *file.Read<uint32_t>(at + 20);
  e.uncompressed_size = *file.Read<uint32_t>(at + 24);
  e.local_header_offset = *file.Read<uint32_t>(at + 42);
  const std::string what = Describe(index, e.name);
  GM_RETURN_IF_ERROR(ApplyZip64Extra(*file.Slice(at + kCentralHeaderSize + name_len, extra_len),
                                     *file.Read<uint16_t>(at + 34), what, &e));
  if (e.method == kZipMethodStored && e.compressed_size != e.uncompressed_size) {
    return Corrupt("{} is stored but records {} compressed and {} uncompressed bytes", what,
                   e.compressed_size, e.uncompressed_size);
  }
  *pos = at + kCentralHeaderSize + name_len + extra_len + comment_len;
  return e;
}

// Copies the local header of `e` (fixed part and name) out of the file: through `headers` when
// given (no page of the mapping is touched), else from the view.
Result<std::vector<std::byte>> CopyLocalHeader(const ByteView& file, const PositionalReader* headers,
                                               const ZipEntry& e, const std::string& what) {
  const uint64_t at = e.local_header_offset;
  if (at >= file.size()) {
    return Corrupt("{} claims local header at offset {}, beyond the file's {} bytes", what, at, file.size());
  }
  if (!file.Contains(at, kLocalHeaderSize)) {
    return Corrupt("{} has a truncated local header at offset {}", what, at);
  }
  auto copy = [&](uint64_t offset, uint64_t n, std::vector<std::byte>& out) {
    size_t old = out.size();
    out.resize(old + n);
    if (headers) return headers->ReadAt(offset, std::span(out).subspan(old));
    std::memcpy(out.data() + old, file.span().data() + offset, n);
    return true;
  };
  std::vector<std::byte> header;
  if (!copy(at, kLocalHeaderSize, header)) return Corrupt("{}: cannot read its local header at offset {}", what, at);
  const uint64_t name_len = *ByteView(header).Read<uint16_t>(26);
  if (file.Contains(at + kLocalHeaderSize, name_len) && !copy(at + kLocalHeaderSize, name_len, header))
    return Corrupt("{}: cannot read its local header at offset {}", what, at);
  return header;
}

// Reads the local header of an entry and returns its data offset. `what` names the entry.
Result<uint64_t> LocalDataOffset(const ByteView& file, const PositionalReader* headers, const ZipEntry& e,
                                 const std::string& what) {
  const uint64_t at = e.local_header_offset;
  GM_ASSIGN_OR_RETURN(std::vector<std::byte> bytes, CopyLocalHeader(file, headers, e, what));
  const ByteView header(bytes);
  if (*header.Read<uint32_t>(0) != kLocalSig) {
    return Corrupt("{} has no local header signature at offset {}", what, at);
  }
  const uint64_t name_len = *header.Read<uint16_t>(26);
  const uint64_t extra_len = *header.Read<uint16_t>(28);
  const uint64_t data = at + kLocalHeaderSize + name_len + extra_len;
  auto local_name = header.Text(kLocalHeaderSize, name_len);
  if (!local_name || !file.Contains(data, e.compressed_size)) {
    return Corrupt("{} has {} bytes of data at offset {} (after its local header's {}-byte name and {}-byte "
                   "extra field), past the end of the file's {} bytes", what, e.compressed_size, data,
                   name_len, extra_len, file.size());
  }
  if (*local_name != e.name) {
    return Corrupt("{} is named {} in its local header", what, QuoteZipName(*local_name));
  }
  return data;
}

// Entries (local header through data) must be disjoint and lie before the central directory, so
// no byte is shared between two entries (the overlapping-entry zip bomb) or with the directory.
Status CheckNoOverlap(const std::vector<ZipEntry>& entries, uint64_t cd_offset) {
  std::vector<size_t> order(entries.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return entries[a].local_header_offset < entries[b].local_header_offset;
  });
  for (size_t k = 0; k < order.size(); ++k) {
    const ZipEntry& e = entries[order[k]];
    const uint64_t end = e.data_offset + e.compressed_size;
    const uint64_t next = k + 1 < order.size() ? entries[order[k + 1]].local_header_offset : cd_offset;
    if (end <= next) continue;
    if (k + 1 == order.size()) {
      return Corrupt("zip entry {} (bytes {}..{}) overlaps the central directory at offset {}",
                     QuoteZipName(e.name), e.local_header_offset, end, cd_offset);
    }
    const ZipEntry& n = entries[order[k + 1]];
    return Corrupt("zip entries {} (bytes {}..{}) and {} (from byte {}) overlap", QuoteZipName(e.name),
                   e.local_header_offset, end, QuoteZipName(n.name), n.local_header_offset);
  }
  return OkStatus();
}

Result<std::vector<ZipEntry>> ParseCentralDirectory(const ByteView& file, const PositionalReader* headers,
                                                    const DirectoryLocation& loc) {
  std::vector<ZipEntry> entries;
  entries.reserve(loc.entry_count);  // bounded by CheckDirectoryBounds
  uint64_t pos = loc.cd_offset;
  const uint64_t cd_end = loc.cd_offset + loc.cd_size;
  for (size_t i = 0; i < loc.entry_count; ++i) {
    GM_ASSIGN_OR_RETURN(ZipEntry e, ParseCentralEntry(file, &pos, cd_end, i));
    GM_ASSIGN_OR_RETURN(e.data_offset, LocalDataOffset(file, headers, e, Describe(i, e.name)));
    entries.push_back(std::move(e));
  }
  if (pos != cd_end) {
    return Corrupt("zip central directory declares {} bytes but its {} entries use {}", loc.cd_size,
                   loc.entry_count, pos - loc.cd_offset);
  }
  GM_RETURN_IF_ERROR(CheckNoOverlap(entries, loc.cd_offset));
  return entries;
}

struct InflateEnd {
  void operator()(z_stream* zs) const { inflateEnd(zs); }
};

}  // namespace

std::string QuoteZipName(std::string_view name) {
  constexpr size_t kMaxShown = 200;
  std::string out = "'";
  for (size_t i = 0; i < name.size() && i < kMaxShown; ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (c < 0x20 || c >= 0x7f || c == '\'' || c == '\\') {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  out += name.size() > kMaxShown ? "'..." : "'";
  return out;
}

Result<ZipArchive> ZipArchive::Open(std::span<const std::byte> file, const PositionalReader* headers) {
  const ByteView view(file);
  GM_ASSIGN_OR_RETURN(DirectoryLocation loc, LocateCentralDirectory(view));
  GM_ASSIGN_OR_RETURN(std::vector<ZipEntry> entries, ParseCentralDirectory(view, headers, loc));
  return ZipArchive(file, std::move(entries));
}

Result<uint64_t> ZipArchive::DataOffset(const ZipEntry& e) const {
  return LocalDataOffset(ByteView(file_), nullptr, e, fmt::format("zip entry {}", QuoteZipName(e.name)));
}

Result<std::span<const std::byte>> ZipArchive::CompressedData(const ZipEntry& e) const {
  if (e.flags & (kZipFlagEncrypted | kZipFlagStrongEncryption)) {
    return Unsupported("zip entry {} is encrypted", QuoteZipName(e.name));
  }
  auto data = ByteView(file_).Slice(e.data_offset, e.compressed_size);
  if (!data) {
    return Corrupt("zip entry {} has {} bytes of data at offset {}, past the end of the file's {} bytes",
                   QuoteZipName(e.name), e.compressed_size, e.data_offset, file_.size());
  }
  return *data;
}

Result<std::span<const std::byte>> ZipArchive::StoredData(const ZipEntry& e) const {
  GM_ASSIGN_OR_RETURN(std::span<const std::byte> data, CompressedData(e));
  if (e.method != kZipMethodStored) {
    return Unsupported("zip entry {} uses compression method {}, not stored (0)", QuoteZipName(e.name),
                       e.method);
  }
  return data;
}

Result<std::vector<std::byte>> ZipArchive::Inflate(const ZipEntry& e, uint64_t max_output) const {
  GM_ASSIGN_OR_RETURN(std::span<const std::byte> in, CompressedData(e));
  if (e.method != kZipMethodDeflated) {
    return Unsupported("zip entry {} uses compression method {}, not deflate (8)", QuoteZipName(e.name),
                       e.method);
  }
  if (e.uncompressed_size > max_output) {
    return LimitExceeded("zip entry {} inflates to {} bytes, over the limit of {}", QuoteZipName(e.name),
                         e.uncompressed_size, max_output);
  }
  z_stream zs{};
  if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) return Status(Code::kIO, "zlib inflateInit2 failed");
  std::unique_ptr<z_stream, InflateEnd> guard(&zs);
  std::vector<std::byte> out(e.uncompressed_size);
  std::byte overflow_probe{};
  uint64_t in_pos = 0, out_pos = 0;
  for (;;) {
    const uInt in_chunk = static_cast<uInt>(std::min<uint64_t>(in.size() - in_pos, UINT_MAX));
    const bool full = out_pos == out.size();
    const uInt out_chunk = full ? 1 : static_cast<uInt>(std::min<uint64_t>(out.size() - out_pos, UINT_MAX));
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(in.data() + in_pos));
    zs.avail_in = in_chunk;
    zs.next_out = reinterpret_cast<Bytef*>(full ? &overflow_probe : out.data() + out_pos);
    zs.avail_out = out_chunk;
    const int rc = inflate(&zs, Z_NO_FLUSH);
    const uint64_t consumed = in_chunk - zs.avail_in, produced = out_chunk - zs.avail_out;
    in_pos += consumed;
    if (full && produced > 0) {
      return Corrupt("zip entry {} inflates to more than its recorded {} bytes", QuoteZipName(e.name),
                     e.uncompressed_size);
    }
    out_pos += produced;
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return Corrupt("zip entry {} has invalid deflate data: {}", QuoteZipName(e.name),
                     zs.msg ? zs.msg : "unknown zlib error");
    }
    if (consumed == 0 && produced == 0) {  // zlib can go no further: the input ran out
      return Corrupt("zip entry {} has a truncated deflate stream ({} compressed bytes)",
                     QuoteZipName(e.name), in.size());
    }
  }
  if (out_pos != out.size()) {
    return Corrupt("zip entry {} inflates to {} bytes, but its recorded size is {}", QuoteZipName(e.name),
                   out_pos, e.uncompressed_size);
  }
  return out;
}

}  // namespace gitmodel
