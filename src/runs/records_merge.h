// Uniting records fetched from a remote with ours (the records ref is described in
// runs/records_ref.h).
//
// A remote's records arrive with a plain git fetch, e.g. of the refspec
// `refs/git-model/records:refs/git-model/remotes/origin/records`; MergeRecords then unites that
// ref into `refs/git-model/records`:
// - ours missing, or an ancestor of theirs: ours fast-forwards to theirs;
// - theirs equal to ours or an ancestor of it: nothing changes;
// - else a merge commit with parents (ours, theirs) whose tree is the union of both trees. A path
//   present on both sides with different contents takes the side that changed it when the two
//   histories have exactly one merge base and the other side still holds the base's content;
//   otherwise (both changed it, or no single base) `resolve(path, ours, theirs)` gives the merged
//   content.
// The union of records never deletes: a path on either side is in the result. A path that is a file
// on one side and a directory on the other is a Conflict error.
//
// Convergence: when both sides merge each other's records with the same symmetric resolver
// (resolve(p, a, b) == resolve(p, b, a)), both get the same tree, byte for byte. The default,
// KeepLargerRecord, is symmetric.
//
// The ref moves with the same compare-and-swap and retries as WriteRecords, so the resolver may be
// called again for the same path after a lost race; it must be a pure function.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "git/repo.h"
#include "gitmodel/status.h"

namespace gitmodel {

enum class MergeKind { kUpToDate, kFastForward, kMerged };

struct MergeResult {
  MergeKind kind = MergeKind::kUpToDate;
  size_t added = 0;       // files theirs brought that ours lacked
  size_t updated = 0;     // files whose content ours took from theirs without the resolver
  size_t conflicted = 0;  // files with different contents on both sides, given to the resolver
  std::string tip;        // hex commit of refs/git-model/records afterwards; "" when neither ref exists
};

// The merged content of `path`, given both sides' contents.
using Resolver = std::function<std::string(std::string_view path, std::string_view ours, std::string_view theirs)>;

// The lexicographically larger (bytewise) of the two contents: symmetric, so both sides of a merge
// pick the same. For a JSON-lines file that one side extended, that is the longer one.
std::string KeepLargerRecord(std::string_view path, std::string_view ours, std::string_view theirs);

// Unites the records at `theirs_ref` (a full ref name) into refs/git-model/records as described
// above. Nothing to do (up to date) when `theirs_ref` does not exist. Errors: InvalidArgument for a
// malformed ref name; Corrupt for records trees that break the rules of runs/records_ref.h;
// LimitExceeded for a conflicting file or resolved content over kMaxRecordFileBytes; Conflict for a
// file/directory clash or when other writers kept winning the race for the ref.
Result<MergeResult> MergeRecords(const GitRepo& repo, std::string_view theirs_ref,
                                 const Resolver& resolve = KeepLargerRecord);

}  // namespace gitmodel
