#include "git/commit_drift.h"

#include "git/git_handles.h"
#include "git/head_state.h"
#include "git/revision.h"

namespace gitmodel {

Result<CommitDrift> DriftSince(const GitRepo& repo, std::string_view recorded_commit) {
  git_repository* r = repo.get();
  GM_ASSIGN_OR_RETURN(auto recorded, FindCommit(r, recorded_commit));
  if (!recorded) return NotFound("recorded commit {} is not in the repository {}", recorded_commit, WorkdirOf(repo));
  GM_ASSIGN_OR_RETURN(HeadState head, ReadHead(r));
  if (head.commit.empty()) return NotFound("HEAD of {} has no commits yet", WorkdirOf(repo));
  CommitDrift drift;
  drift.head = head.commit;
  git_oid head_id;
  git_oid_fromstr(&head_id, head.commit.c_str());
  const git_oid* recorded_id = git_commit_id(recorded->get());
  int error = git_graph_ahead_behind(&drift.ahead, &drift.behind, r, &head_id, recorded_id);
  if (error < 0) return GitError(error, fmt::format("counting commits between {} and HEAD", OidHex(*recorded_id)));
  drift.recorded_is_ancestor = drift.behind == 0;
  return drift;
}

}  // namespace gitmodel
