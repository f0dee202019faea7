// UploadObjects (transfer.h): plan the closure of ids under delta bases, then upload it level by
// level, bases first.
#include <sys/stat.h>

#include <map>
#include <set>

#include "base/parallel.h"
#include "store/transfer.h"
#include "store/transfer_ledger.h"

namespace gitmodel {
namespace {

struct UploadItem {
  ObjectId id;
  std::optional<ObjectId> base;
  uint64_t bytes = 0;
};

struct UploadPlan {
  std::map<uint8_t, std::vector<UploadItem>> by_depth;  // depth 0 first
  std::vector<std::pair<ObjectId, Status>> missing;     // not in the local store
  size_t objects = 0;
  uint64_t bytes = 0;
};

uint64_t FileBytes(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

// `ids` and their bases, each once. The visited set ends cycles a damaged store could hold.
UploadPlan PlanUpload(const ObjectStore& store, std::span<const ObjectId> ids) {
  UploadPlan plan;
  std::vector<ObjectId> queue(ids.begin(), ids.end());
  std::set<ObjectId> seen;
  while (!queue.empty()) {
    ObjectId id = queue.back();
    queue.pop_back();
    if (!seen.insert(id).second) continue;
    Result<ObjectHeader> header = store.Stat(id);
    if (!header.ok()) {
      plan.missing.emplace_back(id, header.status());
      continue;
    }
    if (header->base) queue.push_back(*header->base);
    UploadItem item{id, header->base, FileBytes(store.ObjectPath(id))};
    plan.bytes += item.bytes;
    ++plan.objects;
    plan.by_depth[header->depth].push_back(item);
  }
  return plan;
}

void UploadOne(const ObjectStore& store, Remote& remote, const TransferOptions& options, const UploadItem& item,
               TransferLedger& ledger) {
  if (item.base && ledger.HasFailed(*item.base)) {
    ledger.Failed(item.id, Status(Code::kNotFound, fmt::format("object {}: not uploaded to {} because its delta "
                                                               "base {} was not",
                                                               ObjectHex(item.id), remote.Describe(),
                                                               ObjectHex(*item.base))));
    return;
  }
  bool there = false;
  Status status = RetryTransient(options, [&] {
    Result<bool> has = remote.Has(item.id);
    if (has.ok()) there = *has;
    return has.status();
  });
  if (status.ok() && there) return ledger.AlreadyThere(item.id, item.bytes);
  if (status.ok()) status = RetryTransient(options, [&] { return remote.Put(item.id, store.ObjectPath(item.id)); });
  if (status.ok()) return ledger.Transferred(item.id, item.bytes);
  ledger.Failed(item.id, status);
}

}  // namespace

Result<TransferReport> UploadObjects(const ObjectStore& store, Remote& remote, std::span<const ObjectId> ids,
                                     const TransferOptions& options) {
  UploadPlan plan = PlanUpload(store, ids);
  TransferLedger ledger(options, plan.objects + plan.missing.size(), plan.bytes);
  for (auto& [id, status] : plan.missing) ledger.Failed(id, status);
  for (const auto& level : plan.by_depth) {  // bases (lower depths) first
    const auto& items = level.second;       // not a structured binding: clang 14 cannot capture one
    ParallelFor(items.size(), [&](size_t i) { UploadOne(store, remote, options, items[i], ledger); },
                std::max(1u, options.jobs));
  }
  return ledger.Finish();
}

}  // namespace gitmodel
