// Reading one object file and resolving its delta chain (object_store.h). Internal to src/store.
#pragma once

#include <memory>
#include <span>
#include <string>

#include "base/mapped_file.h"
#include "gitmodel/status.h"
#include "store/object_store.h"

namespace gitmodel {

// An object file, mapped, with its parsed header.
struct ObjectFile {
  std::unique_ptr<MappedFile> mapping;
  ObjectHeader header;

  uint64_t file_bytes() const { return mapping->bytes().size(); }
  std::span<const std::byte> payload() const { return mapping->bytes().subspan(header.header_bytes); }
};

// Maps the object file at `path` and parses its header. kNotFound when there is no such file
// (the message names the path; callers say which object it is).
Result<ObjectFile> OpenObjectFile(const std::string& path);

// Decodes `file`, which claims to be object `id`, into `out` (exactly its raw size): its payload,
// XORed with every delta base down its chain (read from `store`), then checks that the result
// hashes to `id`. Messages name `id` and, where it is at fault, the base.
Status DecodeObjectFile(const ObjectStore& store, const ObjectId& id, const ObjectFile& file, std::span<std::byte> out);

}  // namespace gitmodel
