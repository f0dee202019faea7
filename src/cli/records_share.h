// Runs travel with `git model push`, `fetch` and `pull` through the repository's ordinary git
// remote (src/runs/records_sync.h); these are the shared front-end steps.
#pragma once

#include <string>

#include "gitmodel/status.h"

namespace gitmodel::cli {

// The git remote to use: `named`, else what `git push` would use; "" when there is none.
Result<std::string> RecordsRemote(const std::string& named);

// Pushes the records ref to `git_remote` (merging the remote's first when needed); prints one
// line unless quiet. Nothing when there is no remote or no records.
Status PushRunRecords(const std::string& git_remote, bool quiet);

// Fetches and merges the remote's records and indexes the runs that changed; prints one line
// unless quiet. Nothing when there is no remote or it has no records.
Status FetchRunRecords(const std::string& git_remote, bool quiet);

// True when the repository has no git-model remote at all (objects are then not transferred).
bool NoModelRemotes();

}  // namespace gitmodel::cli
