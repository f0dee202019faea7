// The local content-addressed object store: `<git dir>/git-model/objects/ab/cd/<sha256 hex>`
// (docs/formats.md, "Store objects"). An object is named by the SHA-256 of its raw bytes. File:
//
//   "GMOB" | u8 format version (1 or 2) | u8 codec | u8 element_bytes | u8 delta depth
//   | u64 LE raw size | [delta section, when depth > 0] | payload
//
// The delta section is a 32-byte base id in version 1, and u8 delta op | u8 delta element size |
// 32-byte base id in version 2. Depth 0: the payload decodes (codec.h) to the raw bytes. Depth
// d > 0: it decodes to a delta of the raw bytes against its base, an object of the same raw size
// and a depth < d, so chains end and are at most kMaxDeltaDepth long. Delta ops (codec.h,
// DeltaOp): XOR (the only one of version 1), or the zigzag-coded difference of little-endian
// integers of the delta element size (2, 4 or 8). Writers use version 1 whenever it can express
// the object (whole, or a XOR delta at most kVersion1MaxDeltaDepth deep), so older readers keep
// reading those; every object has exactly one header encoding. Files written before
// format version 1 ("GMO1", 16-byte header, zstd) are still read.
//
// Writes are atomic (temp, fsync, rename) and idempotent; every read decodes, checks the size and
// re-hashes, so a damaged object is an error, never wrong bytes. Safe for several processes at
// once: an object is only ever replaced by one with the same raw bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gitmodel/status.h"
#include "store/codec.h"
#include "store/object_id.h"

namespace gitmodel {

inline constexpr uint8_t kObjectFormatVersion = 2;  // the newest this build reads
inline constexpr uint8_t kMaxDeltaDepth = 16;         // the deepest chain a reader accepts
inline constexpr uint8_t kDefaultMaxDeltaDepth = 4;   // the deepest a writer builds unless told
inline constexpr uint8_t kVersion1MaxDeltaDepth = 4;  // what format version 1 allowed
inline constexpr uint64_t kMaxObjectRawBytes = uint64_t{1} << 32;  // chunks are far smaller
inline constexpr size_t kMaxObjectHeaderBytes = 64;

struct ObjectHeader {
  Codec codec = Codec::kRaw;
  uint8_t element_bytes = 0;
  uint8_t depth = 0;
  uint64_t raw_size = 0;
  std::optional<ObjectId> base;  // present exactly when depth > 0
  DeltaOp delta_op = DeltaOp::kXor;
  uint8_t delta_element_bytes = 0;  // kDifference: 2, 4 or 8; otherwise 0
  uint64_t header_bytes = 0;     // where the payload starts in the file
};

// Parses the header at the start of an object file (`head`: its first kMaxObjectHeaderBytes
// bytes, or all of a shorter file). A legacy "GMO1" header parses as codec kZstd, depth 0,
// header_bytes 16. kCorrupt on a bad magic, codec, element size, depth, a header cut short or a
// raw size over kMaxObjectRawBytes; kUnsupported for a format version newer than this one.
Result<ObjectHeader> ParseObjectHeader(std::span<const std::byte> head);

// The header bytes for `header` (header_bytes is ignored).
std::string EncodeObjectHeader(const ObjectHeader& header);

struct PutOptions {
  EncodeOptions encode;
  // A candidate delta base: an object already in the store with the same raw size. The delta is
  // the zigzag difference of encode.element_bytes-wide integers when that is 2, 4 or 8 and divides
  // the size (float tensors: a weight moved by a few ulps differs by a small integer, where its
  // XOR flips several low bits), else XOR. Used only when
  // the delta's file is at least 10% smaller than the object's file alone and the base's depth is
  // < max_delta_depth. A base that is missing, of another size or does not read back (damaged) is
  // not used: the object is then stored whole, never wrong.
  std::optional<ObjectId> delta_base;
  // The longest chain to build, at most kMaxDeltaDepth: deeper chains store less (one whole
  // version per max_delta_depth + 1) but every level costs a decode on each read.
  uint8_t max_delta_depth = kDefaultMaxDeltaDepth;
};

struct PutResult {
  ObjectId id{};
  bool existed = false;       // already stored: nothing was written
  uint64_t stored_bytes = 0;  // size of the object file (existing or new)
  uint8_t depth = 0;
};

class ObjectStore {
 public:
  // `root` is the git-model directory (e.g. `.git/git-model`); objects live in `root/objects`.
  explicit ObjectStore(std::string root) : root_(std::move(root)) {}
  const std::string& root() const { return root_; }

  std::string ObjectPath(const ObjectId& id) const;
  std::string ObjectPath(std::string_view hex) const;  // hex must satisfy IsObjectId
  bool Contains(const ObjectId& id) const;
  bool Contains(std::string_view hex) const;

  // Stores `raw` under its SHA-256, choosing the smallest encoding (and a delta when it pays).
  // kLimit over kMaxObjectRawBytes. A file already there is kept (existed), unless its header does
  // not parse: then it is replaced. Safe to call from several threads and processes.
  Result<PutResult> Put(std::span<const std::byte> raw, const PutOptions& options) const;

  // The raw bytes of `id`, delta chain resolved, SHA-256 verified. kNotFound when the object (or a
  // base it needs) is missing; kCorrupt when a file is damaged or its hash does not match.
  Result<std::vector<std::byte>> Read(const ObjectId& id) const;
  // The same into a caller buffer of exactly the raw size (kCorrupt when the object's is another).
  Status ReadInto(const ObjectId& id, std::span<std::byte> out) const;

  // The header of `id`'s file; nothing is decoded or verified. kNotFound when it is missing.
  Result<ObjectHeader> Stat(const ObjectId& id) const;

  // Every object id present (well-formed names only), in no particular order. An empty list when
  // the store does not exist yet.
  Result<std::vector<ObjectId>> List() const;

  // Installs the object file at `path` (from a remote) as `id` after checking that it decodes to
  // `id` (its base, if any, must already be here: kNotFound naming both otherwise). The file is
  // made read-only, synced and renamed into place when on the same file system, copied otherwise;
  // on success `path` is gone (also when the store already had `id`: nothing is checked then).
  // kCorrupt when it does not verify: nothing is installed and `path` is left as it was. The file
  // must not change meanwhile (it is checked, then renamed: pass a private temp file).
  Status Adopt(const ObjectId& id, const std::string& path) const;

  // Text convenience for small objects (provenance patches): id as 64 lowercase hex.
  Result<std::string> Put(std::span<const std::byte> bytes) const;
  Result<std::string> Put(std::string_view text) const;
  Result<std::string> Get(std::string_view hex) const;

 private:
  std::string root_;
};

// True when `id` is 64 lowercase hex digits.
bool IsObjectId(std::string_view id);

}  // namespace gitmodel
