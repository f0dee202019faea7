// Whether one commit is an ancestor of another (`git merge-base --is-ancestor`).
#pragma once

#include <string_view>

#include "git/repo.h"
#include "gitmodel/status.h"

namespace gitmodel {

// True when `ancestor` is `descendant` or one of its ancestors; both are revisions (kNotFound
// naming one that is no commit).
Result<bool> IsAncestor(const GitRepo& repo, std::string_view ancestor, std::string_view descendant);

}  // namespace gitmodel
