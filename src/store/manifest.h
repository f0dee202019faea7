// A manifest lists the chunks that rebuild one file byte for byte (docs/formats.md, "Manifest").
// It is stored as an object itself (zstd-compressed like any chunk); its id is in the pointer.
//
//   "GMMANIF1" | u64 file size | 32-byte file SHA-256 | u32 chunk count
//   chunk: 32-byte object id | u64 length | u8 element_bytes | str name (u32 length + bytes)
//
// Decoding checks that the chunk lengths add up to the file size.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gitmodel/status.h"
#include "store/object_id.h"

namespace gitmodel {

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

std::string EncodeManifest(const Manifest& manifest);
// kCorrupt (one line) on anything EncodeManifest would not write.
Result<Manifest> DecodeManifest(std::string_view bytes);

}  // namespace gitmodel
