// EncodeManifest / DecodeManifest (manifest.h).
#include "store/manifest.h"

#include <cstring>

#include "base/byte_stream.h"

namespace gitmodel {
namespace {

constexpr std::string_view kMagic = "GMMANIF1";
constexpr std::string_view kMagicFamily = "GMMANIF";  // a later version keeps this prefix
// id + length + element_bytes + name length: the least one chunk takes.
constexpr size_t kMinChunkBytes = 32 + 8 + 1 + 4;

void PutDigest(ByteWriter& out, const Digest& digest) {
  for (uint8_t b : digest) out.Put(b);
}

Digest GetDigest(ByteCursor& in) {
  Digest digest{};
  for (uint8_t& b : digest) b = in.Get<uint8_t>();
  return digest;
}

bool ValidElementBytes(uint8_t value) { return value == 0 || value == 2 || value == 4 || value == 8; }

Status CheckMagic(std::string_view bytes) {
  if (bytes.starts_with(kMagic)) return OkStatus();
  if (bytes.size() >= kMagic.size() && bytes.starts_with(kMagicFamily))
    return Corrupt("manifest has an unknown format version (this git-model reads {})", kMagic);
  return Corrupt("not a git-model manifest (no {} magic)", kMagic);
}

// One chunk; `index` names it in errors.
Result<ManifestChunk> DecodeChunk(ByteCursor& in, uint32_t index) {
  ManifestChunk chunk;
  chunk.id = GetDigest(in);
  chunk.length = in.Get<uint64_t>();
  chunk.element_bytes = in.Get<uint8_t>();
  const std::string_view name = in.GetString();
  if (!in.ok()) return Corrupt("manifest is truncated in chunk {}", index);
  if (chunk.length == 0) return Corrupt("manifest chunk {} is empty", index);
  if (!ValidElementBytes(chunk.element_bytes))
    return Corrupt("manifest chunk {} has element size {} (expected 0, 2, 4 or 8)", index, chunk.element_bytes);
  if (name.size() > kMaxManifestNameBytes)
    return Corrupt("manifest chunk {} has a {}-byte name (at most {})", index, name.size(), kMaxManifestNameBytes);
  chunk.name = std::string(name);
  return chunk;
}

}  // namespace

std::string EncodeManifest(const Manifest& manifest) {
  ByteWriter out;
  for (char c : kMagic) out.Put(c);
  out.Put(manifest.file_size);
  PutDigest(out, manifest.file_sha256);
  out.Put(static_cast<uint32_t>(manifest.chunks.size()));
  for (const ManifestChunk& chunk : manifest.chunks) {
    PutDigest(out, chunk.id);
    out.Put(chunk.length);
    out.Put(chunk.element_bytes);
    out.PutString(chunk.name);
  }
  return out.Take();
}

Result<Manifest> DecodeManifest(std::string_view bytes) {
  GM_RETURN_IF_ERROR(CheckMagic(bytes));
  ByteCursor in(bytes.substr(kMagic.size()));
  Manifest manifest;
  manifest.file_size = in.Get<uint64_t>();
  manifest.file_sha256 = GetDigest(in);
  const uint32_t count = in.GetCount(kMinChunkBytes);
  if (!in.ok()) return Corrupt("manifest is truncated or its chunk count is too large");
  manifest.chunks.reserve(count);
  uint64_t total = 0;
  for (uint32_t i = 0; i < count; ++i) {
    GM_ASSIGN_OR_RETURN(ManifestChunk chunk, DecodeChunk(in, i));
    if (chunk.length > manifest.file_size - total)
      return Corrupt("manifest chunks up to chunk {} hold more than the file's {} bytes", i, manifest.file_size);
    total += chunk.length;
    manifest.chunks.push_back(std::move(chunk));
  }
  if (total != manifest.file_size)
    return Corrupt("manifest chunks hold {} bytes, the file has {}", total, manifest.file_size);
  if (!in.AtEnd()) return Corrupt("manifest has {} bytes after its last chunk", in.remaining());
  return manifest;
}

}  // namespace gitmodel
