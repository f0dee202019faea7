#include "store/smudge_file.h"

#include <algorithm>
#include <thread>

#include "base/parallel.h"
#include "base/sha256.h"

namespace gitmodel {
namespace {

constexpr uint64_t kMaxManifestBytes = uint64_t{256} << 20;

// Decoded chunks held at once: enough to keep every core busy while the sink writes.
size_t WindowSize(unsigned threads) {
  const unsigned cores = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
  return 2 * size_t{cores};
}

Status DecodeWindow(const ObjectStore& store, const Manifest& manifest, size_t first, size_t count,
                    std::vector<std::vector<std::byte>>& buffers, unsigned threads) {
  std::vector<Status> results(count);
  ParallelFor(
      count,
      [&](size_t i) {
        const ManifestChunk& chunk = manifest.chunks[first + i];
        buffers[i].resize(chunk.length);
        results[i] = store.ReadInto(chunk.id, buffers[i]);
      },
      threads);
  for (const Status& s : results) GM_RETURN_IF_ERROR(s);
  return OkStatus();
}

}  // namespace

Result<Manifest> ReadManifest(const ObjectStore& store, const Pointer& pointer) {
  GM_ASSIGN_OR_RETURN(ObjectHeader header, store.Stat(pointer.manifest));
  if (header.raw_size > kMaxManifestBytes)
    return LimitExceeded("manifest {} is {} bytes, over the {} byte limit", ObjectHex(pointer.manifest),
                         header.raw_size, kMaxManifestBytes);
  GM_ASSIGN_OR_RETURN(std::vector<std::byte> bytes, store.Read(pointer.manifest));
  auto manifest = DecodeManifest({reinterpret_cast<const char*>(bytes.data()), bytes.size()});
  if (!manifest.ok()) return manifest.status().WithContext("manifest " + ObjectHex(pointer.manifest));
  if (manifest->file_size != pointer.size || manifest->file_sha256 != pointer.file_sha256)
    return Corrupt("manifest {} describes another file than its pointer", ObjectHex(pointer.manifest));
  return manifest;
}

Status SmudgeFile(const ObjectStore& store, const Pointer& pointer, const ByteSink& sink, unsigned threads) {
  GM_ASSIGN_OR_RETURN(Manifest manifest, ReadManifest(store, pointer));
  const size_t window = WindowSize(threads);
  std::vector<std::vector<std::byte>> buffers(window);
  Sha256 sha;
  for (size_t first = 0; first < manifest.chunks.size(); first += window) {
    const size_t count = std::min(window, manifest.chunks.size() - first);
    GM_RETURN_IF_ERROR(DecodeWindow(store, manifest, first, count, buffers, threads));
    for (size_t i = 0; i < count; ++i) {
      sha.Update(buffers[i]);
      GM_RETURN_IF_ERROR(sink(buffers[i]));
    }
  }
  if (sha.Finish() != pointer.file_sha256)
    return Corrupt("the file rebuilt from manifest {} does not match its SHA-256", ObjectHex(pointer.manifest));
  return OkStatus();
}

Result<std::vector<ObjectId>> MissingObjects(const ObjectStore& store, const Pointer& pointer) {
  if (!store.Contains(pointer.manifest)) return std::vector<ObjectId>{pointer.manifest};
  GM_ASSIGN_OR_RETURN(Manifest manifest, ReadManifest(store, pointer));
  std::vector<ObjectId> missing;
  for (const ManifestChunk& chunk : manifest.chunks)
    if (!store.Contains(chunk.id)) missing.push_back(chunk.id);
  std::sort(missing.begin(), missing.end());
  missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
  return missing;
}

}  // namespace gitmodel
