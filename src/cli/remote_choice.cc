#include "cli/remote_choice.h"

namespace gitmodel::cli {

Result<ModelRemote> ChooseRemote(const GitRepo& repo, const std::string& name) {
  if (!name.empty()) return FindModelRemote(repo, name);
  GM_ASSIGN_OR_RETURN(std::optional<ModelRemote> remote, DefaultModelRemote(repo));
  if (!remote)
    return NotFound("no default git-model remote: name one, set git-model.defaultRemote, or add one with "
                    "`git model remote add origin s3://bucket/prefix`");
  return std::move(*remote);
}

}  // namespace gitmodel::cli
