#include "runs/records_merge.h"

#include <optional>
#include <vector>

#include "git/git_handles.h"
#include "runs/records_commit.h"
#include "runs/records_ref.h"
#include "runs/records_tree.h"

namespace gitmodel {
namespace {

Result<RecordTreeListing> ListCommit(const GitRepo& repo, const git_oid& commit, std::string_view ref) {
  GM_ASSIGN_OR_RETURN(GitTreePtr tree, RecordsTreeOf(repo, commit, ref));
  return ListRecordTree(repo, tree.get(), "", ref);
}

// Whether `commit` descends from `ancestor` (or is it).
Result<bool> Contains(const GitRepo& repo, const git_oid& commit, const git_oid& ancestor) {
  if (git_oid_equal(&commit, &ancestor)) return true;
  int found = git_graph_descendant_of(repo.get(), &commit, &ancestor);
  if (found < 0)
    return GitError(found, fmt::format("comparing records commits {} and {}", OidHex(commit), OidHex(ancestor)));
  return found == 1;
}

// The files of the single merge base of `ours` and `theirs`; nullopt when there is none or several.
Result<std::optional<RecordTreeListing>> SingleBaseListing(const GitRepo& repo, const git_oid& ours,
                                                           const git_oid& theirs) {
  git_oidarray bases{};
  int error = git_merge_bases(&bases, repo.get(), &ours, &theirs);
  if (error == GIT_ENOTFOUND) return std::optional<RecordTreeListing>();
  if (error < 0) return GitError(error, "finding the merge base of the records");
  std::optional<git_oid> base;
  if (bases.count == 1) base = bases.ids[0];
  git_oidarray_dispose(&bases);
  if (!base) return std::optional<RecordTreeListing>();
  GM_ASSIGN_OR_RETURN(RecordTreeListing listing, ListCommit(repo, *base, "the records merge base"));
  return std::optional<RecordTreeListing>(std::move(listing));
}

bool SameBlob(const std::map<std::string, git_oid>& files, const std::string& path, const git_oid& id) {
  auto it = files.find(path);
  return it != files.end() && git_oid_equal(&it->second, &id);
}

// Unites two listings into one file map, counting into `result`.
class RecordUnion {
 public:
  RecordUnion(const GitRepo& repo, const Resolver& resolve, std::string_view theirs_ref, MergeResult& result)
      : repo_(repo), resolve_(resolve), theirs_ref_(theirs_ref), result_(result) {}

  Result<std::map<std::string, git_oid>> Unite(const RecordTreeListing& ours, const RecordTreeListing& theirs,
                                               const std::optional<RecordTreeListing>& base) {
    if (std::string clash = FindFileDirectoryClash(ours, theirs); !clash.empty())
      return Status(Code::kConflict, fmt::format("cannot merge {} into {}: {} is a file on one side and a directory "
                                                 "on the other", theirs_ref_, kRecordsRef, DisplayRecordPath(clash)));
    std::map<std::string, git_oid> merged = ours.files;
    for (const auto& [path, id] : theirs.files) {
      auto [it, added] = merged.emplace(path, id);
      if (added) {
        ++result_.added;
      } else if (!git_oid_equal(&it->second, &id)) {
        GM_ASSIGN_OR_RETURN(it->second, Reconcile(path, it->second, id, base));
      }
    }
    return merged;
  }

 private:
  Result<git_oid> Reconcile(const std::string& path, const git_oid& ours, const git_oid& theirs,
                            const std::optional<RecordTreeListing>& base) {
    if (base && SameBlob(base->files, path, theirs)) return ours;
    if (base && SameBlob(base->files, path, ours)) {
      ++result_.updated;
      return theirs;
    }
    ++result_.conflicted;
    GM_ASSIGN_OR_RETURN(std::string ours_content, ReadRecordBlob(repo_, ours, path, kRecordsRef));
    GM_ASSIGN_OR_RETURN(std::string theirs_content, ReadRecordBlob(repo_, theirs, path, theirs_ref_));
    const std::string merged = resolve_(path, ours_content, theirs_content);
    if (merged.size() > kMaxRecordFileBytes)
      return LimitExceeded("merged record {} has {} bytes, over the limit of {}", DisplayRecordPath(path),
                           merged.size(), kMaxRecordFileBytes);
    git_oid id;
    if (int error = git_blob_create_from_buffer(&id, repo_.get(), merged.data(), merged.size()); error < 0)
      return GitError(error, fmt::format("writing merged record {}", DisplayRecordPath(path)));
    return id;
  }

  const GitRepo& repo_;
  const Resolver& resolve_;
  std::string theirs_ref_;
  MergeResult& result_;
};

// Counts for a fast-forward from `ours` to `theirs`.
void CountFastForward(const RecordTreeListing& ours, const RecordTreeListing& theirs, MergeResult& result) {
  for (const auto& [path, id] : theirs.files) {
    auto it = ours.files.find(path);
    if (it == ours.files.end()) {
      ++result.added;
    } else if (!git_oid_equal(&it->second, &id)) {
      ++result.updated;
    }
  }
}

class MergeStep {
 public:
  MergeStep(const GitRepo& repo, std::string_view theirs_ref, const git_oid& theirs, const Resolver& resolve)
      : repo_(repo), theirs_ref_(theirs_ref), theirs_(theirs), resolve_(resolve) {}

  Result<std::optional<git_oid>> operator()(const std::optional<git_oid>& tip) {
    result_ = MergeResult();
    if (tip) {
      GM_ASSIGN_OR_RETURN(bool up_to_date, Contains(repo_, *tip, theirs_));
      if (up_to_date) return Finish(MergeKind::kUpToDate, *tip);
    }
    GM_ASSIGN_OR_RETURN(RecordTreeListing theirs, ListCommit(repo_, theirs_, theirs_ref_));
    RecordTreeListing ours;
    bool fast_forward = !tip;
    if (tip) {
      GM_ASSIGN_OR_RETURN(ours, ListCommit(repo_, *tip, kRecordsRef));
      GM_ASSIGN_OR_RETURN(fast_forward, Contains(repo_, theirs_, *tip));
    }
    if (fast_forward) {
      CountFastForward(ours, theirs, result_);
      return Finish(MergeKind::kFastForward, theirs_);
    }
    GM_ASSIGN_OR_RETURN(std::optional<RecordTreeListing> base, SingleBaseListing(repo_, *tip, theirs_));
    GM_ASSIGN_OR_RETURN(auto merged, RecordUnion(repo_, resolve_, theirs_ref_, result_).Unite(ours, theirs, base));
    GM_ASSIGN_OR_RETURN(git_oid tree, WriteRecordTree(repo_, merged));
    const git_oid parents[] = {*tip, theirs_};
    GM_ASSIGN_OR_RETURN(git_oid commit,
                        CommitRecordsTree(repo_, tree, parents, fmt::format("Merge records from {}", theirs_ref_)));
    return Finish(MergeKind::kMerged, commit);
  }

  const MergeResult& result() const { return result_; }

 private:
  std::optional<git_oid> Finish(MergeKind kind, const git_oid& tip) {
    result_.kind = kind;
    result_.tip = OidHex(tip);
    return tip;
  }

  const GitRepo& repo_;
  std::string theirs_ref_;
  git_oid theirs_;
  const Resolver& resolve_;
  MergeResult result_;
};

}  // namespace

std::string KeepLargerRecord(std::string_view, std::string_view ours, std::string_view theirs) {
  return std::string(ours < theirs ? theirs : ours);
}

Result<MergeResult> MergeRecords(const GitRepo& repo, std::string_view theirs_ref, const Resolver& resolve) {
  GM_ASSIGN_OR_RETURN(std::optional<git_oid> theirs, ReadRecordsTip(repo, theirs_ref));
  if (!theirs) {
    GM_ASSIGN_OR_RETURN(std::optional<git_oid> ours, ReadRecordsTip(repo, kRecordsRef));
    return MergeResult{MergeKind::kUpToDate, 0, 0, 0, ours ? OidHex(*ours) : ""};
  }
  MergeStep step(repo, theirs_ref, *theirs, resolve);
  GM_RETURN_IF_ERROR(AdvanceRecordsRef(repo, kRecordsRef, std::ref(step)));
  return step.result();
}

}  // namespace gitmodel
