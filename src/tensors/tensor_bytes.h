// A tensor's logical bytes: its elements in row-major order of its shape, little-endian.
//
// This is the byte string `git model inspect --hashes` hashes, so it must not depend on how the
// tensor happens to be stored (strides, storage offset, byte order of the file).
#pragma once

#include <cstddef>
#include <functional>
#include <span>

#include "base/sha256.h"
#include "gitmodel/checkpoint.h"
#include "gitmodel/status.h"

namespace gitmodel {

inline constexpr size_t kDefaultChunkBytes = size_t{1} << 20;
// Most logical bytes a view may have beyond the bytes it covers in its storage (stride 0).
inline constexpr uint64_t kMaxExpandedBytes = uint64_t{1} << 30;

// Calls `sink` with consecutive pieces of the logical bytes of `t`, in order. Contiguous
// little-endian views are passed as zero-copy slices of `t.storage`; other views are gathered
// (and byte-swapped when `t.big_endian`, each half of a complex separately) into a buffer of about
// `chunk_bytes`. A span passed to `sink` is valid only during that call.
//
// Every chunk but the last holds whole elements (for 4- and 6-bit types: whole groups of 2 or 4
// values, so chunks start on a byte boundary), at most max(chunk_bytes, one group) bytes. Sub-byte
// dtypes (float4, float6, quint4x2, quint2x4) are supported only contiguous and starting on a
// byte boundary; their last byte may carry padding bits from storage.
//
// The lazy conj/neg bits are not applied: the bytes are the stored values.
// Errors: meta tensor, CheckViewBounds failures, unsupported sub-byte layouts. Nothing is passed
// to `sink` when an error is returned. Thread-safe for distinct sinks.
Status ForEachContiguousChunk(const TensorRef& t,
                              const std::function<void(std::span<const std::byte>)>& sink,
                              size_t chunk_bytes = kDefaultChunkBytes);

// SHA-256 of the logical bytes above. Quantized tensors hash their stored integers.
// Meta tensors are an error ("meta tensor has no data").
Result<Digest> TensorSha256(const TensorRef& t);

}  // namespace gitmodel
