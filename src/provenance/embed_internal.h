// Internal to embed.cc, embed_zip.cc and embed_safetensors.cc: one writer per container format.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "provenance/embed.h"

namespace gitmodel::embed_internal {

// A read-only file descriptor, closed on destruction.
class SourceFile {
 public:
  // Opens `path` and checks that it still has `expected_size` bytes (the size parsed a moment
  // ago): kConflict when the file changed under us.
  static Result<SourceFile> Open(const std::string& path, uint64_t expected_size);
  SourceFile(SourceFile&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  SourceFile& operator=(SourceFile&&) = delete;
  ~SourceFile();
  int fd() const { return fd_; }

 private:
  explicit SourceFile(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// The record entry of a torch zip (also TorchScript, .pt2): kNone when there is none.
Result<EmbeddedRecord> ReadZipRecord(const std::string& path);
// Rewrites the zip at `path` with every entry but an old record, then the record, last.
Result<EmbeddedRecord> WriteZipRecord(const std::string& path, std::string_view record);

// Rewrites the safetensors file at `path` with __metadata__[kRecordMetadataKey] = record.
Result<EmbeddedRecord> WriteSafetensorsRecord(const std::string& path, std::string_view record);

// `header` (a validated safetensors header, padding included) with __metadata__[key] = value,
// everything outside __metadata__ unchanged byte for byte, padded with spaces to a multiple of 8.
Result<std::string> SetHeaderMetadata(std::string_view header, std::string_view key, std::string_view value);

}  // namespace gitmodel::embed_internal
