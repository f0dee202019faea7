#include "store/reachable.h"

#include <sys/stat.h>

#include "git/small_blobs.h"
#include "store/smudge_file.h"

namespace gitmodel {
namespace {

std::string Where(const ReachablePointer& p) { return p.commit.empty() ? p.path + " (index)" : p.path + "@" + p.commit.substr(0, 12); }

uint64_t FileSize(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

class Collector {
 public:
  explicit Collector(const ObjectStore& store) : store_(store) {}

  // Adds `id` and, for a delta, its chain of bases. False when `id` is missing.
  bool Add(const ObjectId& id, const std::string& needed_by) {
    for (std::optional<ObjectId> next = id; next;) {
      const ObjectId current = *next;
      next.reset();
      if (out_.present.count(current) || out_.missing.count(current)) return true;
      auto header = store_.Stat(current);
      if (!header.ok()) {
        out_.missing.emplace(current, NeededObject{0, 0, needed_by});
        return false;
      }
      out_.present.emplace(current, NeededObject{header->raw_size, FileSize(store_.ObjectPath(current)), needed_by});
      next = header->base;
    }
    return true;
  }

  void AddPointer(const ReachablePointer& p) {
    if (!Add(p.pointer.manifest, Where(p))) return;
    auto manifest = ReadManifest(store_, p.pointer);
    if (!manifest.ok()) {
      out_.errors.push_back(fmt::format("{}: {}", Where(p), manifest.status().message()));
      return;
    }
    for (const ManifestChunk& chunk : manifest->chunks) Add(chunk.id, Where(p));
  }

  NeededObjects Take() { return std::move(out_); }

 private:
  const ObjectStore& store_;
  NeededObjects out_;
};

const SmallBlobFilter kPointerBlobs{std::string(kPointerVersionLine), kMaxPointerBytes};

std::vector<ReachablePointer> ParsedPointers(std::vector<FoundBlob> blobs) {
  std::vector<ReachablePointer> out;
  for (FoundBlob& blob : blobs) {
    auto pointer = ParsePointer(blob.content);
    if (pointer.ok()) out.push_back({*pointer, std::move(blob.path), std::move(blob.commit)});
  }
  return out;
}

}  // namespace

Result<std::vector<ReachablePointer>> ReachablePointers(const GitRepo& repo, const std::vector<std::string>& tips,
                                                        const std::vector<std::string>& hidden, bool include_index) {
  GM_ASSIGN_OR_RETURN(std::vector<FoundBlob> blobs, FindSmallBlobs(repo, tips, hidden, include_index, kPointerBlobs));
  return ParsedPointers(std::move(blobs));
}

Result<std::vector<ReachablePointer>> PointersAt(const GitRepo& repo, const std::vector<std::string>& revisions) {
  GM_ASSIGN_OR_RETURN(std::vector<FoundBlob> blobs, FindSmallBlobsAt(repo, revisions, kPointerBlobs));
  return ParsedPointers(std::move(blobs));
}

NeededObjects ObjectsNeeded(const ObjectStore& store, const std::vector<ReachablePointer>& pointers) {
  Collector collector(store);
  for (const ReachablePointer& p : pointers) collector.AddPointer(p);
  return collector.Take();
}

}  // namespace gitmodel
