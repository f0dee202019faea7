#include "base/file_sha256.h"

#include <algorithm>

#include "base/mapped_file.h"

namespace gitmodel {

Result<Digest> FileSha256(const std::string& path) {
  GM_ASSIGN_OR_RETURN(auto file, MappedFile::Open(path));
  auto bytes = file->bytes();
  Sha256 hash;
  // Chunks keep the hashing loop and the kernel's read-ahead in step on cold files.
  constexpr size_t kChunk = 8u << 20;
  for (size_t at = 0; at < bytes.size(); at += kChunk) {
    hash.Update(bytes.subspan(at, std::min(kChunk, bytes.size() - at)));
  }
  return hash.Finish();
}

}  // namespace gitmodel
