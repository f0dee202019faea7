#include "store/smudge_file.h"

#include <algorithm>
#include <future>
#include <thread>

#include "base/parallel.h"
#include "store/chunker.h"

namespace gitmodel {
namespace {

constexpr uint64_t kMaxManifestBytes = uint64_t{256} << 20;
constexpr size_t kMaxWindowChunks = 4096;  // bounds the buffers of a window of small chunks

// A run of consecutive chunks decoded together.
struct Window {
  size_t first = 0;
  size_t count = 0;
};

// Windows of at most `threads` x kMaxChunkBytes each (or one larger chunk), so that every core
// has a large chunk to decode and none a third: windows of a fixed chunk count left a core idle
// whenever a weight's window-mate was its few-KiB bias. Two windows are held at once (one written
// while the next decodes).
std::vector<Window> PlanWindows(const Manifest& manifest, unsigned threads) {
  const uint64_t target = uint64_t{threads} * kMaxChunkBytes;
  std::vector<Window> windows;
  uint64_t bytes = 0;
  for (size_t i = 0; i < manifest.chunks.size(); ++i) {
    if (windows.empty() || bytes + manifest.chunks[i].length > target || windows.back().count == kMaxWindowChunks) {
      windows.push_back({i, 0});
      bytes = 0;
    }
    ++windows.back().count;
    bytes += manifest.chunks[i].length;
  }
  return windows;
}

unsigned ThreadCount(unsigned threads) { return threads ? threads : std::max(1u, std::thread::hardware_concurrency()); }

Status DecodeWindow(const ObjectStore& store, const Manifest& manifest, Window window,
                    std::vector<std::vector<std::byte>>& buffers, unsigned threads) {
  if (buffers.size() < window.count) buffers.resize(window.count);
  std::vector<Status> results(window.count);
  ParallelFor(
      window.count,
      [&](size_t i) {
        const ManifestChunk& chunk = manifest.chunks[window.first + i];
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
  threads = ThreadCount(threads);
  const std::vector<Window> windows = PlanWindows(manifest, threads);
  std::vector<std::vector<std::byte>> current, next;
  Status decoded = windows.empty() ? OkStatus() : DecodeWindow(store, manifest, windows[0], current, threads);
  for (size_t w = 0; w < windows.size() && decoded.ok(); ++w) {
    std::future<Status> ahead;  // the next window decodes while this one is written
    if (w + 1 < windows.size()) {
      ahead = std::async(std::launch::async,
                         [&, w] { return DecodeWindow(store, manifest, windows[w + 1], next, threads); });
    }
    Status written;
    for (size_t i = 0; i < windows[w].count && written.ok(); ++i) written = sink(current[i]);
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
