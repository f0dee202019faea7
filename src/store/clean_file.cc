#include "store/clean_file.h"

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "base/mapped_file.h"
#include "base/parallel.h"
#include "base/sha256.h"
#include "store/chunker.h"

namespace gitmodel {
namespace {

using PreviousChunks = std::map<std::pair<std::string, uint64_t>, ObjectId>;  // (name, length) -> id

PreviousChunks IndexPrevious(const std::optional<Manifest>& previous) {
  PreviousChunks out;
  if (!previous) return out;
  for (const ManifestChunk& c : previous->chunks)
    if (!c.name.empty()) out.emplace(std::pair(c.name, c.length), c.id);
  return out;
}

// Stores every chunk on all cores; the first error wins.
Result<std::vector<ManifestChunk>> StoreChunks(const ObjectStore& store, const MappedFile& file,
                                               const std::vector<ChunkSpec>& plan, const PreviousChunks& previous,
                                               const CleanOptions& clean, CleanStats& stats) {
  std::vector<ManifestChunk> chunks(plan.size());
  std::mutex mu;
  Status first_error;
  ParallelFor(
      plan.size(),
      [&](size_t i) {
        const ChunkSpec& spec = plan[i];
        const auto bytes = file.bytes().subspan(spec.offset, spec.length);
        PutOptions options;
        options.encode.element_bytes = spec.element_bytes;
        options.max_delta_depth = clean.max_delta_depth;
        if (auto base = previous.find({spec.name, spec.length}); !spec.name.empty() && base != previous.end())
          options.delta_base = base->second;
        auto put = store.Put(bytes, options);
        file.ReleasePages(bytes);
        std::lock_guard lock(mu);
        if (!put.ok()) {
          if (first_error.ok()) first_error = put.status();
          return;
        }
        chunks[i] = {put->id, spec.length, spec.element_bytes, spec.name};
        if (!put->existed) {
          ++stats.new_chunks;
          stats.new_bytes += put->stored_bytes;
          if (put->depth > 0) ++stats.delta_chunks;
        }
      },
      clean.threads);
  if (!first_error.ok()) return first_error;
  stats.chunks = plan.size();
  return chunks;
}

// The whole file's SHA-256 on a thread of its own, while the chunks are stored.
class FileHasher {
 public:
  explicit FileHasher(std::span<const std::byte> bytes)
      : thread_([this, bytes] {
          Sha256 sha;
          constexpr size_t kStep = 8 << 20;
          for (size_t at = 0; at < bytes.size(); at += kStep) sha.Update(bytes.subspan(at, std::min(kStep, bytes.size() - at)));
          digest_ = sha.Finish();
        }) {}
  Digest Join() {
    thread_.join();
    return digest_;
  }

 private:
  Digest digest_{};
  std::thread thread_;
};

}  // namespace

Result<CleanResult> CleanFile(const ObjectStore& store, const std::string& path, const CleanOptions& options) {
  GM_ASSIGN_OR_RETURN(std::unique_ptr<MappedFile> file, MappedFile::Open(path));
  const std::vector<ChunkSpec> plan = PlanChunks(path, file->bytes());
  FileHasher hasher(file->bytes());
  CleanResult result;
  auto chunks = StoreChunks(store, *file, plan, IndexPrevious(options.previous), options, result.stats);
  const Digest file_sha256 = hasher.Join();
  if (!chunks.ok()) return chunks.status();
  const Manifest manifest{file->bytes().size(), file_sha256, std::move(*chunks)};
  const std::string manifest_bytes = EncodeManifest(manifest);
  GM_ASSIGN_OR_RETURN(PutResult stored, store.Put(std::as_bytes(std::span(manifest_bytes)), PutOptions{}));
  result.pointer = {file_sha256, manifest.file_size, stored.id};
  return result;
}

}  // namespace gitmodel
