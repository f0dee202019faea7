#include "store/store_stats.h"

#include <set>
#include <sys/stat.h>

#include "git/small_blobs.h"
#include "store/reachable.h"

namespace gitmodel {

Result<StoreStats> ComputeStoreStats(const GitRepo& repo, const ObjectStore& store) {
  StoreStats stats;
  GM_ASSIGN_OR_RETURN(std::vector<std::string> tips, AllRefTips(repo, std::nullopt));
  GM_ASSIGN_OR_RETURN(std::vector<ReachablePointer> pointers, ReachablePointers(repo, tips, {}, true));
  stats.pointers = pointers.size();
  std::set<Digest> files;
  for (const ReachablePointer& p : pointers)
    if (files.insert(p.pointer.file_sha256).second) stats.logical_bytes += p.pointer.size;
  stats.files = files.size();
  const NeededObjects needed = ObjectsNeeded(store, pointers);
  for (const auto& [id, object] : needed.present) {
    ++stats.chunks;
    stats.unique_bytes += object.raw_bytes;
    stats.stored_bytes += object.stored_bytes;
    auto header = store.Stat(id);
    if (header.ok() && header->depth > 0) ++stats.delta_objects;
  }
  stats.missing = needed.missing.size();
  GM_ASSIGN_OR_RETURN(std::vector<ObjectId> local, store.List());
  stats.local_objects = local.size();
  for (const ObjectId& id : local) {
    struct stat st;
    if (::stat(store.ObjectPath(id).c_str(), &st) == 0) stats.local_bytes += st.st_size;
  }
  return stats;
}

}  // namespace gitmodel
