#include "formats/zip_writer.h"

#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>

#include "formats/zip_reader.h"  // QuoteZipName

namespace gitmodel {
namespace {

constexpr uint32_t kLocalSig = 0x04034b50;
constexpr uint32_t kCentralSig = 0x02014b50;
constexpr uint32_t kDescriptorSig = 0x08074b50;
constexpr uint32_t kZip64EndSig = 0x06064b50;
constexpr uint32_t kZip64LocatorSig = 0x07064b50;
constexpr uint32_t kEndSig = 0x06054b50;
constexpr uint16_t kZip64ExtraId = 0x0001;
constexpr uint16_t kPaddingExtraId = 0x4246;  // "FB", torch's padding field
constexpr uint64_t kLocalHeaderSize = 30;
constexpr uint32_t kU32Max = 0xFFFFFFFF;
constexpr uint16_t kU16Max = 0xFFFF;
constexpr uint16_t kZip64MadeBy = 0x031E, kZip64Needed = 45;  // as torch (miniz) writes them

// Little-endian bytes being assembled.
struct LeBytes {
  std::vector<std::byte> bytes;
  template <typename T>
  void Put(T value) {
    for (size_t i = 0; i < sizeof(T); ++i) bytes.push_back(static_cast<std::byte>((value >> (8 * i)) & 0xFF));
  }
  void Put(std::string_view text) {
    for (char c : text) bytes.push_back(static_cast<std::byte>(c));
  }
};

uint32_t Clamp32(uint64_t v) { return static_cast<uint32_t>(std::min<uint64_t>(v, kU32Max)); }
bool HasDescriptor(const ZipEntryMeta& m) { return (m.flags & 0x0008) != 0; }
bool BigSize(const ZipEntryMeta& m) { return m.uncompressed_size >= kU32Max || m.compressed_size >= kU32Max; }

// The local ZIP64 extra field's values. With a data descriptor this is miniz's choice (sizes when
// they are large, the header offset when it is); otherwise the standard one (both sizes).
std::vector<uint64_t> LocalZip64Values(const ZipEntryMeta& m, uint64_t offset) {
  std::vector<uint64_t> values;
  if (BigSize(m)) values = {m.uncompressed_size, m.compressed_size};
  if (HasDescriptor(m) && offset >= kU32Max) values.push_back(offset);
  return values;
}

void PutExtra(LeBytes& out, uint16_t id, const std::vector<uint64_t>& values) {
  if (values.empty()) return;
  out.Put(id);
  out.Put(static_cast<uint16_t>(8 * values.size()));
  for (uint64_t v : values) out.Put(v);
}

// Whether `source_fd` holds exactly `expected` at `offset`.
bool SourceHolds(int source_fd, uint64_t offset, std::span<const std::byte> expected) {
  std::vector<std::byte> actual(expected.size());
  for (size_t done = 0; done < actual.size();) {
    ssize_t n = pread(source_fd, actual.data() + done, actual.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return std::equal(actual.begin(), actual.end(), expected.begin());
}

Status CheckMeta(const ZipEntryMeta& m) {
  if (m.name.empty() || m.name.size() > kU16Max)
    return InvalidArgument("zip entry name of {} bytes: it must have 1 to 65535 bytes", m.name.size());
  if (m.method == 0 && m.compressed_size != m.uncompressed_size)
    return InvalidArgument("stored zip entry {} has {} compressed and {} uncompressed bytes", QuoteZipName(m.name),
                           m.compressed_size, m.uncompressed_size);
  return OkStatus();
}

// A central-directory header: real CRC and sizes, 0xFFFFFFFF placeholders for values that need
// the ZIP64 extra field, whose values follow in the order the placeholders appear (APPNOTE 4.5.3).
void AppendCentralEntry(LeBytes& cd, const ZipEntryMeta& m, uint64_t local_header_offset) {
  std::vector<uint64_t> zip64;
  if (m.uncompressed_size >= kU32Max) zip64.push_back(m.uncompressed_size);
  if (m.compressed_size >= kU32Max) zip64.push_back(m.compressed_size);
  if (local_header_offset >= kU32Max) zip64.push_back(local_header_offset);
  cd.Put(kCentralSig);
  cd.Put(uint16_t{0});  // version made by: 0, as torch writes it
  cd.Put(m.version_needed);
  cd.Put(m.flags);
  cd.Put(m.method);
  cd.Put(m.mod_time);
  cd.Put(m.mod_date);
  cd.Put(m.crc32);
  cd.Put(Clamp32(m.compressed_size));
  cd.Put(Clamp32(m.uncompressed_size));
  cd.Put(static_cast<uint16_t>(m.name.size()));
  cd.Put(static_cast<uint16_t>(zip64.empty() ? 0 : 4 + 8 * zip64.size()));
  cd.Put(uint16_t{0});  // comment length
  cd.Put(uint16_t{0});  // disk
  cd.Put(uint16_t{0});  // internal attributes
  cd.Put(m.external_attributes);
  cd.Put(Clamp32(local_header_offset));
  cd.Put(std::string_view(m.name));
  PutExtra(cd, kZip64ExtraId, zip64);
}

// ZIP64 end record and locator (always, as torch), then the classic end record.
void AppendEndRecords(LeBytes& e, uint64_t count, uint64_t cd_offset, uint64_t cd_size) {
  const uint64_t zip64_end = cd_offset + cd_size;
  e.Put(kZip64EndSig);
  e.Put(uint64_t{44});  // size of the rest of the record
  e.Put(kZip64MadeBy);
  e.Put(kZip64Needed);
  e.Put(uint32_t{0});  // this disk
  e.Put(uint32_t{0});  // disk of the central directory
  e.Put(count);
  e.Put(count);
  e.Put(cd_size);
  e.Put(cd_offset);
  e.Put(kZip64LocatorSig);
  e.Put(uint32_t{0});
  e.Put(zip64_end);
  e.Put(uint32_t{1});  // total disks
  const uint16_t count16 = static_cast<uint16_t>(std::min<uint64_t>(count, kU16Max));
  e.Put(kEndSig);
  e.Put(uint32_t{0});  // disk numbers
  e.Put(count16);
  e.Put(count16);
  e.Put(Clamp32(cd_size));
  e.Put(Clamp32(cd_offset));
  e.Put(uint16_t{0});  // comment length
}

}  // namespace

std::vector<std::byte> ZipLocalHeader(const ZipEntryMeta& m, uint64_t offset) {
  const bool descriptor = HasDescriptor(m);
  const std::vector<uint64_t> zip64 = LocalZip64Values(m, offset);
  const uint64_t zip64_len = zip64.empty() ? 0 : 4 + 8 * zip64.size();
  const uint64_t start = offset + kLocalHeaderSize + m.name.size() + zip64_len + 4;
  const uint16_t pad = static_cast<uint16_t>((kZipDataAlignment - start % kZipDataAlignment) % kZipDataAlignment);
  LeBytes h;
  h.Put(kLocalSig);
  h.Put(m.version_needed);
  h.Put(m.flags);
  h.Put(m.method);
  h.Put(m.mod_time);
  h.Put(m.mod_date);
  h.Put(descriptor ? uint32_t{0} : m.crc32);  // miniz leaves CRC and sizes to the descriptor
  h.Put(descriptor ? uint32_t{0} : BigSize(m) ? kU32Max : static_cast<uint32_t>(m.compressed_size));
  h.Put(descriptor ? uint32_t{0} : BigSize(m) ? kU32Max : static_cast<uint32_t>(m.uncompressed_size));
  h.Put(static_cast<uint16_t>(m.name.size()));
  h.Put(static_cast<uint16_t>(zip64_len + 4 + pad));
  h.Put(std::string_view(m.name));
  PutExtra(h, kZip64ExtraId, zip64);
  h.Put(kPaddingExtraId);
  h.Put(pad);
  h.bytes.insert(h.bytes.end(), pad, std::byte{'Z'});
  return std::move(h.bytes);
}

// miniz's descriptor: signature, CRC, then 8-byte sizes when the entry needed ZIP64, else 4-byte.
std::vector<std::byte> ZipDataDescriptor(const ZipEntryMeta& m, uint64_t offset) {
  if (!HasDescriptor(m)) return {};
  LeBytes d;
  d.Put(kDescriptorSig);
  d.Put(m.crc32);
  if (BigSize(m) || offset >= kU32Max) {
    d.Put(m.compressed_size);
    d.Put(m.uncompressed_size);
  } else {
    d.Put(static_cast<uint32_t>(m.compressed_size));
    d.Put(static_cast<uint32_t>(m.uncompressed_size));
  }
  return std::move(d.bytes);
}

Status AlignedZipWriter::StartEntry(const ZipEntryMeta& meta) {
  if (finished_) return InvalidArgument("zip writer: entry {} added after Finish", QuoteZipName(meta.name));
  GM_RETURN_IF_ERROR(CheckMeta(meta));
  central_.push_back({meta, offset()});
  return OkStatus();
}

Status AlignedZipWriter::FlushVerbatim() {
  if (verbatim_.fd < 0) return OkStatus();
  const Verbatim run = verbatim_;
  verbatim_ = Verbatim();
  return out_.CopyFrom(run.fd, run.begin, run.end - run.begin);
}

Status AlignedZipWriter::AddCopiedEntry(int source_fd, const ZipEntryMeta& meta, uint64_t data_offset) {
  GM_RETURN_IF_ERROR(StartEntry(meta));
  const uint64_t at = central_.back().local_header_offset;
  const std::vector<std::byte> header = ZipLocalHeader(meta, at);
  const std::vector<std::byte> descriptor = ZipDataDescriptor(meta, at);
  // Already in the source, at the same offset: extend the run copied in one piece.
  const bool same_place = data_offset == at + header.size() && (verbatim_.fd < 0 || verbatim_.fd == source_fd);
  if (same_place && SourceHolds(source_fd, at, header) &&
      SourceHolds(source_fd, data_offset + meta.compressed_size, descriptor)) {
    if (verbatim_.fd < 0) verbatim_ = {source_fd, at, at};
    verbatim_.end = data_offset + meta.compressed_size + descriptor.size();
    return OkStatus();
  }
  GM_RETURN_IF_ERROR(FlushVerbatim());
  GM_RETURN_IF_ERROR(out_.Write(std::span<const std::byte>(header)));
  GM_RETURN_IF_ERROR(out_.CopyFrom(source_fd, data_offset, meta.compressed_size));
  return out_.Write(std::span<const std::byte>(descriptor));
}

Status AlignedZipWriter::AddStoredEntry(std::string_view name, std::span<const std::byte> data) {
  ZipEntryMeta meta;
  meta.name = std::string(name);
  meta.flags = kZipFlagUtf8;
  meta.compressed_size = meta.uncompressed_size = data.size();
  // zlib's crc32 takes at most 4 GiB - 1 bytes per call.
  uLong crc = crc32(0L, Z_NULL, 0);
  for (size_t done = 0; done < data.size();) {
    const size_t n = std::min<size_t>(data.size() - done, 1u << 30);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(data.data() + done), static_cast<uInt>(n));
    done += n;
  }
  meta.crc32 = static_cast<uint32_t>(crc);
  GM_RETURN_IF_ERROR(StartEntry(meta));
  GM_RETURN_IF_ERROR(FlushVerbatim());
  GM_RETURN_IF_ERROR(out_.Write(std::span<const std::byte>(ZipLocalHeader(meta, out_.offset()))));
  return out_.Write(data);
}

Status AlignedZipWriter::Finish() {
  if (finished_) return InvalidArgument("zip writer: Finish called twice");
  finished_ = true;
  GM_RETURN_IF_ERROR(FlushVerbatim());
  const uint64_t cd_offset = out_.offset();
  LeBytes records;
  for (const Written& w : central_) AppendCentralEntry(records, w.meta, w.local_header_offset);
  AppendEndRecords(records, central_.size(), cd_offset, records.bytes.size());
  return out_.Write(std::span<const std::byte>(records.bytes));
}

}  // namespace gitmodel
