#include "store/object_store.h"

#include <sys/stat.h>
#include <zstd.h>

#include <cstring>
#include <filesystem>
#include <memory>

#include "base/atomic_file.h"
#include "base/sha256.h"

namespace gitmodel {
namespace {

// Header: magic "GMO1", codec (1 = zstd), 3 reserved zero bytes, raw size (u64 little-endian).
constexpr std::string_view kMagic = "GMO1";
constexpr uint8_t kCodecZstd = 1;
constexpr size_t kHeaderSize = 16;
constexpr uint64_t kMaxObjectBytes = uint64_t{16} << 30;
constexpr int kZstdLevel = 3;

std::string EncodeHeader(uint64_t raw_size) {
  std::string header(kMagic);
  header.push_back(static_cast<char>(kCodecZstd));
  header.append(3, '\0');
  for (int i = 0; i < 8; ++i) header.push_back(static_cast<char>((raw_size >> (8 * i)) & 0xff));
  return header;
}

Result<std::string> Compress(std::span<const std::byte> bytes) {
  std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> cctx(ZSTD_createCCtx(), &ZSTD_freeCCtx);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, kZstdLevel);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_nbWorkers, 2);  // ignored by single-threaded builds
  std::string out(ZSTD_compressBound(bytes.size()), '\0');
  size_t n = ZSTD_compress2(cctx.get(), out.data(), out.size(), bytes.data(), bytes.size());
  if (ZSTD_isError(n)) return IOError("zstd compression failed: {}", ZSTD_getErrorName(n));
  out.resize(n);
  return out;
}

Result<std::string> Decode(std::string_view id, std::string_view stored) {
  if (stored.size() < kHeaderSize || stored.substr(0, 4) != kMagic) {
    return Corrupt("object {}: not a git-model object (bad header)", id);
  }
  if (static_cast<uint8_t>(stored[4]) != kCodecZstd) {
    return Unsupported("object {}: codec {} is not known to this git-model", id,
                       static_cast<unsigned>(static_cast<uint8_t>(stored[4])));
  }
  uint64_t raw_size = 0;
  for (int i = 7; i >= 0; --i) raw_size = (raw_size << 8) | static_cast<uint8_t>(stored[8 + i]);
  if (raw_size > kMaxObjectBytes) return Corrupt("object {}: size {} is implausible", id, raw_size);
  std::string raw(raw_size, '\0');
  std::string_view frame = stored.substr(kHeaderSize);
  size_t n = ZSTD_decompress(raw.data(), raw.size(), frame.data(), frame.size());
  if (ZSTD_isError(n) || n != raw_size) return Corrupt("object {}: damaged compressed data", id);
  return raw;
}

}  // namespace

bool IsObjectId(std::string_view id) {
  if (id.size() != 64) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string ObjectStore::ObjectPath(std::string_view id) const {
  return fmt::format("{}/objects/{}/{}/{}", root_, id.substr(0, 2), id.substr(2, 2), id);
}

bool ObjectStore::Contains(std::string_view id) const {
  struct stat st;
  return IsObjectId(id) && stat(ObjectPath(id).c_str(), &st) == 0;
}

Result<std::string> ObjectStore::Put(std::span<const std::byte> bytes) const {
  std::string id = ToHex(Sha256Of(bytes));
  if (Contains(id)) return id;
  std::string path = ObjectPath(id);
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec) return IOError("{}: cannot create the object directory: {}", path, ec.message());
  GM_ASSIGN_OR_RETURN(std::string compressed, Compress(bytes));
  GM_ASSIGN_OR_RETURN(AtomicFileWriter writer, AtomicFileWriter::Create(path, 0444));
  GM_RETURN_IF_ERROR(writer.Write(EncodeHeader(bytes.size())));
  GM_RETURN_IF_ERROR(writer.Write(compressed));
  GM_RETURN_IF_ERROR(writer.Commit());
  return id;
}

Result<std::string> ObjectStore::Put(std::string_view text) const {
  return Put(std::as_bytes(std::span(text.data(), text.size())));
}

Result<std::string> ObjectStore::Get(std::string_view id) const {
  if (!IsObjectId(id)) return InvalidArgument("'{}' is not an object id (64 hex digits)", id);
  if (!Contains(id)) return NotFound("object {} is not in the local store {}/objects", id, root_);
  GM_ASSIGN_OR_RETURN(std::string stored, ReadSmallFile(ObjectPath(id), kMaxObjectBytes));
  GM_ASSIGN_OR_RETURN(std::string raw, Decode(id, stored));
  if (ToHex(Sha256Of(std::as_bytes(std::span(raw.data(), raw.size()))))  != id) {
    return Corrupt("object {}: content does not match its id", id);
  }
  return raw;
}

}  // namespace gitmodel
