#include "formats/testing/zip_builder.h"

#include <zlib.h>

#include <cstring>
#include <stdexcept>

namespace gitmodel::testutil {
namespace {

constexpr uint32_t kU32Max = 0xFFFFFFFF;
constexpr uint16_t kFbExtraId = 0x4246;  // "FB", torch's padding field

void Append(std::vector<std::byte>& out, uint64_t value, int width) {
  for (int i = 0; i < width; ++i) out.push_back(static_cast<std::byte>((value >> (8 * i)) & 0xFF));
}
void Append16(std::vector<std::byte>& out, uint64_t value) { Append(out, value, 2); }
void Append32(std::vector<std::byte>& out, uint64_t value) { Append(out, value, 4); }
void Append64(std::vector<std::byte>& out, uint64_t value) { Append(out, value, 8); }
void AppendText(std::vector<std::byte>& out, std::string_view text) {
  for (char c : text) out.push_back(static_cast<std::byte>(c));
}

void Put(std::vector<std::byte>& bytes, uint64_t offset, uint64_t value, int width) {
  if (offset > bytes.size() || bytes.size() - offset < static_cast<uint64_t>(width)) {
    throw std::out_of_range("PutLE: offset past the end of the buffer");
  }
  for (int i = 0; i < width; ++i) bytes[offset + i] = static_cast<std::byte>((value >> (8 * i)) & 0xFF);
}

uint32_t Crc32(std::span<const std::byte> data) {
  uLong crc = crc32(0L, Z_NULL, 0);
  for (size_t pos = 0; pos < data.size();) {  // crc32() takes a uInt length
    const uInt chunk = static_cast<uInt>(std::min<size_t>(data.size() - pos, 1u << 30));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(data.data() + pos), chunk);
    pos += chunk;
  }
  return static_cast<uint32_t>(crc);
}

// The 32-bit central value of a field: the real one, or the ZIP64 placeholder.
uint32_t Field32(uint64_t value, bool zip64) {
  return zip64 || value >= kU32Max ? kU32Max : static_cast<uint32_t>(value);
}

}  // namespace

std::vector<std::byte> ToBytes(std::string_view text) {
  std::vector<std::byte> out;
  AppendText(out, text);
  return out;
}

std::vector<std::byte> RawDeflate(std::span<const std::byte> data) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::vector<std::byte> out(deflateBound(&zs, static_cast<uLong>(data.size())));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate did not finish");
  return out;
}

void PutLE16(std::vector<std::byte>& bytes, uint64_t offset, uint16_t value) { Put(bytes, offset, value, 2); }
void PutLE32(std::vector<std::byte>& bytes, uint64_t offset, uint32_t value) { Put(bytes, offset, value, 4); }
void PutLE64(std::vector<std::byte>& bytes, uint64_t offset, uint64_t value) { Put(bytes, offset, value, 8); }

ZipBuilder& ZipBuilder::Add(std::string name, std::string_view data, const ZipAddOptions& options) {
  return Add(std::move(name), ToBytes(data), options);
}

ZipBuilder& ZipBuilder::Add(std::string name, std::span<const std::byte> data, const ZipAddOptions& options) {
  const std::vector<std::byte> stored = options.deflate ? RawDeflate(data) : std::vector<std::byte>();
  const std::span<const std::byte> payload = options.deflate ? std::span<const std::byte>(stored) : data;
  Pending p{name, options};
  p.method = options.method.value_or(options.deflate ? 8 : 0);
  p.flags = options.flags.value_or(data.empty() ? 0x0800 : 0x0808);
  p.crc32 = Crc32(data);
  p.compressed_size = payload.size();
  p.uncompressed_size = data.size();
  const bool descriptor = p.flags & 0x0008;
  const std::string local_name = options.local_name.value_or(name);

  ZipLayout::Entry where;
  where.local_header = out_.size();
  uint64_t pad = 0;
  if (options.alignment != 0) {
    const uint64_t start = out_.size() + 30 + local_name.size() + 4;
    pad = (options.alignment - start % options.alignment) % options.alignment;
  }
  Append32(out_, 0x04034b50);
  Append16(out_, options.deflate ? 20 : 0);
  Append16(out_, p.flags);
  Append16(out_, p.method);
  Append32(out_, 0);  // DOS time and date
  Append32(out_, descriptor ? 0 : p.crc32);
  Append32(out_, descriptor ? 0 : Field32(p.compressed_size, false));
  Append32(out_, descriptor ? 0 : Field32(p.uncompressed_size, false));
  Append16(out_, local_name.size());
  Append16(out_, options.alignment != 0 ? 4 + pad : 0);
  AppendText(out_, local_name);
  if (options.alignment != 0) {
    Append16(out_, kFbExtraId);
    Append16(out_, pad);
    out_.insert(out_.end(), pad, std::byte{'Z'});
  }
  where.data = out_.size();
  out_.insert(out_.end(), payload.begin(), payload.end());
  where.data_end = out_.size();
  if (descriptor && !data.empty()) {
    Append32(out_, 0x08074b50);
    Append32(out_, p.crc32);
    Append32(out_, Field32(p.compressed_size, false));
    Append32(out_, Field32(p.uncompressed_size, false));
  }
  layout_.entries.push_back(where);
  pending_.push_back(std::move(p));
  return *this;
}

void ZipBuilder::AppendCentralEntry(const Pending& p, uint64_t local_header) {
  const ZipAddOptions& o = p.options;
  const uint64_t csize = o.compressed_size.value_or(p.compressed_size);
  const uint64_t usize = o.uncompressed_size.value_or(p.uncompressed_size);
  const uint64_t offset = o.local_header_offset.value_or(local_header);
  std::vector<std::byte> extra;
  if (o.zip64_extra) {
    Append16(extra, 0x0001);
    Append16(extra, 24);
    Append64(extra, usize);
    Append64(extra, csize);
    Append64(extra, offset);
  }
  extra.insert(extra.end(), o.central_extra.begin(), o.central_extra.end());
  Append32(out_, 0x02014b50);
  Append16(out_, o.zip64_extra ? 45 : 0);  // version made by, as miniz writes it
  Append16(out_, o.zip64_extra ? 45 : o.deflate ? 20 : 0);  // version needed
  Append16(out_, p.flags);
  Append16(out_, p.method);
  Append32(out_, 0);  // DOS time and date
  Append32(out_, o.crc32.value_or(p.crc32));
  Append32(out_, Field32(csize, o.zip64_extra));
  Append32(out_, Field32(usize, o.zip64_extra));
  Append16(out_, p.name.size());
  Append16(out_, extra.size());
  Append16(out_, 0);  // comment length
  Append16(out_, 0);  // disk number start
  Append16(out_, 0);  // internal attributes
  Append32(out_, 0);  // external attributes
  Append32(out_, Field32(offset, o.zip64_extra));
  AppendText(out_, p.name);
  out_.insert(out_.end(), extra.begin(), extra.end());
}

void ZipBuilder::AppendEndRecords(const ZipFinishOptions& o, uint64_t cd_offset, uint64_t cd_size) {
  const uint64_t count = o.entry_count.value_or(pending_.size());
  cd_offset = o.cd_offset.value_or(cd_offset);
  cd_size = o.cd_size.value_or(cd_size);
  const bool needs_zip64 = count >= 0xFFFF || cd_offset >= kU32Max || cd_size >= kU32Max;
  const bool placeholders = o.classic_placeholders || needs_zip64;
  if (o.zip64 || needs_zip64) {
    layout_.zip64_end = out_.size();
    Append32(out_, 0x06064b50);
    Append64(out_, 44);  // size of the rest of the record
    Append16(out_, 0x031E);  // version made by (miniz: Unix, 3.0)
    Append16(out_, 45);      // version needed
    Append32(out_, 0);   // this disk
    Append32(out_, 0);   // disk with the central directory
    Append64(out_, count);
    Append64(out_, count);
    Append64(out_, cd_size);
    Append64(out_, cd_offset);
    layout_.zip64_locator = out_.size();
    Append32(out_, 0x07064b50);
    Append32(out_, 0);  // disk with the ZIP64 end record
    Append64(out_, *layout_.zip64_end);
    Append32(out_, 1);  // total disks
  }
  layout_.end = out_.size();
  Append32(out_, 0x06054b50);
  Append16(out_, 0);  // this disk
  Append16(out_, 0);  // disk with the central directory
  Append16(out_, placeholders ? 0xFFFF : count);
  Append16(out_, placeholders ? 0xFFFF : count);
  Append32(out_, placeholders ? kU32Max : cd_size);
  Append32(out_, placeholders ? kU32Max : cd_offset);
  Append16(out_, o.comment.size());
  AppendText(out_, o.comment);
}

std::vector<std::byte> ZipBuilder::Finish(const ZipFinishOptions& options) {
  layout_.central_directory = out_.size();
  for (size_t i = 0; i < pending_.size(); ++i) {
    layout_.entries[i].central = out_.size();
    AppendCentralEntry(pending_[i], layout_.entries[i].local_header);
  }
  AppendEndRecords(options, layout_.central_directory, out_.size() - layout_.central_directory);
  return std::move(out_);
}

}  // namespace gitmodel::testutil
