// Shared by `fetch` and `pull`: downloading what the pointers at some revisions need.
#pragma once

#include <string>
#include <vector>

#include "gitmodel/status.h"
#include "store/transfer.h"

namespace gitmodel::cli {

struct FetchSummary {
  std::string remote, url;
  size_t pointers = 0;
  size_t downloaded = 0;
  uint64_t bytes = 0;
  size_t still_missing = 0;
  Status failure;  // the first failed object, with a count
  bool ok() const { return failure.ok() && still_missing == 0; }
};

// Opens the repository of ".", picks the remote (`remote_name` or the default) and downloads
// in rounds (manifests first, then the chunks they name) until nothing more is needed.
// `revisions` empty: HEAD (when it exists) and the index.
Result<FetchSummary> FetchObjectsFor(const std::string& remote_name, const std::vector<std::string>& revisions);

void PrintFetchSummary(const FetchSummary& summary, bool json);

}  // namespace gitmodel::cli
