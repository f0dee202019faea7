#include "store/store_fsck.h"

#include <algorithm>
#include <filesystem>
#include <mutex>

#include "base/parallel.h"
#include "git/small_blobs.h"

namespace gitmodel {

std::vector<std::string> StoreTempFiles(const ObjectStore& store) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const std::string& dir : {store.root() + "/objects", store.root() + "/tmp"}) {
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file()) continue;
      const std::string name = it->path().filename().string();
      const bool temp = name.starts_with('.') || dir.ends_with("/tmp");
      if (temp) out.push_back(it->path().string());
    }
  }
  return out;
}

Result<FsckReport> FsckStore(const GitRepo& repo, const ObjectStore& store,
                             const std::function<void(size_t, size_t)>& progress) {
  FsckReport report;
  GM_ASSIGN_OR_RETURN(std::vector<ObjectId> ids, store.List());
  std::mutex mu;
  ParallelFor(ids.size(), [&](size_t i) {
    auto read = store.Read(ids[i]);
    std::lock_guard lock(mu);
    ++report.objects_checked;
    if (!read.ok()) report.damaged.emplace_back(ids[i], read.status().message());  // kNotFound: a delta's base is gone
    if (progress) progress(report.objects_checked, ids.size());
  });
  std::sort(report.damaged.begin(), report.damaged.end());
  GM_ASSIGN_OR_RETURN(std::vector<std::string> tips, AllRefTips(repo, std::nullopt));
  GM_ASSIGN_OR_RETURN(std::vector<ReachablePointer> pointers, ReachablePointers(repo, tips, {}, true));
  report.pointers = pointers.size();
  report.needed = ObjectsNeeded(store, pointers);
  report.temp_files = StoreTempFiles(store).size();
  return report;
}

}  // namespace gitmodel
