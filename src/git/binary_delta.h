// Internal to src/git: git's binary delta format (patch-delta.c), for "delta" hunks of binary
// patches of large files.
//
// Format: the source size and the result size as little-endian base-128 varints, then commands:
// 0x80|flags copies a range of the source (flags 0x01-0x08 say which offset bytes follow, 0x10-0x40
// which size bytes; size 0 means 0x10000), 0x01-0x7f inserts that many literal bytes that follow.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace gitmodel {

// A delta that builds `dst` from `src`, found cheaply rather than well: the common prefix and
// suffix, and between them the 512-byte blocks that are equal at the same offset in both. That is what in-place edits of large binaries (a checkpoint with some tensors
// changed, an appended log) look like; it takes a memcmp pass instead of git's hash index.
// nullopt when the delta would not be under half of `dst` (a literal is then as good) or when
// `src` is 4 GiB or more (copy offsets have 32 bits).
std::optional<std::vector<std::byte>> SameOffsetDelta(std::span<const std::byte> src, std::span<const std::byte> dst);

}  // namespace gitmodel
