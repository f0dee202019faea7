#include "store/store_gc.h"

#include <sys/stat.h>
#include <unistd.h>

#include <ctime>
#include <set>

#include <nlohmann/json.hpp>

#include "git/small_blobs.h"
#include "provenance/record_index.h"
#include "store/reachable.h"
#include "store/store_fsck.h"

namespace gitmodel {
namespace {

constexpr int64_t kDay = 24 * 3600;
constexpr int64_t kTempFileAge = 3600;

// Object ids of working-tree patches that stamp spilled to the store (the record's git.patch.sha256
// when the record does not hold the text itself).
Result<std::set<ObjectId>> SpilledPatches(const ObjectStore& store) {
  std::set<ObjectId> out;
  const std::string db = RecordIndexPath(store.root());
  struct stat st;
  if (::stat(db.c_str(), &st) != 0) return out;
  GM_ASSIGN_OR_RETURN(RecordIndex index, RecordIndex::Open(db));
  GM_ASSIGN_OR_RETURN(std::vector<IndexedRecord> records, index.All());
  for (const IndexedRecord& r : records) {
    const nlohmann::json record = nlohmann::json::parse(r.record_json, nullptr, false);
    const nlohmann::json* sha = nullptr;
    if (record.is_object() && record.contains("git") && record["git"].is_object() && record["git"].contains("patch") &&
        record["git"]["patch"].is_object() && record["git"]["patch"].contains("sha256"))
      sha = &record["git"]["patch"]["sha256"];
    if (sha && sha->is_string())
      if (auto id = ParseObjectHex(sha->get<std::string>())) out.insert(*id);
  }
  return out;
}

int64_t ModifiedAt(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_mtime) : 0;
}

uint64_t SizeOf(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

// Adds the delta bases of everything in `alive` (an object needs its whole chain to be read).
void AddDeltaBases(const ObjectStore& store, std::set<ObjectId>& alive) {
  std::vector<ObjectId> pending(alive.begin(), alive.end());
  while (!pending.empty()) {
    const ObjectId id = pending.back();
    pending.pop_back();
    auto header = store.Stat(id);
    if (header.ok() && header->base && alive.insert(*header->base).second) pending.push_back(*header->base);
  }
}

}  // namespace

Result<GcReport> CollectGarbage(const GitRepo& repo, const ObjectStore& store, const GcOptions& options) {
  const int64_t now = std::time(nullptr);
  GM_ASSIGN_OR_RETURN(std::vector<std::string> tips, AllRefTips(repo, now - options.reflog_days * kDay));
  GM_ASSIGN_OR_RETURN(std::vector<ReachablePointer> pointers, ReachablePointers(repo, tips, {}, true));
  const NeededObjects needed = ObjectsNeeded(store, pointers);
  GM_ASSIGN_OR_RETURN(std::set<ObjectId> patches, SpilledPatches(store));
  GM_ASSIGN_OR_RETURN(std::vector<ObjectId> local, store.List());
  std::set<ObjectId> alive = std::move(patches);
  for (const auto& [id, object] : needed.present) alive.insert(id);
  for (const ObjectId& id : local)
    if (ModifiedAt(store.ObjectPath(id)) > now - options.grace_days * kDay) alive.insert(id);
  AddDeltaBases(store, alive);
  GcReport report;
  report.missing = needed.missing.size();
  for (const ObjectId& id : local) {
    const std::string path = store.ObjectPath(id);
    if (alive.count(id)) {
      ++report.kept;
      continue;
    }
    ++report.removed;
    report.removed_bytes += SizeOf(path);
    if (!options.dry_run && ::unlink(path.c_str()) != 0 && errno != ENOENT)
      return IOError("{}: cannot remove: {}", path, std::strerror(errno));
  }
  for (const std::string& temp : StoreTempFiles(store)) {
    if (ModifiedAt(temp) > now - kTempFileAge) continue;
    ++report.temp_files_removed;
    if (!options.dry_run) ::unlink(temp.c_str());
  }
  return report;
}

}  // namespace gitmodel
