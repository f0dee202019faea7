// Sharing the records ref (records_ref.h) through an ordinary git remote, with the real git:
// what `git model push` and `git model fetch`/`pull` do for runs (docs/runs.md, "Sharing runs").
//
//   fetch: git fetch REMOTE +refs/git-model/records:refs/git-model/remotes/REMOTE/records,
//          then MergeRecords (records_merge.h) into refs/git-model/records
//   push:  git push REMOTE refs/git-model/records:refs/git-model/records; when the remote has
//          records this repository lacks (a rejected, non-fast-forward push), fetch and merge
//          first, then push again (a few times, for teams pushing at once)
#pragma once

#include <string>

#include "gitmodel/status.h"
#include "runs/records_merge.h"

namespace gitmodel {

class GitRepo;

struct RecordsFetch {
  bool remote_has_records = false;
  MergeResult merge;
};

// kNotFound when the remote has no records ref is not an error: remote_has_records is false.
Result<RecordsFetch> FetchRecords(const GitRepo& repo, const std::string& git_remote);

struct RecordsPush {
  bool pushed = false;  // false: this repository has no records
  bool merged = false;  // the remote's records were merged in first: the index needs them
};

// Pushes the records. Errors name the remote and carry git's own message.
Result<RecordsPush> PushRecords(const GitRepo& repo, const std::string& git_remote);

}  // namespace gitmodel
