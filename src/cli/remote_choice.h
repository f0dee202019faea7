// The git-model remote a command uses: the one named, else the default (model_remotes.h).
#pragma once

#include <string>

#include "git/repo.h"
#include "store/model_remotes.h"

namespace gitmodel::cli {

// kNotFound with what to do when no name is given and there is no default.
Result<ModelRemote> ChooseRemote(const GitRepo& repo, const std::string& name);

}  // namespace gitmodel::cli
