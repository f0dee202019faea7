// The lenient zip walk of scan_zip.h.
#include "scan/scan_zip.h"

#include <zlib.h>

#include <algorithm>
#include <memory>

#include <fmt/core.h>

#include "base/byte_reader.h"
#include "formats/zip_reader.h"

namespace gitmodel {
namespace {

constexpr uint32_t kLocalSig = 0x04034b50, kCentralSig = 0x02014b50, kEndSig = 0x06054b50;
constexpr uint64_t kLocalHeaderSize = 30, kCentralHeaderSize = 46, kEndSize = 22;

Result<ScanZip> FromStrict(const ZipArchive& zip, size_t max_entries) {
  ScanZip out;
  for (const ZipEntry& e : zip.entries()) {
    if (out.entries.size() >= max_entries) { ++out.skipped; continue; }
    out.entries.push_back({e.name, e.data_offset, e.compressed_size, e.method, e.flags});
  }
  return out;
}

Result<uint64_t> FindEnd(const ByteView& file) {
  if (file.size() < kEndSize) return Corrupt("not a zip file: too short");
  const uint64_t lowest = file.size() > kEndSize + 65535 ? file.size() - kEndSize - 65535 : 0;
  for (uint64_t at = file.size() - kEndSize + 1; at-- > lowest;)
    if (file.Read<uint32_t>(at) == kEndSig) return at;
  return Corrupt("not a zip file: no end-of-central-directory record");
}

// One central entry at *pos; false (with the entry skipped) when its local header or data lie
// outside the file.
Result<bool> ReadLenientEntry(const ByteView& file, uint64_t* pos, uint64_t cd_end, ScanZipEntry* e) {
  const uint64_t at = *pos;
  if (at + kCentralHeaderSize > cd_end || file.Read<uint32_t>(at) != kCentralSig)
    return Corrupt("zip central directory entry at offset {} is missing or truncated", at);
  const uint64_t name_len = *file.Read<uint16_t>(at + 28), extra_len = *file.Read<uint16_t>(at + 30),
                 comment_len = *file.Read<uint16_t>(at + 32);
  if (at + kCentralHeaderSize + name_len + extra_len + comment_len > cd_end)
    return Corrupt("zip central directory entry at offset {} runs past the directory", at);
  e->name = std::string(*file.Text(at + kCentralHeaderSize, name_len));
  e->flags = *file.Read<uint16_t>(at + 8);
  e->method = *file.Read<uint16_t>(at + 10);
  e->compressed_size = *file.Read<uint32_t>(at + 20);
  const uint64_t local = *file.Read<uint32_t>(at + 42);
  *pos = at + kCentralHeaderSize + name_len + extra_len + comment_len;
  if (file.Read<uint32_t>(local) != kLocalSig || !file.Contains(local, kLocalHeaderSize)) return false;
  e->data_offset = local + kLocalHeaderSize + *file.Read<uint16_t>(local + 26) + *file.Read<uint16_t>(local + 28);
  return file.Contains(e->data_offset, e->compressed_size);
}

Result<ScanZip> OpenLenient(const ByteView& file, size_t max_entries) {
  GM_ASSIGN_OR_RETURN(uint64_t end, FindEnd(file));
  const uint64_t count = *file.Read<uint16_t>(end + 10), cd_size = *file.Read<uint32_t>(end + 12),
                 cd_offset = *file.Read<uint32_t>(end + 16);
  if (!file.Contains(cd_offset, cd_size)) return Corrupt("zip central directory lies outside the file");
  ScanZip out;
  uint64_t pos = cd_offset;
  for (uint64_t i = 0; i < count; ++i) {
    ScanZipEntry e;
    GM_ASSIGN_OR_RETURN(bool inside, ReadLenientEntry(file, &pos, cd_offset + cd_size, &e));
    if (!inside || out.entries.size() >= max_entries) { ++out.skipped; continue; }
    out.entries.push_back(std::move(e));
  }
  return out;
}

struct InflateEnd {
  void operator()(z_stream* zs) const { inflateEnd(zs); }
};

Status InflateRaw(std::span<const std::byte> in, uint64_t max_output, std::vector<std::byte>* out) {
  z_stream zs{};
  if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) return Status(Code::kIO, "zlib inflateInit2 failed");
  std::unique_ptr<z_stream, InflateEnd> guard(&zs);
  out->clear();
  uint64_t in_pos = 0;
  for (;;) {
    const size_t old = out->size();
    const size_t chunk = 1u << 20;
    if (old >= max_output + 1) return LimitExceeded("zip member inflates to more than {} bytes", max_output);
    out->resize(old + chunk);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(in.data() + in_pos));
    zs.avail_in = static_cast<uInt>(std::min<uint64_t>(in.size() - in_pos, 1u << 30));
    zs.next_out = reinterpret_cast<Bytef*>(out->data() + old);
    zs.avail_out = static_cast<uInt>(chunk);
    const uInt avail_in = zs.avail_in;
    const int rc = inflate(&zs, Z_NO_FLUSH);
    in_pos += avail_in - zs.avail_in;
    out->resize(old + chunk - zs.avail_out);
    if (rc == Z_STREAM_END) return OkStatus();
    if (rc != Z_OK && rc != Z_BUF_ERROR) return Corrupt("invalid deflate data: {}", zs.msg ? zs.msg : "zlib error");
    if (out->size() == old && avail_in == zs.avail_in) return Corrupt("truncated deflate stream");
  }
}

}  // namespace

bool LooksLikeZip(std::span<const std::byte> bytes) {
  const ByteView file(bytes);
  if (file.Read<uint32_t>(0) == kLocalSig) return true;
  return FindEnd(file).ok();
}

Result<ScanZip> OpenZipForScan(std::span<const std::byte> bytes, size_t max_entries) {
  auto strict = ZipArchive::Open(bytes);
  if (strict.ok()) return FromStrict(*strict, max_entries);
  auto lenient = OpenLenient(ByteView(bytes), max_entries);
  if (!lenient.ok()) return strict.status();
  lenient->strict_error = strict.status().message();
  return lenient;
}

Result<std::span<const std::byte>> ReadZipMember(std::span<const std::byte> bytes, const ScanZipEntry& e,
                                                 uint64_t max_output, std::vector<std::byte>* owned) {
  auto data = ByteView(bytes).Slice(e.data_offset, e.compressed_size);
  if (!data) return Corrupt("zip member {} has data outside the file", QuoteZipName(e.name));
  if (e.method == kZipMethodStored) {
    if (data->size() > max_output) return LimitExceeded("zip member {} is over {} bytes", QuoteZipName(e.name), max_output);
    return *data;
  }
  if (e.method != kZipMethodDeflated)
    return Unsupported("zip member {} uses compression method {}", QuoteZipName(e.name), e.method);
  Status s = InflateRaw(*data, max_output, owned);
  if (!s.ok()) return s.WithContext(fmt::format("zip member {}", QuoteZipName(e.name)));
  return std::span<const std::byte>(*owned);
}

}  // namespace gitmodel
