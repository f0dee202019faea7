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

// The files down the chain below `header` (nearest base first, the last one whole), each checked
// to have `raw_size` and a smaller depth than the one above it: the loop ends within
// kMaxDeltaDepth, whatever the files say.
Result<std::vector<ObjectFile>> OpenDeltaBases(const ObjectStore& store, const ObjectId& id, const ObjectHeader& header,
                                               uint64_t raw_size) {
  std::vector<ObjectFile> bases;
  uint8_t depth = header.depth;
  for (std::optional<ObjectId> base = header.base; base;) {
    GM_ASSIGN_OR_RETURN(ObjectFile file, OpenDeltaBase(store, id, *base));
    const ObjectHeader& next = file.header;
    if (next.raw_size != raw_size || next.depth >= depth) {
      return Corrupt("object {}: delta base {} has raw size {} and depth {} (expected {} and less than {})",
                     ObjectHex(id), ObjectHex(*base), next.raw_size, next.depth, raw_size, depth);
    }
    depth = next.depth;
    base = next.base;
    bases.push_back(std::move(file));
  }
  return bases;
}

// Decodes one file of a chain into `out`: whole at depth 0, else as a delta applied to the base
// already in `out`.
Status DecodeLevel(const ObjectHeader& header, std::span<const std::byte> payload, std::span<std::byte> out) {
  if (header.depth == 0) return DecodeChunk(header.codec, header.element_bytes, payload, out);
  return DecodeChunkDelta(header.codec, header.element_bytes, payload, header.delta_op, header.delta_element_bytes,
                          out);
}

// The chain's raw bytes: the whole object at its bottom, then each delta up to `top` applied in
// turn (delta ops differ, so they do not commute: bottom-up is the one order), all in `out`.
Status DecodeChain(const ObjectId& id, const ObjectFile& top, const std::vector<ObjectFile>& bases,
                   std::span<std::byte> out) {
  for (size_t level = bases.size(); level-- > 0;) {
    Status decoded = DecodeLevel(bases[level].header, bases[level].payload(), out);
    if (!decoded.ok()) {
      const ObjectId& base = level == 0 ? *top.header.base : *bases[level - 1].header.base;  // its own id
      return decoded.WithContext(fmt::format("object {}: delta base {}", ObjectHex(id), ObjectHex(base)));
    }
  }
  return WithObjectContext(DecodeLevel(top.header, top.payload(), out), id);
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
  GM_ASSIGN_OR_RETURN(std::vector<ObjectFile> bases, OpenDeltaBases(store, id, header, out.size()));
  GM_RETURN_IF_ERROR(DecodeChain(id, file, bases, out));
  if (Sha256Of(out) != id) {
    return Corrupt("object {}: content does not match its id (the object or a delta base it needs is damaged)",
                   ObjectHex(id));
  }
  return OkStatus();
}

}  // namespace gitmodel
