#include "store/smudge_file.h"

#include <algorithm>
#include <future>
#include <thread>

#include "base/parallel.h"

namespace gitmodel {
namespace {

constexpr uint64_t kMaxManifestBytes = uint64_t{256} << 20;

// Chunks decoded together, one per core. Two windows are held at once (one being written while
// the next is decoded): at most 2 x cores x 64 MiB (kMaxChunkBytes).
size_t WindowSize(unsigned threads) {
  return threads ? threads : std::max(1u, std::thread::hardware_concurrency());
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
  const size_t total = manifest.chunks.size(), window = WindowSize(threads);
  std::vector<std::vector<std::byte>> current(window), next(window);
  auto decode = [&](size_t first, std::vector<std::vector<std::byte>>& buffers) {
    return DecodeWindow(store, manifest, first, std::min(window, total - first), buffers, threads);
  };
  Status decoded = total ? decode(0, current) : OkStatus();
  for (size_t first = 0; first < total && decoded.ok(); first += window) {
    const size_t following = first + window;
    std::future<Status> ahead;  // the next window decodes while this one is written
    if (following < total) ahead = std::async(std::launch::async, [&, following] { return decode(following, next); });
    Status written;
    for (size_t i = 0; i < std::min(window, total - first) && written.ok(); ++i) written = sink(current[i]);
    decoded = ahead.valid() ? ahead.get() : OkStatus();
    GM_RETURN_IF_ERROR(written);
    std::swap(current, next);
  }
  return decoded;
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
