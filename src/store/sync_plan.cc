#include "store/sync_plan.h"

#include <set>
#include <utility>


namespace gitmodel {

Result<SyncPlan> PlanPush(const GitRepo& repo, const ObjectStore& store, const std::vector<std::string>& tips,
                          const std::vector<std::string>& hidden) {
  GM_ASSIGN_OR_RETURN(std::vector<ReachablePointer> pointers, ReachablePointers(repo, tips, hidden, false));
  const NeededObjects needed = ObjectsNeeded(store, pointers);
  SyncPlan plan;
  plan.pointers = pointers.size();
  for (const auto& [id, object] : needed.present) plan.objects.push_back(id);
  for (const auto& [id, object] : needed.missing)
    plan.missing.push_back(fmt::format("{} (needed by {})", ObjectHex(id), object.needed_by));
  for (const std::string& error : needed.errors) plan.missing.push_back(error);
  return plan;
}

Result<SyncPlan> PlanFetch(const GitRepo& repo, const ObjectStore& store, const std::vector<std::string>& revisions,
                           bool include_index) {
  GM_ASSIGN_OR_RETURN(std::vector<ReachablePointer> pointers, PointersAt(repo, revisions));
  if (include_index) {
    GM_ASSIGN_OR_RETURN(std::vector<ReachablePointer> staged, ReachablePointers(repo, {}, {}, true));
    pointers.insert(pointers.end(), staged.begin(), staged.end());
  }
  std::set<std::pair<Digest, ObjectId>> distinct;
  for (const ReachablePointer& p : pointers) distinct.emplace(p.pointer.file_sha256, p.pointer.manifest);
  const NeededObjects needed = ObjectsNeeded(store, pointers);
  SyncPlan plan;
  plan.pointers = distinct.size();
  for (const auto& [id, object] : needed.missing) plan.objects.push_back(id);
  return plan;
}

}  // namespace gitmodel
