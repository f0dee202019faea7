// The local content-addressed object store: `<git dir>/git-model/objects/ab/cd/<sha256 hex>`.
//
// An object is named by the SHA-256 of its raw bytes and kept zstd-compressed behind a small
// versioned header (docs/formats.md, "Object store"). Writes are atomic (temp, fsync, rename) and
// idempotent; every read decompresses, checks the size and re-hashes, so a damaged object is an
// error, never wrong bytes. Safe to use from several processes at once: an object is only ever
// replaced by the same bytes.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "gitmodel/status.h"

namespace gitmodel {

class ObjectStore {
 public:
  // `root` is the git-model directory (e.g. `.git/git-model`); objects live in `root/objects`.
  explicit ObjectStore(std::string root) : root_(std::move(root)) {}

  // Stores `bytes` and returns their id (64 lowercase hex). Present objects are not rewritten.
  Result<std::string> Put(std::span<const std::byte> bytes) const;
  Result<std::string> Put(std::string_view text) const;

  // The raw bytes of object `id`. NotFound when absent; Corrupt when it fails verification.
  Result<std::string> Get(std::string_view id) const;
  bool Contains(std::string_view id) const;

  std::string ObjectPath(std::string_view id) const;
  const std::string& root() const { return root_; }

 private:
  std::string root_;
};

// True when `id` is 64 lowercase hex digits.
bool IsObjectId(std::string_view id);

}  // namespace gitmodel
