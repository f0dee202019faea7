#include "git/default_remote.h"

#include "git/head_state.h"
#include "git/remote_pick.h"
#include "git/repo.h"

namespace gitmodel {

Result<std::string> DefaultGitRemote(const GitRepo& repo) {
  GM_ASSIGN_OR_RETURN(HeadState head, ReadHead(repo.get()));
  GM_ASSIGN_OR_RETURN(RemoteChoice choice, PickRemote(repo.get(), head.branch));
  return choice.name;
}

}  // namespace gitmodel
