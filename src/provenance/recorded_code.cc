#include "provenance/recorded_code.h"

#include "git/commit_show.h"
#include "git/repo.h"
#include "store/object_store.h"

namespace gitmodel {

Result<std::string> RecordedPatch(const GitSection& git) {
  if (!git.patch) return std::string();
  if (!git.patch->stored) return git.patch->text;
  GM_ASSIGN_OR_RETURN(auto repo, DiscoverRepo("."));
  if (!repo) return NotFound("the patch ({}) is in the object store of the repository that stamped the file; "
                             "run this inside that repository", git.patch->sha256);
  return ObjectStore(GitModelDir(*repo)).Get(git.patch->sha256);
}

Result<std::string> RecordedCommitAndPatch(const GitSection& git) {
  if (git.commit.empty()) return InvalidArgument("the record names no commit");
  GM_ASSIGN_OR_RETURN(auto repo, DiscoverRepo("."));
  if (!repo) return NotFound("not in a git repository: cannot show commit {}", git.commit);
  GM_ASSIGN_OR_RETURN(std::string shown, ShowCommit(*repo, git.commit));
  GM_ASSIGN_OR_RETURN(std::string patch, RecordedPatch(git));
  if (!patch.empty()) shown += "\n# Uncommitted changes recorded at stamp time (git model show --patch):\n" + patch;
  return shown;
}

}  // namespace gitmodel
