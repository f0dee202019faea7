// `git model blame KEY`: the commit that set a key's current value, found the way git blame
// finds a line's origin: from the tip, blame passes to a parent whose value is the same (by
// meaning), and stays with the first commit where no parent has it. Renamed files are followed.
#pragma once

#include <string>
#include <vector>

#include "git/file_history.h"
#include "git/repo.h"
#include "gitmodel/status.h"
#include "hyperparams/param_diff.h"
#include "hyperparams/param_history.h"

namespace gitmodel {

struct BlameStep {
  CommitMeta commit;
  std::string path;     // the file at that commit
  ParamChange change;   // old_value absent: the key was introduced there
};

struct ParamBlame {
  std::string key, path;      // the key and its file at the tip
  nlohmann::json value;       // its value there
  std::vector<BlameStep> steps;  // newest first: the setter, then (with `all`) each earlier change
};

// Blames `key` at revision `tip`. The file is the one selected file that holds the key
// (`query.files` picks one when several do; several without a pick is kInvalidArgument naming
// them; none is kNotFound). With `all`, follows the chain back to the commit that introduced
// the key (the latest introduction, when it was deleted and re-added).
Result<ParamBlame> BlameParam(const GitRepo& repo, std::string_view tip, const std::string& key,
                              const ParamQuery& query, bool all);

}  // namespace gitmodel
