// Finding git-model pointers in a repository: small blobs that start with a given prefix, in the
// index, at a revision, or anywhere in the history reachable from a set of commits.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gitmodel/status.h"

namespace gitmodel {

class GitRepo;

struct SmallBlobFilter {
  std::string prefix;    // content must start with it
  uint64_t max_bytes = 0;  // and be at most this long
};

// The content of `path` (relative to the repository root) staged in the index (stage 0), or
// nullopt when it is not there or does not pass `filter`.
Result<std::optional<std::string>> IndexSmallBlob(const GitRepo& repo, const std::string& path,
                                                  const SmallBlobFilter& filter);

// The same at a revision ("HEAD"); nullopt also when the revision does not exist (unborn HEAD).
Result<std::optional<std::string>> RevisionSmallBlob(const GitRepo& repo, std::string_view revision,
                                                     const std::string& path, const SmallBlobFilter& filter);

struct FoundBlob {
  std::string blob_id;  // 40 hex
  std::string path;     // the first path it was seen at
  std::string commit;   // the first commit (40 hex) it was seen in; "" for the index
  std::string content;
};

// Every distinct blob passing `filter` in the trees of the commits reachable from `tips` (revisions
// or 40-hex ids) and not from `hidden`, plus, with `include_index`, the index. Trees already
// visited are skipped, so unchanged directories cost nothing after the first commit. Blob sizes
// come from the object headers: large blobs are never inflated.
Result<std::vector<FoundBlob>> FindSmallBlobs(const GitRepo& repo, const std::vector<std::string>& tips,
                                              const std::vector<std::string>& hidden, bool include_index,
                                              const SmallBlobFilter& filter);

// The same for the trees of the commits `revisions` name, without their history.
Result<std::vector<FoundBlob>> FindSmallBlobsAt(const GitRepo& repo, const std::vector<std::string>& revisions,
                                                const SmallBlobFilter& filter);

// The paths of the regular files in the index (stage 0), in index order.
Result<std::vector<std::string>> IndexFilePaths(const GitRepo& repo);

// Every ref's target commit (branches, tags, remotes, stash, notes...) and, with
// `reflog_newer_than` (unix seconds), the commits the reflogs held after that time.
Result<std::vector<std::string>> AllRefTips(const GitRepo& repo, std::optional<int64_t> reflog_newer_than);

}  // namespace gitmodel
