// A manifest lists the chunks that rebuild one file byte for byte (docs/formats.md, "Manifest").
// It is stored as an object itself (zstd-compressed like any chunk); its id is in the pointer.
//
//   "GMMANIF1" | u64 file size | 32-byte file SHA-256 | u32 chunk count
//   chunk: 32-byte object id | u64 length | u8 element_bytes | str name (u32 length + bytes)
//
// Integers are little-endian. Chunks are in file order; each is non-empty, has element_bytes 0, 2,
// 4 or 8 and a name of at most kMaxManifestNameBytes bytes; their lengths add up to the file size;
// nothing follows the last chunk. Decoding checks all of that (a manifest is untrusted input).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gitmodel/status.h"
#include "store/object_id.h"

namespace gitmodel {

inline constexpr size_t kMaxManifestNameBytes = 4096;

struct ManifestChunk {
  ObjectId id{};
  uint64_t length = 0;
  uint8_t element_bytes = 0;
  std::string name;  // ChunkSpec::name
};

struct Manifest {
  uint64_t file_size = 0;
  Digest file_sha256{};
  std::vector<ManifestChunk> chunks;
};

// The bytes of `manifest`, which must keep the rules above (one built from PlanChunks' specs does:
// they keep names within the limit). A manifest that breaks them encodes, but fails to decode.
std::string EncodeManifest(const Manifest& manifest);
// kCorrupt (one line) on anything that breaks the rules above or that EncodeManifest would not
// write; a manifest that decodes encodes back to the same bytes.
Result<Manifest> DecodeManifest(std::string_view bytes);

}  // namespace gitmodel
