#include "store/object_file.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <optional>

#include "store/codec_store.h"

namespace gitmodel {
namespace {

Status WithObjectContext(const Status& status, const ObjectId& id) {
  return status.ok() ? status : status.WithContext(fmt::format("object {}", ObjectHex(id)));
}

// Opens the base `base` of object `id`; kNotFound names both.
Result<ObjectFile> OpenDeltaBase(const ObjectStore& store, const ObjectId& id, const ObjectId& base) {
  Result<ObjectFile> file = OpenObjectFile(store.ObjectPath(base));
  if (file.status().code() == Code::kNotFound) {
    return NotFound("object {} needs its delta base {}, which is not in the local store {}/objects", ObjectHex(id),
                    ObjectHex(base), store.root());
  }
  if (!file.ok()) return file.status().WithContext(fmt::format("delta base {} of object {}", ObjectHex(base), ObjectHex(id)));
  return file;
}

// out ^= the raw bytes of every base down the chain that starts at `header`. XOR is associative,
// so XORing in each base's decoded payload (itself raw XOR its own base) resolves the chain
// without holding any base whole. Depths strictly decrease: the loop ends within kMaxDeltaDepth.
Status ApplyDeltaBases(const ObjectStore& store, const ObjectId& id, const ObjectHeader& header, std::span<std::byte> out) {
  uint8_t depth = header.depth;
  std::optional<ObjectId> base = header.base;
  while (base) {
    GM_ASSIGN_OR_RETURN(ObjectFile file, OpenDeltaBase(store, id, *base));
    const ObjectHeader& next = file.header;
    if (next.raw_size != out.size() || next.depth >= depth) {
      return Corrupt("object {}: delta base {} has raw size {} and depth {} (expected {} and less than {})",
                     ObjectHex(id), ObjectHex(*base), next.raw_size, next.depth, out.size(), depth);
    }
    Status decoded = DecodeChunkXor(next.codec, next.element_bytes, file.payload(), out);
    if (!decoded.ok()) {
      return decoded.WithContext(fmt::format("object {}: delta base {}", ObjectHex(id), ObjectHex(*base)));
    }
    depth = next.depth;
    base = next.base;
  }
  return OkStatus();
}

}  // namespace

Result<ObjectFile> OpenObjectFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 && errno == ENOENT) return NotFound("{}: no such object file", path);
  GM_ASSIGN_OR_RETURN(std::unique_ptr<MappedFile> mapping, MappedFile::Open(path));
  std::span<const std::byte> bytes = mapping->bytes();
  Result<ObjectHeader> header = ParseObjectHeader(bytes.first(std::min(bytes.size(), kMaxObjectHeaderBytes)));
  if (!header.ok()) return header.status().WithContext(path);
  return ObjectFile{std::move(mapping), *header};
}

Status DecodeObjectFile(const ObjectStore& store, const ObjectId& id, const ObjectFile& file, std::span<std::byte> out) {
  const ObjectHeader& header = file.header;
  if (header.raw_size != out.size()) {
    return Corrupt("object {}: raw size {} does not match the {} bytes expected", ObjectHex(id), header.raw_size,
                   out.size());
  }
  GM_RETURN_IF_ERROR(WithObjectContext(DecodeChunk(header.codec, header.element_bytes, file.payload(), out), id));
  if (header.base) GM_RETURN_IF_ERROR(ApplyDeltaBases(store, id, header, out));
  if (Sha256Of(out) != id) {
    return Corrupt("object {}: content does not match its id (the object or a delta base it needs is damaged)",
                   ObjectHex(id));
  }
  return OkStatus();
}

}  // namespace gitmodel
